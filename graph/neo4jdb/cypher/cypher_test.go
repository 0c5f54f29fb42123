package cypher_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/cypher"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// cyState is what an attack could change: the markers attacks try to
// write, the test's own entities, the schema, users and databases. Whole
// node counts are left out: other packages' tests write concurrently.
type cyState struct {
	Pwned       int64 // nodes labelled Pwned or with a pwned property, and PWNED relationships
	Fixture     []string
	Labels      []string
	Constraints []string
	Indexes     []string
	Users       []string
	Databases   []string
}

// cySnapshot reads cyState through a driver of its own, independent of the
// code under test.
func cySnapshot(t *testing.T, drv neo4j.DriverWithContext, prefix string) cyState {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	strs := func(db, q string, params map[string]any) []string {
		res, err := neo4j.ExecuteQuery(ctx, drv, q, params, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(db))
		if err != nil {
			t.Fatalf("snapshot %q: %v", q, err)
		}
		var out []string
		for _, r := range res.Records {
			out = append(out, fmt.Sprint(r.Values...))
		}
		sort.Strings(out)
		return out
	}
	res, err := neo4j.ExecuteQuery(ctx, drv,
		`CALL { MATCH (n:Pwned) RETURN count(n) AS c UNION ALL MATCH (n) WHERE n.pwned IS NOT NULL RETURN count(n) AS c
		 UNION ALL MATCH ()-[r:PWNED]->() RETURN count(r) AS c } RETURN sum(c) AS pwned`,
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
	if err != nil {
		t.Fatalf("snapshot pwned: %v", err)
	}
	pwned, _, _ := neo4j.GetRecordValue[int64](res.Records[0], "pwned")
	return cyState{
		Pwned: pwned,
		Fixture: strs("neo4j", `MATCH (n:Entity) WHERE n.id STARTS WITH $p
			OPTIONAL MATCH (n)-[r]->(m) RETURN n.id, labels(n), properties(n), type(r), m.id`, map[string]any{"p": prefix}),
		Labels:      strs("neo4j", "CALL db.labels() YIELD label RETURN label", nil),
		Constraints: strs("neo4j", "SHOW CONSTRAINTS YIELD name RETURN name", nil),
		Indexes:     strs("neo4j", "SHOW INDEXES YIELD name, state RETURN name, state", nil),
		Users:       strs("system", "SHOW USERS YIELD user, roles, suspended RETURN user, roles, suspended", nil),
		Databases:   strs("system", "SHOW DATABASES YIELD name, currentStatus RETURN name, currentStatus", nil),
	}
}

// cyLoad writes a tiny graph under a fresh prefix: a source, a person who
// OPERATES a compound, and a victim HELD_AT it.
func cyLoad(t *testing.T) (*neo4jdb.DB, neo4j.DriverWithContext, string) {
	t.Helper()
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	cfg := neo4jtest.Config(t)
	drv, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = drv.Close(context.Background()) })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	src := prefix + "source:s"
	ents := []graph.Entity{
		{ID: src, Kinds: []graph.Kind{graph.KindSource}, Name: "A report", Properties: map[string]graph.Value{
			"publisher": graph.StringValue("AFP"), "published": graph.DateValue(graph.Date{Year: 2026, Month: 1, Day: 19}),
			"source_type": graph.StringValue("news")}},
		{ID: prefix + "person:a", Kinds: []graph.Kind{graph.KindTycoon}, Name: "Zorvath Cypherguard", Sources: []string{src}},
		{ID: prefix + "compound:b", Kinds: []graph.Kind{graph.KindCompound}, Name: "Cypherguard Compound", Sources: []string{src}},
		{ID: prefix + "victim:c", Kinds: []graph.Kind{graph.KindVictim}, Name: "Victim C", Sources: []string{src},
			Properties: map[string]graph.Value{"pseudonym": graph.StringValue("Victim C"), "age": graph.IntValue(18)}},
	}
	if _, err := db.UpsertEntities(ctx, ents[:1], false); err != nil {
		t.Fatalf("upsert source: %v", err)
	}
	if _, err := db.UpsertEntities(ctx, ents[1:], false); err != nil {
		t.Fatalf("upsert entities: %v", err)
	}
	rels := []graph.Relationship{
		{Type: graph.RelOperates, From: prefix + "person:a", To: prefix + "compound:b", Evidence: graph.EvidenceCharge, Sources: []string{src},
			Since: &graph.Date{Year: 2020, Month: 1, Day: 1}},
		{Type: graph.RelHeldAt, From: prefix + "victim:c", To: prefix + "compound:b", Evidence: graph.EvidenceMediaReport, Sources: []string{src}},
	}
	for i := range rels {
		rels[i].ID = graph.RelationshipID(rels[i].From, rels[i].Type, rels[i].To, "")
	}
	if _, err := db.UpsertRelationships(ctx, rels, false); err != nil {
		t.Fatalf("upsert relationships: %v", err)
	}
	return db, drv, prefix
}

