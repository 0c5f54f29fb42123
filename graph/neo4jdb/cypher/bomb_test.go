package cypher_test

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
)

// nest wraps inner n times in format, whose %s is the inner expression.
func nest(format, inner string, n int) string {
	for range n {
		inner = strings.Replace(format, "%s", inner, 1)
	}
	return inner
}

// withChain is WITH s0 AS s followed by n clauses WITH step AS s.
func withChain(start, step string, n int) string {
	return "WITH " + start + " AS s " + strings.Repeat("WITH "+step+" AS s ", n) + "RETURN size(s) AS n"
}

// cypherBombs are queries that build values Neo4j's transaction memory
// tracking does not see (expression values: strings, lists, maps), or that
// it sees; every one must be refused (CodeInvalid, the message naming the
// construct) or cut off (CodeTooLarge) while Neo4j stays up. Before the
// guard refused them, the first one killed the embedded Neo4j with
// java.lang.OutOfMemoryError.
var cypherBombs = []struct {
	name   string
	text   string
	params map[string]any
	want   string // substring of the refusal's message; "" for a cut-off
}{
	// reduce: each step may reuse the accumulator.
	{"reduce string doubling", "RETURN size(reduce(s = 'x', i IN range(1, 40) | s + s)) AS n", nil, "reduce"},
	{"reduce string doubling 29", "RETURN size(reduce(s = 'x', i IN range(1, 29) | s + s)) AS n", nil, "reduce"},
	{"reduce list doubling", "RETURN size(reduce(l = [1], i IN range(1, 40) | l + l)) AS n", nil, "reduce"},
	{"reduce concat operator", "RETURN size(reduce(s = 'x', i IN range(1, 40) | s || s)) AS n", nil, "reduce"},
	{"reduce number turned string", "RETURN size(reduce(t = 0, i IN range(1, 40) | t + toString(t))) AS n", nil, "reduce"},
	{"reduce replace", "RETURN size(reduce(s = 'xx', i IN range(1, 40) | replace(s, 'x', 'xx'))) AS n", nil, "reduce"},
	{"reduce map nesting", "RETURN size(toString(reduce(m = {}, i IN range(1, 40) | {a: m, b: m}))) AS n", nil, "reduce"},
	{"reduce over comprehension", "WITH [x IN range(1, 1000) | 'xxxxxxxxxxxxxxxx'] AS l RETURN size(reduce(t = 0, x IN l | t + x)) AS n", nil, "reduce"},
	{"reduce path doubling", "MATCH p = (a)-[*0..1]-(b) WITH p LIMIT 1 RETURN size(toString(reduce(t = 0, r IN relationships(p) | t + t))) AS n", nil, "reduce"},
	// range() materialised by a comprehension, or nested.
	{"comprehension over huge range", "RETURN size([x IN range(1, 100000000) | x]) AS n", nil, "range"},
	{"range bound from parameter", "RETURN size([x IN range(1, $n) | x]) AS n", map[string]any{"n": 100000000}, "range"},
	{"range bound computed", "RETURN size([x IN range(1, 10000 * 10000) | x]) AS n", nil, "range"},
	{"nested comprehensions", "RETURN size([a IN range(1, 1000) | [b IN range(1, 1000) | [c IN range(1, 1000) | c]]]) AS n", nil, "nested"},
	{"nested over collected nodes", "MATCH (n) WITH collect(n) AS ns RETURN size([a IN ns | [b IN ns | [c IN ns | 1]]]) AS n", nil, "nested"},
	{"range in comprehension body", "RETURN size([a IN range(1, 1000) | range(1, 1000)]) AS n", nil, "nested"},
	{"pattern comprehension nested", "RETURN size([(a)--(b) | [(c)--(d) | d]]) AS n", nil, "nested"},
	{"collect subquery in comprehension", "RETURN size([a IN range(1, 1000) | COLLECT { MATCH (n) RETURN n }]) AS n", nil, "nested"},
	// Straight-line growth: every + may double a value.
	{"with chain doubling", withChain("'xxxxxxxxxxxxxxxx'", "s + s", 34), nil, "grow"},
	{"with chain concat operator", withChain("'xxxxxxxxxxxxxxxx'", "s || s", 34), nil, "grow"},
	{"with chain list doubling", withChain("[1, 2, 3, 4, 5, 6, 7, 8]", "s + s", 34), nil, "grow"},
	{"fibonacci", "WITH 'x' AS a, 'y' AS b " + strings.Repeat("WITH b AS a, a + b AS b ", 50) + "RETURN size(b) AS n", nil, "grow"},
	{"nested replace empty search", "RETURN size(" + nest("replace(%s, '', 'xxxxxxxxxx')", "'xxxxxxxxxx'", 12) + ") AS n", nil, "replace"},
	{"replace with parameter", "RETURN size(replace($s, '', $s)) AS n", map[string]any{"s": strings.Repeat("x", 30000)}, "replace"},
	{"normalize then concat", withChain("'\uFDFA'", "normalize(s + s, NFKD)", 30), nil, "grow"},
	// Large inputs.
	{"huge parameter", "RETURN size($s) AS n", map[string]any{"s": strings.Repeat("x", 1<<20)}, "parameters"},
	// Aggregations Neo4j does track: cut off by db.memory.transaction.max.
	{"collect over cartesian product", "UNWIND range(1, 1000) AS a UNWIND range(1, 1000) AS b UNWIND range(1, 1000) AS c RETURN size(collect([a, b, c, 'xxxxxxxxxxxxxxxxxxxxxxxx'])) AS n", nil, ""},
	{"sort of cartesian product", "UNWIND range(1, 1000) AS a UNWIND range(1, 1000) AS b UNWIND range(1, 1000) AS c WITH a, b, c, 'xxxxxxxxxxxxxxxxxxxxxxxx' + c AS s ORDER BY s RETURN count(*) AS n", nil, ""},
}

