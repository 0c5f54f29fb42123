package neo4jdb_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestProfileSuperNode PROFILEs the neighbour and path queries around a
// super-node (a country with 100k LOCATED_IN) and logs each plan's total
// db hits and time. It runs only with SCAMGRAPH_PROFILE=1 (it writes 100k
// nodes); it fails if a bounded query reads more than its bound allows.
func TestProfileSuperNode(t *testing.T) {
	if os.Getenv("SCAMGRAPH_PROFILE") == "" {
		t.Skip("set SCAMGRAPH_PROFILE=1 to profile the read queries around a 100k super-node")
	}
	db := neo4jtest.Open(t)
	cfg := neo4jtest.Config(t)
	drv, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer drv.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	p := neo4jtest.Prefix(t)
	t.Cleanup(func() {
		if _, err := db.DeleteByIDPrefix(context.Background(), p); err != nil {
			t.Errorf("clean up: %v", err)
		}
	})
	const n = 100000
	setup := []string{
		`CREATE (:Entity:Location {id: $p + 'country', name: 'Superland', sources: [$p + 'src']})`,
		`CREATE (:Entity:Source {id: $p + 'src', name: 'S', published: date('2020-01-01')})`,
		`MATCH (c:Entity {id: $p + 'country'})
		 UNWIND range(1, $n) AS i
		 CALL (c, i) {
		   CREATE (:Entity:Company {id: $p + 'co-' + right('000000' + i, 6), name: 'Co ' + i, sources: [$p + 'src']})
		     -[:LOCATED_IN {id: $p + 'r' + i, evidence: 'media_report', evidence_rank: 2, sources: [$p + 'src']}]->(c)
		 } IN TRANSACTIONS OF 10000 ROWS`,
		`MATCH (a:Entity {id: $p + 'co-000001'}), (b:Entity {id: $p + 'co-000002'})
		 CREATE (x:Entity:Person {id: $p + 'x', name: 'X', sources: [$p + 'src']}),
		        (x)-[:OWNS {id: $p + 'o1', evidence: 'charge', evidence_rank: 4, sources: [$p + 'src']}]->(a)`,
	}
	sess := drv.NewSession(ctx, neo4j.SessionConfig{DatabaseName: cfg.Database})
	defer sess.Close(ctx)
	for _, s := range setup { // auto-commit: CALL IN TRANSACTIONS needs it
		res, err := sess.Run(ctx, s, map[string]any{"p": p, "n": n})
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			t.Fatalf("setup: %v", err)
		}
	}
	types := func(ts ...graph.RelType) []string {
		if len(ts) == 0 {
			ts = graph.RelTypes()
		}
		var out []string
		for _, x := range ts {
			out = append(out, string(x))
		}
		return out
	}
	cases := []struct {
		name, query string
		ints        map[string]int
		params      map[string]any
		maxHits     int64 // 0: just log
	}{
		{name: "neighbors depth 1 of the super-node (limit 100)", query: "read-neighbors",
			params: map[string]any{"id": p + "country", "types": types(), "labels": []string{}, "after": "", "limit": int64(100), "asOf": nil, "late": []string{}}},
		{name: "neighbors depth 1 with as_of", query: "read-neighbors",
			params: map[string]any{"id": p + "country", "types": types(), "labels": []string{}, "after": "", "limit": int64(100), "asOf": neo4j.DateOf(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)), "late": []string{}}},
		{name: "neighbors hop through the super-node", query: "read-neighbors-hop",
			params: map[string]any{"ids": []string{p + "country"}, "behind": []string{}, "types": types(), "labels": []string{},
				"fanout": int64(graph.MaxNeighborFanout), "asOf": nil, "late": []string{}},
			maxHits: 30 * int64(graph.MaxNeighborFanout)},
		{name: "shortest path across the super-node", query: "read-paths-shortest", ints: map[string]int{"__max_hops": 4},
			params: map[string]any{"from": p + "x", "to": p + "co-099999", "types": types(), "minRank": int64(0), "limit": int64(25), "asOf": nil, "late": []string{},
				"maxDegree": int64(graph.DefaultPathHubDegree)}},
		{name: "shortest path, min evidence cuts the super-node", query: "read-paths-shortest", ints: map[string]int{"__max_hops": 4},
			params: map[string]any{"from": p + "x", "to": p + "co-099999", "types": types(), "minRank": int64(3), "limit": int64(25), "asOf": nil, "late": []string{},
				"maxDegree": int64(graph.DefaultPathHubDegree)}},
		{name: "all paths (k shortest) across the super-node", query: "read-paths-all", ints: map[string]int{"__max_hops": 4, "__k": 26},
			params: map[string]any{"from": p + "x", "to": p + "co-099999", "types": types(), "minRank": int64(0), "limit": int64(25), "asOf": nil, "late": []string{},
				"maxDegree": int64(graph.DefaultPathHubDegree)}, maxHits: 100000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := "PROFILE " + stripHeader(neo4jdb.ReadQueryText(c.query, c.ints))
			start := time.Now()
			res, err := neo4j.ExecuteQuery(ctx, drv, text, c.params, neo4j.EagerResultTransformer)
			if err != nil {
				t.Fatalf("profile: %v", err)
			}
			el := time.Since(start)
			prof := res.Summary.Profile()
			if prof == nil {
				t.Fatal("no profile")
			}
			hits, ops := totalHits(prof)
			t.Logf("%s: %d rows, %d db hits, %v; operators: %s", c.name, len(res.Records), hits, el, ops)
			if c.maxHits > 0 && hits > c.maxHits {
				t.Fatalf("%d db hits, want at most %d", hits, c.maxHits)
			}
		})
	}
}

func stripHeader(q string) string {
	var out []string
	for _, l := range strings.Split(q, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "//") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func totalHits(p neo4j.ProfiledPlan) (int64, string) {
	hits := p.DbHits()
	ops := fmt.Sprintf("%s(rows=%d,hits=%d)", p.Operator(), p.Records(), p.DbHits())
	for _, c := range p.Children() {
		h, o := totalHits(c)
		hits += h
		ops += " " + o
	}
	return hits, ops
}