// cypherAttacks are write and exfiltration attempts; every one must be
// refused with CodeInvalid on "query", and leave the graph as it was.
var cypherAttacks = []struct{ name, text string }{
	{"create node", "CREATE (:Pwned)"},
	{"merge node", "MERGE (:Pwned {x: 1})"},
	{"set property", "MATCH (n:Entity) SET n.pwned = true"},
	{"set label", "MATCH (n:Entity) SET n:Pwned"},
	{"delete", "MATCH (n:Entity) DELETE n"},
	{"detach delete", "MATCH (n) DETACH DELETE n"},
	{"remove property", "MATCH (n:Entity) REMOVE n.name"},
	{"remove label", "MATCH (n:Entity) REMOVE n:Entity"},
	{"insert", "INSERT (:Pwned)"},
	{"foreach create", "FOREACH (x IN [1] | CREATE (:Pwned))"},
	{"foreach over case", "FOREACH (x IN CASE WHEN true THEN [1] ELSE [] END | CREATE (:Pwned))"},
	{"call subquery create", "CALL { CREATE (:Pwned) } RETURN 1 AS one"},
	{"exists subquery create", "MATCH (n) WHERE EXISTS { CREATE (:Pwned) } RETURN n"},
	{"match then create relationship", "MATCH (n:Entity) WITH n LIMIT 1 CREATE (n)-[:PWNED]->(:Pwned)"},
	{"number glued to create", "MATCH (n:Entity) WITH n LIMIT 1CREATE (:Pwned)"},
	{"create index", "CREATE INDEX pwned_idx IF NOT EXISTS FOR (n:Pwned) ON (n.x)"},
	{"create constraint", "CREATE CONSTRAINT pwned_c IF NOT EXISTS FOR (n:Pwned) REQUIRE n.x IS UNIQUE"},
	{"drop constraint", "DROP CONSTRAINT entity_id"},
	{"drop index", "DROP INDEX entity_names"},
	{"show users", "SHOW USERS"},
	{"show transactions", "SHOW TRANSACTIONS"},
	{"terminate transactions", "TERMINATE TRANSACTIONS 'neo4j-transaction-1'"},
	{"create user", "CREATE USER pwned SET PASSWORD 'pwned-password' CHANGE NOT REQUIRED"},
	{"alter user", "ALTER USER neo4j SET PASSWORD 'pwned-password' CHANGE NOT REQUIRED"},
	{"grant", "GRANT ROLE admin TO pwned"},
	{"stop database", "STOP DATABASE neo4j"},
	{"use system", "USE system SHOW USERS"},
	{"use in subquery", "CALL { USE system MATCH (n) RETURN n } RETURN n"},
	{"load csv file", "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line"},
	{"load csv http", "LOAD CSV FROM 'http://127.0.0.1:1/x' AS line RETURN line"},
	{"apoc load json", "CALL apoc.load.json('file:///etc/passwd') YIELD value RETURN value"},
	{"apoc run write", "CALL apoc.cypher.runWrite('CREATE (:Pwned)', {}) YIELD value RETURN value"},
	{"apoc periodic iterate", "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'SET n.pwned = 1', {batchSize: 10})"},
	{"apoc function", "RETURN apoc.version() AS v"},
	{"dbms list config", "CALL dbms.listConfig() YIELD name, value RETURN name, value"},
	{"dbms security create user", "CALL dbms.security.createUser('pwned', 'pwned-password', false)"},
	{"dbms kill query", "CALL dbms.killQuery('query-1')"},
	{"dbms components", "CALL dbms.components()"},
	// Graph Data Science: its procedures are read-mode to Neo4j, yet they
	// project (from arbitrary Cypher too), write scores or drop graphs.
	{"gds native projection", "CALL gds.graph.project('pwned', '*', '*')"},
	{"gds cypher projection", "CALL gds.graph.project.cypher('pwned', 'MATCH (n) RETURN id(n) AS id', 'MATCH (a)-->(b) RETURN id(a) AS source, id(b) AS target')"},
	{"gds projection function", "MATCH (s)-->(t) RETURN gds.graph.project('pwned', s, t) AS g"},
	{"gds write mode", "CALL gds.pageRank.write('pwned', {writeProperty: 'pwned'})"},
	{"gds node properties write", "CALL gds.graph.nodeProperties.write('pwned', ['x'])"},
	{"gds drop", "CALL gds.graph.drop('scamgraph-0000000000000000', false)"},
	{"gds list", "CALL gds.graph.list() YIELD graphName RETURN graphName"},
	{"gds version", "CALL gds.version()"},
	{"gds backticked", "CALL `gds`.`graph`.`project`('pwned', '*', '*')"},
	{"gds util function", "MATCH (n:Entity) RETURN gds.util.asNode(id(n)) AS n LIMIT 1"},
	{"db create label", "CALL db.createLabel('Pwned')"},
	{"db fulltext drop", "CALL db.index.fulltext.drop('entity_names')"},
	{"db clear query caches", "CALL db.clearQueryCaches()"},
	{"db checkpoint", "CALL db.checkpoint()"},
	{"tx set metadata", "CALL tx.setMetaData({pwned: true})"},
	{"in transactions write", "CALL { CREATE (:Pwned) } IN TRANSACTIONS OF 1 ROW"},
	{"in transactions read", "UNWIND range(1, 3) AS i CALL { WITH i RETURN i AS j } IN TRANSACTIONS RETURN j"},
	{"two statements", "MATCH (n) RETURN n; CREATE (:Pwned)"},
	{"comment hides semicolon", "MATCH (n) /* ; */ CREATE (:Pwned)"},
	{"line comment then create", "MATCH (n:Entity) WITH count(n) AS c // harmless\nCREATE (:Pwned {c: c})"},
	{"keyword split by comment", "CRE/**/ATE (:Pwned)"},
	{"unicode escape keyword", `\u0043REATE (:Pwned)`},
	{"unicode escape ends string", `RETURN '\u0027 + 1 AS x CREATE (:Pwned) //' AS s`},
	{"mixed case", "cReAtE (:Pwned)"},
	{"backticked procedure parts", "CALL `dbms`.`listConfig`() YIELD name RETURN name"},
	{"backticked procedure name", "CALL `dbms.listConfig`() YIELD name RETURN name"},
	{"procedure split by comment", "CALL dbms./* allowed? */listConfig() YIELD name RETURN name"},
	{"unicode spaces", "MATCH\u00a0(n:Entity)\u2003WITH\u2002n\u2029LIMIT 1\u3000SET n.pwned = 1"},
	{"profile create", "PROFILE CREATE (:Pwned)"},
	{"explain create", "EXPLAIN CREATE (:Pwned)"},
	{"profile read", "PROFILE MATCH (n) RETURN count(n)"},
	{"cypher runtime prefix", "CYPHER runtime=slotted CREATE (:Pwned)"},
	{"cypher version prefix", "CYPHER 5 MATCH (n) RETURN count(n)"},
	{"allowed procedure then write", "CALL db.labels() YIELD label CREATE (:Pwned {l: label})"},
	{"write after case", "MATCH (n:Entity) WITH n, CASE WHEN n.name IS NULL THEN 1 ELSE 2 END AS x LIMIT 1 MERGE (:Pwned {x: x})"},
	{"api key label", "MATCH (k:ApiKey) RETURN k.hash, k.name, k.role"},
	{"api key backticked", "MATCH (k:`ApiKey`) RETURN k"},
	{"api key label string", "MATCH (k) WHERE 'ApiKey' IN labels(k) RETURN k.name"},
	{"unterminated string", "RETURN 'abc CREATE (:Pwned)"},
	{"unterminated comment", "RETURN 1 /* CREATE (:Pwned)"},
	{"backslash outside string", `RETURN 1 AS x \ CREATE (:Pwned)`},
	{"oversized", "RETURN '" + strings.Repeat("x", graph.MaxCypherTextLen) + "' AS s"},
	{"empty", " \n\t "},
	{"syntax error", "MATCH (n RETURN n"},
}