// TestCypherMemoryBombs runs every bomb and, right after it, RETURN 1: the
// bomb must be refused or cut off with a 4xx code and Neo4j must still
// answer.
func TestCypherMemoryBombs(t *testing.T) {
	db, _, _ := cyLoad(t)
	alive := func(t *testing.T, after string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		res, err := db.RunReadOnly(ctx, graph.CypherQuery{Text: "RETURN 1 AS one", Timeout: 10 * time.Second})
		if err != nil || len(res.Rows) != 1 || string(res.Rows[0][0]) != "1" {
			t.Fatalf("after %s, RETURN 1 failed (Neo4j down?): %v %v", after, res.Rows, err)
		}
	}
	alive(t, "nothing")
	for _, tc := range cypherBombs {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			res, err := db.RunReadOnly(ctx, graph.CypherQuery{Text: tc.text, Params: tc.params, Timeout: 30 * time.Second, MaxRows: 10})
			switch code := graph.ErrorCode(err); {
			case err == nil:
				t.Errorf("ran, returning %s", res.Rows)
			case tc.want == "" && code != graph.CodeTooLarge && code != graph.CodeInvalid:
				t.Errorf("code %s, want too_large or invalid: %v", code, err)
			case tc.want != "" && code != graph.CodeInvalid:
				t.Errorf("code %s, want invalid: %v", code, err)
			case tc.want != "" && !strings.Contains(graph.ErrorMessage(err), tc.want):
				t.Errorf("message %q does not name %q", graph.ErrorMessage(err), tc.want)
			default:
				t.Logf("%s: %s", code, graph.ErrorMessage(err))
			}
			alive(t, tc.name)
		})
	}
}

