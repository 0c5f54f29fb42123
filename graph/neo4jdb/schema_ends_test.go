package neo4jdb_test

import (
	"context"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/read"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestSchemaBackfillsRelationshipEnds: a store written before
// schema/005-relationship-ends (relationships without _from_id and
// _to_id) gets them when the schema is applied, and its neighbours page
// the keyset way; MENTIONED_IN stays without them.
func TestSchemaBackfillsRelationshipEnds(t *testing.T) {
	db := neo4jtest.Open(t)
	drv, cfg := rawDriver(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	run := func(q string) *neo4j.EagerResult {
		t.Helper()
		res, err := neo4j.ExecuteQuery(ctx, drv, q, map[string]any{"p": p}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(cfg.Database))
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return res
	}
	// the old stored form: no ends on the relationships; the step not done
	run(`CREATE (s:Entity:Source {id: $p + 'src', name: 'S'}),
	        (a:Entity:Person {id: $p + 'a', name: 'A', sources: [$p + 'src']}),
	        (b:Entity:Company {id: $p + 'b', name: 'B', sources: [$p + 'src']}),
	        (a)-[:OWNS {id: $p + 'a-[OWNS]->' + $p + 'b', evidence: 'record', evidence_rank: 3, sources: [$p + 'src']}]->(b),
	        (b)-[:LOCATED_IN {id: $p + 'b-[LOCATED_IN]->' + $p + 'a', evidence: 'record', evidence_rank: 3, sources: [$p + 'src']}]->(a),
	        (a)-[:MENTIONED_IN]->(s)`)
	run(`MATCH (s:SchemaStep {name: '005-relationship-ends'}) DELETE s`)
	if err := db.ApplySchema(ctx); err != nil {
		t.Fatalf("apply schema: %v", err)
	}
	res := run(`MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id STARTS WITH $p
	            RETURN type(r) AS t, r._from_id = a.id AS from, r._to_id = b.id AS to, r._from_id IS NULL AS none ORDER BY t`)
	want := map[string][3]bool{"LOCATED_IN": {true, true, false}, "MENTIONED_IN": {false, false, true}, "OWNS": {true, true, false}}
	if len(res.Records) != len(want) {
		t.Fatalf("%d relationships, want %d", len(res.Records), len(want))
	}
	for _, rec := range res.Records {
		typ, _ := rec.Get("t")
		from, _ := rec.Get("from")
		to, _ := rec.Get("to")
		none, _ := rec.Get("none")
		w := want[typ.(string)]
		t.Run(typ.(string), func(t *testing.T) {
			if typ == "MENTIONED_IN" {
				if none != true {
					t.Errorf("MENTIONED_IN got ends")
				}
				return
			}
			if from != w[0] || to != w[1] {
				t.Errorf("ends: from %v, to %v, want both true", from, to)
			}
		})
	}
	if n := len(run(`MATCH (s:SchemaStep {name: '005-relationship-ends'}) RETURN s`).Records); n != 1 {
		t.Errorf("%d step markers, want 1", n)
	}
	// the backfilled store pages by keyset: both directions are found
	defer func(d int) { read.KeysetMinDegree = d }(read.KeysetMinDegree)
	read.KeysetMinDegree = 0
	g, err := db.Neighbors(ctx, graph.NeighborsQuery{ID: p + "a", Depth: 1, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Nodes) != 2 || len(g.Edges) != 2 {
		t.Errorf("neighbours: %d nodes, %d edges, want 2 and 2", len(g.Nodes), len(g.Edges))
	}
}

// rawDriver is a driver of its own on the test database, for fixtures in
// Cypher and PROFILE; closed when the test ends.
func rawDriver(t testing.TB) (neo4j.DriverWithContext, neo4jdb.Config) {
	t.Helper()
	cfg := neo4jtest.Config(t)
	drv, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { drv.Close(context.Background()) })
	return drv, cfg
}