func TestCypherAttacksRefused(t *testing.T) {
	db, drv, prefix := cyLoad(t)
	before := cySnapshot(t, drv, prefix)
	if before.Pwned != 0 {
		t.Fatalf("the database already holds %d Pwned markers; clean it first", before.Pwned)
	}
	if len(before.Fixture) == 0 {
		t.Fatal("fixture not written")
	}
	if len(cypherAttacks) < 40 {
		t.Fatalf("only %d attacks", len(cypherAttacks))
	}
	refused := 0
	for _, tc := range cypherAttacks {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			res, err := db.RunReadOnly(ctx, graph.CypherQuery{Text: tc.text, Timeout: 5 * time.Second, MaxRows: 10})
			if err == nil {
				t.Fatalf("ran, returning %d rows", len(res.Rows))
			}
			if graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) != "query" {
				t.Fatalf("code %s field %q, want invalid on query: %v", graph.ErrorCode(err), graph.ErrorField(err), err)
			}
			msg := graph.ErrorMessage(err)
			if msg == "" || strings.Contains(msg, `"EXPLAIN `) || strings.Contains(msg, "\tat ") {
				t.Errorf("message %q is empty, mentions our EXPLAIN or carries a stack trace", msg)
			}
			if after := cySnapshot(t, drv, prefix); !reflect.DeepEqual(before, after) {
				t.Fatalf("graph changed:\nbefore %+v\nafter  %+v", before, after)
			}
			refused++
			t.Logf("refused: %s", msg)
		})
	}
	t.Logf("%d of %d attacks refused, graph unchanged", refused, len(cypherAttacks))
	res, err := neo4j.ExecuteQuery(context.Background(), drv, "RETURN gds.graph.exists('pwned') AS e", nil, neo4j.EagerResultTransformer)
	if err != nil || res.Records[0].Values[0] != false {
		t.Errorf("a GDS projection was made through the Cypher endpoint: %v %v", err, res)
	}
	if refused != len(cypherAttacks) {
		t.Errorf("%d of %d attacks refused", refused, len(cypherAttacks))
	}
}