// TestCypherMemoryRulesAllow: the memory rules leave ordinary analyst
// queries alone (numeric folds over paths, short ranges, one level of
// comprehension, a few concatenations, replace() with literals).
func TestCypherMemoryRulesAllow(t *testing.T) {
	db, _, prefix := cyLoad(t)
	a := map[string]any{"a": prefix + "person:a", "p": prefix}
	tests := []struct {
		name   string
		text   string
		params map[string]any
		want   string // the first cell of the first row, as JSON
	}{
		{"sum over path relationships", "MATCH p = (:Entity {id: $a})-[:OPERATES]->(:Compound) RETURN reduce(total = 0, r IN relationships(p) | total + 1) AS n", a, "1"},
		{"max over path nodes", "MATCH p = (:Entity {id: $a})-[:OPERATES]->(:Compound) RETURN reduce(m = 0, n IN nodes(p) | CASE WHEN size(n.id) > m THEN size(n.id) ELSE m END) AS n", a, ""},
		{"product of coalesced weights", "MATCH p = (:Entity {id: $a})-[*1..2]-(:Entity) WITH p LIMIT 1 RETURN reduce(c = 1.0, r IN relationships(p) | c * coalesce(r.confidence, 1.0)) AS n", a, "1"},
		{"short range", "UNWIND range(1, 1000) AS i RETURN count(i) AS n", nil, "1000"},
		{"comprehension over short range", "RETURN size([x IN range(0, 999) WHERE x % 2 = 0 | x * 2]) AS n", nil, "500"},
		{"comprehension over collected nodes", "MATCH (n:Entity) WHERE n.id STARTS WITH $p WITH collect(n) AS ns RETURN size([x IN ns | x.id + ' (' + x.name + ')']) AS n", a, "4"},
		{"pattern comprehension", "MATCH (n:Entity {id: $a}) RETURN size([(n)-[:OPERATES]->(c) | c.name]) AS n", a, "1"},
		{"concatenations", "MATCH (n:Entity {id: $a}) RETURN n.name + ' / ' + n.id + ' / ' + toUpper(n.name) AS n", a, ""},
		{"replace with literals", "MATCH (n:Entity {id: $a}) RETURN replace(n.name, 'Cypherguard', 'C.') AS n", a, `"Zorvath C."`},
		{"list predicate", "MATCH (n:Entity {id: $a}) RETURN any(x IN n.aliases WHERE x = 'y') OR true AS n", a, "true"},
		{"map projection", "MATCH (n:Entity {id: $a}) RETURN n{.id, .name, kinds: labels(n)}.id AS n", a, `"` + prefix + `person:a"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			res, err := db.RunReadOnly(ctx, graph.CypherQuery{Text: tc.text, Params: tc.params, Timeout: 20 * time.Second})
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if len(res.Rows) == 0 {
				t.Fatal("no rows")
			}
			if got := string(res.Rows[0][0]); tc.want != "" && got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestCypherDynamicAccessRefused: no dynamic label, type or property
// expression, negated or wildcard label, label test or internal-id lookup
// reaches an :ApiKey node (issue 15: MATCH (n:$($l)) RETURN n{.*} with
// l = "ApiKey" read the credentials' properties).
func TestCypherDynamicAccessRefused(t *testing.T) {
	db, _, prefix := cyLoad(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, _, err := db.CreateKey(ctx, prefix+"dynamic label target", graph.RoleReader); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = db.DeleteKeysByNamePrefix(context.Background(), prefix) })
	l := map[string]any{"l": "Api" + "Key", "t": "OPERATES", "k": "hash"}
	tests := []struct{ name, text string }{
		{"dynamic label", "MATCH (n:$($l)) RETURN n{.*} AS n"},
		{"dynamic label any", "MATCH (n:$any([$l])) RETURN n{.*} AS n"},
		{"dynamic label all", "MATCH (n:$all([$l])) RETURN n.hash AS n"},
		{"dynamic type", "MATCH ()-[r:$($t)]->() RETURN r LIMIT 1"},
		{"negated label", "MATCH (n:!Entity) RETURN n.hash AS n"},
		{"wildcard label", "MATCH (n:%) WHERE n.hash IS NOT NULL RETURN n.hash AS n"},
		{"unlabelled with property test", "MATCH (n) WHERE n.hash IS NOT NULL RETURN n.name, n.role, n.hash"},
		{"dynamic property on any node", "MATCH (n) WHERE n[$k] IS NOT NULL RETURN n[$k] AS n"},
		{"labels function", "MATCH (n) WHERE any(x IN labels(n) WHERE x STARTS WITH 'Api') RETURN n.hash AS n"},
		{"internal id", "MATCH (n) WHERE id(n) >= 0 AND n.hash IS NOT NULL RETURN n.hash AS n"},
		{"element id", "MATCH (n) WHERE elementId(n) IN $ids RETURN n.hash AS n"},
		{"optional match all", "OPTIONAL MATCH (n) WHERE n.role IS NOT NULL RETURN n.role AS n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			params := maps.Clone(l)
			params["ids"] = []any{"4:x:0"}
			res, err := db.RunReadOnly(ctx, graph.CypherQuery{Text: tc.text, Params: params, Timeout: 10 * time.Second, MaxRows: 10})
			if err == nil {
				t.Fatalf("ran, returning %s", res.Rows)
			}
			if graph.ErrorCode(err) != graph.CodeInvalid {
				t.Fatalf("code %s, want invalid: %v", graph.ErrorCode(err), err)
			}
			t.Logf("refused: %s", graph.ErrorMessage(err))
		})
	}
}
