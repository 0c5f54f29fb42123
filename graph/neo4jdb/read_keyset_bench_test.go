package neo4jdb_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/read"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// BenchmarkNeighborsSuperNode measures db.Neighbors (what GET
// /v1/entities/{id}/neighbors runs at depth 1, limit 100) on a country with
// SCAMGRAPH_BENCH_DEGREE (default 100000) companies LOCATED_IN it: the
// first page, one half-way through and the last, each through the keyset query (read-neighbors-keyset, the root's degree is
// above read.KeysetMinDegree) and, in the same run, through the query
// before it (read-neighbors, which reads every relationship of the root on
// every page: read.KeysetMinDegree raised out of reach). It reports the
// median and p90 milliseconds of a page. Run on purpose, on your own Neo4j
// (the fixture takes a minute or two to write):
//
//	go test ./graph/neo4jdb -run '^$' -bench NeighborsSuperNode -benchtime 30x
func BenchmarkNeighborsSuperNode(b *testing.B) {
	neo4jtest.Open(b) // waits for the test Neo4j, applies the schema
	// A store of its own that records each statement's time, so that a
	// page's time splits into its statements (each reported as its p50).
	var mu sync.Mutex
	stmts := map[string][]time.Duration{}
	cfg := neo4jtest.Config(b)
	cfg.ObserveQuery = func(name string, d time.Duration, err error) {
		mu.Lock()
		defer mu.Unlock()
		stmts[name] = append(stmts[name], d)
	}
	db, err := neo4jdb.Open(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close(context.Background()) })
	ctx := context.Background()
	p := neo4jtest.Prefix(b)
	neo4jtest.Cleanup(b, db, p)
	n := 100000
	if v := os.Getenv("SCAMGRAPH_BENCH_DEGREE"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	drv, cfg := rawDriver(b)
	// Written by Cypher, in the stored form of relationship-upsert (the
	// ends' ids included): the importer takes minutes for 100k
	// relationships on one node on a loaded machine.
	setup := []string{
		`CREATE (:Entity:Location {id: $p + 'country', name: 'Superland', sources: [$p + 'src']})`,
		`CREATE (:Entity:Source {id: $p + 'src', name: 'S', published: date('2020-01-01')})`,
	}
	companies := `MATCH (c:Entity {id: $p + 'country'})
		 UNWIND range($lo, $hi) AS i
		 WITH c, i, $p + 'co-' + right('000000' + i, 6) AS id
		 CREATE (:Entity:Company {id: id, name: 'Co ' + i, sources: [$p + 'src']})
		   -[:LOCATED_IN {id: id + '-[LOCATED_IN]->' + c.id, evidence: 'media_report', evidence_rank: 2, sources: [$p + 'src'],
		                  _from_id: id, _to_id: c.id}]->(c)`
	start := time.Now()
	for _, s := range setup {
		if _, err := neo4j.ExecuteQuery(ctx, drv, s, map[string]any{"p": p}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(cfg.Database)); err != nil {
			b.Fatalf("setup: %v", err)
		}
	}
	for lo := 1; lo <= n; lo += 5000 { // one transaction per 5,000
		if _, err := neo4j.ExecuteQuery(ctx, drv, companies, map[string]any{"p": p, "lo": lo, "hi": min(n, lo+4999)},
			neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(cfg.Database)); err != nil {
			b.Fatalf("setup: %v", err)
		}
	}
	b.Logf("fixture: %d relationships in %v", n, time.Since(start))

	q := graph.NeighborsQuery{ID: p + "country", Depth: 1, Limit: 100}
	key := q.CursorKey()
	pages := []struct{ name, after string }{
		{"first", ""},
		{"middle", p + fmt.Sprintf("co-%06d", n/2)},
		{"last", p + fmt.Sprintf("co-%06d", n-100)},
	}
	for _, pg := range pages {
		for _, side := range []struct {
			name      string
			minDegree int
		}{{"keyset", read.KeysetMinDegree}, {"read-neighbors", math.MaxInt}} {
			b.Run(pg.name+"/"+side.name, func(b *testing.B) {
				defer func(d int) { read.KeysetMinDegree = d }(read.KeysetMinDegree)
				read.KeysetMinDegree = side.minDegree
				pq := q
				if pg.after != "" {
					pq.Cursor = graph.EncodeCursor(graph.Cursor{After: pg.after, Hop: 1, Key: key})
				}
				// one call to warm the plan and the page cache, not timed
				if g, err := db.Neighbors(ctx, pq); err != nil || len(g.Nodes) != 101 {
					b.Fatalf("warm-up: %d nodes, %v", len(g.Nodes), err)
				}
				times := make([]time.Duration, 0, b.N)
				mu.Lock()
				clear(stmts)
				mu.Unlock()
				b.ResetTimer()
				for range b.N {
					t0 := time.Now()
					g, err := db.Neighbors(ctx, pq)
					times = append(times, time.Since(t0))
					if err != nil || len(g.Nodes) != 101 {
						b.Fatalf("%d nodes, %v", len(g.Nodes), err)
					}
				}
				b.ReportMetric(percentile(times, 0.5), "p50-ms")
				b.ReportMetric(percentile(times, 0.9), "p90-ms")
				mu.Lock()
				for name, ds := range stmts { // "other": the per-type degrees, built in Go
					b.ReportMetric(percentile(ds, 0.5), name+"-p50-ms")
				}
				mu.Unlock()
			})
		}
	}
}