func cyCells(t *testing.T, res graph.CypherResult) [][]any {
	t.Helper()
	out := make([][]any, len(res.Rows))
	for i, row := range res.Rows {
		for _, c := range row {
			var v any
			if err := json.Unmarshal(c, &v); err != nil {
				t.Fatalf("row %d: %v", i, err)
			}
			out[i] = append(out[i], v)
		}
	}
	return out
}

func TestCypherReads(t *testing.T) {
	db, _, prefix := cyLoad(t)
	tests := []struct {
		name      string
		q         graph.CypherQuery
		columns   []string
		truncated bool
		check     func(t *testing.T, rows [][]any)
	}{
		{"nodes by id", graph.CypherQuery{Text: "MATCH (n:Entity) WHERE n.id STARTS WITH $p AND NOT n:Source RETURN n ORDER BY n.id",
			Params: map[string]any{"p": prefix}}, []string{"n"}, false, func(t *testing.T, rows [][]any) {
			if len(rows) != 3 {
				t.Fatalf("rows = %v", rows)
			}
			n := rows[1][0].(map[string]any)
			if n["id"] != prefix+"person:a" || !reflect.DeepEqual(n["labels"], []any{"Entity", "Person", "Tycoon"}) {
				t.Errorf("node = %v", n)
			}
			if n["properties"].(map[string]any)["name"] != "Zorvath Cypherguard" {
				t.Errorf("properties = %v", n["properties"])
			}
		}},
		{"relationship endpoints are entity ids", graph.CypherQuery{Text: "MATCH (:Entity {id: $a})-[r:OPERATES]->() RETURN r",
			Params: map[string]any{"a": prefix + "person:a"}}, []string{"r"}, false, func(t *testing.T, rows [][]any) {
			if len(rows) != 1 {
				t.Fatalf("rows = %v", rows)
			}
			r := rows[0][0].(map[string]any)
			if r["type"] != "OPERATES" || r["from"] != prefix+"person:a" || r["to"] != prefix+"compound:b" {
				t.Errorf("relationship = %v", r)
			}
			if r["properties"].(map[string]any)["since"] != "2020-01-01" {
				t.Errorf("since = %v", r["properties"])
			}
		}},
		{"path", graph.CypherQuery{Text: "MATCH p = (:Entity {id: $a})-[:OPERATES]->(:Compound) RETURN p",
			Params: map[string]any{"a": prefix + "person:a"}}, []string{"p"}, false, func(t *testing.T, rows [][]any) {
			p := rows[0][0].(map[string]any)
			if len(p["nodes"].([]any)) != 2 || p["relationships"].([]any)[0].(map[string]any)["to"] != prefix+"compound:b" {
				t.Errorf("path = %v", p)
			}
		}},
		{"fulltext procedure", graph.CypherQuery{Text: "CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node, score WHERE node.id STARTS WITH $p RETURN node.id AS id",
			Params: map[string]any{"q": "zorvath", "p": prefix}}, []string{"id"}, false, func(t *testing.T, rows [][]any) {
			if len(rows) != 1 || rows[0][0] != prefix+"person:a" {
				t.Errorf("rows = %v", rows)
			}
		}},
		{"labels procedure", graph.CypherQuery{Text: "CALL db.labels() YIELD label RETURN label ORDER BY label"}, []string{"label"}, false, func(t *testing.T, rows [][]any) {
			found := false
			for _, r := range rows {
				found = found || r[0] == "Entity"
			}
			if !found {
				t.Errorf("no Entity label in %v", rows)
			}
		}},
		{"integral JSON number is an integer", graph.CypherQuery{Text: "UNWIND range(1, 10) AS i RETURN i LIMIT $n", Params: map[string]any{"n": float64(3)}},
			[]string{"i"}, false, func(t *testing.T, rows [][]any) {
				if len(rows) != 3 || rows[2][0] != float64(3) {
					t.Errorf("rows = %v", rows)
				}
			}},
		{"max rows truncates", graph.CypherQuery{Text: "UNWIND range(1, 100) AS i RETURN i", MaxRows: 10}, []string{"i"}, true, func(t *testing.T, rows [][]any) {
			if len(rows) != 10 {
				t.Errorf("%d rows", len(rows))
			}
		}},
		{"keywords in strings and backticks, trailing semicolon", graph.CypherQuery{Text: "RETURN 'CREATE (:Pwned)' AS s, {`set`: 1} AS m;"},
			[]string{"s", "m"}, false, func(t *testing.T, rows [][]any) {
				if rows[0][0] != "CREATE (:Pwned)" || rows[0][1].(map[string]any)["set"] != float64(1) {
					t.Errorf("rows = %v", rows)
				}
			}},
		{"start as a variable", graph.CypherQuery{Text: "MATCH (start:Entity {id: $a})-[*1..2]-(end:Compound) RETURN DISTINCT end.id AS id",
			Params: map[string]any{"a": prefix + "person:a"}}, []string{"id"}, false, func(t *testing.T, rows [][]any) {
			if len(rows) != 1 || rows[0][0] != prefix+"compound:b" {
				t.Errorf("rows = %v", rows)
			}
		}},
		{"temporal and spatial values", graph.CypherQuery{Text: "RETURN date('2024-05-01') AS d, datetime('2024-05-01T10:00:00Z') AS dt, duration('P1D') AS du, point({x: 1, y: 2}) AS pt, 0.0/0.0 AS nan"},
			[]string{"d", "dt", "du", "pt", "nan"}, false, func(t *testing.T, rows [][]any) {
				r := rows[0]
				if r[0] != "2024-05-01" || r[1] != "2024-05-01T10:00:00Z" || r[2] != "P0M1DT0S" || r[3].(map[string]any)["y"] != float64(2) || r[4] != "NaN" {
					t.Errorf("row = %v", r)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			res, err := db.RunReadOnly(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res.Columns, tc.columns) || res.Truncated != tc.truncated {
				t.Errorf("columns %v truncated %v, want %v %v", res.Columns, res.Truncated, tc.columns, tc.truncated)
			}
			tc.check(t, cyCells(t, res))
		})
	}
}

func TestCypherErrors(t *testing.T) {
	db := neo4jtest.Open(t)
	tests := []struct {
		name    string
		q       graph.CypherQuery
		code    graph.Code
		message string
	}{
		{"syntax error points at the user's text", graph.CypherQuery{Text: "MATCH (n RETURN n"}, graph.CodeInvalid, "(line 1, column 10 (offset: 9))"},
		{"missing parameter", graph.CypherQuery{Text: "RETURN $nope AS x"}, graph.CodeInvalid, "nope"},
		{"bad parameter type", graph.CypherQuery{Text: "RETURN $x AS x", Params: map[string]any{"x": struct{}{}}}, graph.CodeInvalid, "unsupported type"},
		{"runtime type error", graph.CypherQuery{Text: "RETURN 1 + 'a' + date() AS x"}, graph.CodeInvalid, ""},
		{"server timeout", graph.CypherQuery{Text: "UNWIND range(1, 1000) AS a UNWIND range(1, 1000) AS b UNWIND range(1, 1000) AS i WITH i WHERE i % 7 = 3 RETURN count(i) AS c", Timeout: 500 * time.Millisecond}, graph.CodeTimeout, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			start := time.Now()
			_, err := db.RunReadOnly(ctx, tc.q)
			if graph.ErrorCode(err) != tc.code {
				t.Fatalf("code %s, want %s: %v", graph.ErrorCode(err), tc.code, err)
			}
			if msg := graph.ErrorMessage(err); !strings.Contains(msg, tc.message) || strings.Contains(msg, `"EXPLAIN `) {
				t.Errorf("message %q does not mention %q (or mentions EXPLAIN)", msg, tc.message)
			}
			if time.Since(start) > 10*time.Second {
				t.Errorf("took %s", time.Since(start))
			}
		})
	}
}

// TestCypherGuardLayers shows that the second layer (EXPLAIN's statement
// type and plan) refuses the attacks on its own, and that the third (a
// READ transaction, rolled back) refuses every write on its own.
func TestCypherGuardLayers(t *testing.T) {
	db, drv, prefix := cyLoad(t)
	before := cySnapshot(t, drv, prefix)
	// Read-only to Neo4j, so only the precheck refuses these: the label is
	// named in the text, and the size limit is ours.
	precheckOnly := map[string]bool{"api key label": true, "api key backticked": true, "api key label string": true, "oversized": true,
		"cypher version prefix": true, // CYPHER 5 before a read is harmless
		// A user-defined function is no operator of its own in the plan:
		// only the precheck's namespace allow-list refuses GDS's functions
		// (gds.graph.project as an aggregation makes a projection).
		"gds projection function": true, "gds util function": true}

	// Never sent without the first two layers: administration commands and
	// outbound requests.
	notWithoutPlan := map[string]bool{"create user": true, "alter user": true, "grant": true, "stop database": true,
		"use system": true, "use in subquery": true, "terminate transactions": true, "load csv http": true, "show users": true,
		// GDS's graph catalog lives outside the transaction: a projection
		// made in a READ transaction stays after its rollback.
		"gds native projection": true, "gds cypher projection": true, "gds projection function": true, "gds write mode": true,
		"gds node properties write": true, "gds drop": true, "gds list": true, "gds version": true, "gds backticked": true,
		"gds util function": true}
	for _, tc := range cypherAttacks {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			q := graph.CypherQuery{Text: tc.text, Timeout: 5 * time.Second, MaxRows: 10}
			if !precheckOnly[tc.name] {
				_, err := db.Runner.RunWithLayers(ctx, q, false, true)
				if graph.ErrorCode(err) != graph.CodeInvalid {
					t.Errorf("plan layer alone: code %s, want invalid: %v", graph.ErrorCode(err), err)
				}
			}
			if !notWithoutPlan[tc.name] {
				_, err := db.Runner.RunWithLayers(ctx, q, false, false)
				// EXPLAIN only plans; the snapshot below shows nothing changed.
				writes := !strings.HasPrefix(tc.text, "EXPLAIN") && (strings.Contains(tc.text, "Pwned") ||
					strings.Contains(strings.ToLower(tc.text), "delete") || strings.Contains(tc.text, "SET ") || strings.Contains(tc.text, "REMOVE "))
				if writes {
					if err == nil {
						t.Errorf("read transaction alone ran a write")
					}
				}
			}
			if after := cySnapshot(t, drv, prefix); !reflect.DeepEqual(before, after) {
				t.Fatalf("graph changed:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
}

// TestCheckPlan feeds EXPLAIN answers from a driver of the test's own to
// the plan check.
func TestCheckPlan(t *testing.T) {
	cfg := neo4jtest.Config(t)
	neo4jtest.Open(t)
	drv, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer drv.Close(context.Background())
	tests := []struct {
		name, text string
		ok         bool
	}{
		{"match", "MATCH (n:Entity) RETURN n LIMIT 1", true},
		{"allowed procedure", "CALL db.labels() YIELD label RETURN label", true},
		{"fulltext", "CALL db.index.fulltext.queryNodes('entity_names', 'x') YIELD node RETURN node", true},
		{"create", "CREATE (:Pwned)", false},
		{"set", "MATCH (n:Entity) SET n.pwned = 1", false},
		{"foreach", "FOREACH (x IN [1] | CREATE (:Pwned))", false},
		{"load csv is read-only to Neo4j", "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", false},
		{"dbms procedure", "CALL dbms.listConfig() YIELD name RETURN name", false},
		{"dbms.components", "CALL dbms.components() YIELD name RETURN name", false},
		{"db procedure not allowed", "CALL db.createLabel('Pwned')", false},
		{"gds projection is read-only to Neo4j", "CALL gds.graph.project('pwned', '*', '*')", false},
		{"gds cypher projection", "CALL gds.graph.project.cypher('pwned', 'MATCH (n) RETURN id(n) AS id', 'MATCH (a)-->(b) RETURN id(a) AS source, id(b) AS target')", false},
		{"gds write", "CALL gds.pageRank.write('pwned', {writeProperty: 'pwned'})", false},
		{"gds version", "CALL gds.version()", false},
		{"read batches", "UNWIND [1] AS i CALL { WITH i RETURN i AS j } IN TRANSACTIONS RETURN j", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			sess := drv.NewSession(ctx, neo4j.SessionConfig{DatabaseName: "neo4j", AccessMode: neo4j.AccessModeRead})
			defer sess.Close(ctx)
			res, err := sess.Run(ctx, "EXPLAIN "+tc.text, nil)
			if err != nil {
				t.Fatal(err)
			}
			sum, err := res.Consume(ctx)
			if err != nil {
				t.Fatal(err)
			}
			err = cypher.CheckPlan(sum.StatementType(), sum.Plan())
			if (err == nil) != tc.ok {
				t.Fatalf("CheckPlan = %v, want ok %v", err, tc.ok)
			}
			if err != nil && graph.ErrorCode(err) != graph.CodeInvalid {
				t.Errorf("code %s", graph.ErrorCode(err))
			}
		})
	}
}
