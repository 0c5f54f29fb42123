package neo4jdb_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// BenchmarkAnalytics runs each analysis over a generated graph of
// ANALYTICS_BENCH_N entities (default 100000: a tenth persons, the rest
// companies) with 3 random ties each, beside the same degree question in
// plain Cypher. It reports wall time per run and the Neo4j JVM's peak heap
// over the run (sampled every 50 ms through JMX), above the heap used
// before it. Meant for a Neo4j of its own (the whole graph is analysed):
//
//	ANALYTICS_BENCH_N=100000 go test ./graph/neo4jdb -run '^$' -bench BenchmarkAnalytics -benchtime 1x -count 3
func BenchmarkAnalytics(b *testing.B) {
	n := 100000
	if v := os.Getenv("ANALYTICS_BENCH_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	cfg := neo4jtest.Config(b)
	// The whole graph is analysed: at 1M entities GDS's estimate passes the
	// service's default cap, so the benchmark's cap is its own.
	cfg.AnalyticsMaxMemory = 4 << 30
	if v := os.Getenv("ANALYTICS_BENCH_MAX_MEMORY"); v != "" {
		var err error
		if cfg.AnalyticsMaxMemory, err = strconv.ParseInt(v, 10, 64); err != nil {
			b.Fatal(err)
		}
	}
	// ANALYTICS_BENCH_STEPS=1 prints each query's time (count, estimate,
	// projection, algorithms, entities...) to stderr: where the time goes.
	if os.Getenv("ANALYTICS_BENCH_STEPS") != "" {
		cfg.ObserveQuery = func(name string, d time.Duration, err error) {
			fmt.Fprintf(os.Stderr, "  step %-28s %8.2fs %v\n", name, d.Seconds(), err)
		}
	}
	db, err := neo4jdb.Open(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close(context.Background()) })
	ctx := context.Background()
	if err := db.ApplySchema(ctx); err != nil {
		b.Fatal(err)
	}
	// ANALYTICS_BENCH_PREFIX keeps the graph under that prefix: the first
	// run generates it (and leaves it in the database), later runs reuse it.
	// Without it the graph is generated under a fresh prefix and deleted.
	prefix := os.Getenv("ANALYTICS_BENCH_PREFIX")
	if prefix == "" {
		prefix = neo4jtest.Prefix(b)
		neo4jtest.Cleanup(b, db, prefix)
		generateBench(b, db, prefix, n)
	} else if have := benchEntities(b, cfg, prefix); have < n {
		if have > 0 {
			b.Fatalf("%s holds %d entities, not %d: delete them or pick another prefix", prefix, have, n)
		}
		generateBench(b, db, prefix, n)
	}
	runAnalyticsBench(b, db, prefix)
}

// benchEntities counts the entities generated under prefix.
func benchEntities(b *testing.B, cfg neo4jdb.Config, prefix string) int {
	drv, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		b.Fatal(err)
	}
	defer drv.Close(context.Background())
	res, err := neo4j.ExecuteQuery(context.Background(), drv,
		"MATCH (n:Entity) WHERE n.id STARTS WITH $prefix RETURN count(n) AS n", map[string]any{"prefix": prefix}, neo4j.EagerResultTransformer)
	if err != nil {
		b.Fatal(err)
	}
	c, _ := res.Records[0].Values[0].(int64)
	return int(c)
}

func generateBench(b *testing.B, db *neo4jdb.DB, prefix string, n int) {
	ctx := context.Background()
	start := time.Now()
	persons := n / 10
	// One statement per chunk: each stays far under the transaction timeout.
	var script []string
	for lo := 0; lo < persons; lo += 10000 {
		script = append(script, fmt.Sprintf("UNWIND range(%d, %d) AS i CREATE (:Entity:Person {id: '%sp' + i, name: 'Person ' + i})",
			lo, min(lo+10000, persons)-1, prefix))
	}
	for lo := 0; lo < n-persons; lo += 10000 {
		script = append(script, fmt.Sprintf("UNWIND range(%d, %d) AS i CREATE (:Entity:Company {id: '%sc' + i, name: 'Company ' + i})",
			lo, min(lo+10000, n-persons)-1, prefix))
	}
	// Every company has an owner (a person) and two ties to other
	// companies, the first to a low-numbered one (a few hubs).
	for lo := 0; lo < n-persons; lo += 5000 {
		script = append(script, fmt.Sprintf(`UNWIND range(%[4]d, %[5]d) AS i
MATCH (c:Entity {id: '%[2]sc' + i}), (p:Entity {id: '%[2]sp' + toInteger(rand() * %[3]d)})
CREATE (p)-[:OWNS {evidence_rank: 2}]->(c)
WITH c
MATCH (o:Entity {id: '%[2]sc' + toInteger(rand() * rand() * %[1]d)}), (q:Entity {id: '%[2]sc' + toInteger(rand() * %[1]d)})
CREATE (c)-[:ASSOCIATE_OF {evidence_rank: 1}]->(o), (c)-[:CONTROLS {evidence_rank: 3}]->(q)`, n-persons, prefix, persons, lo, min(lo+5000, n-persons)-1))
	}
	if err := db.RunScript(ctx, script); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d entities under %s in %s", n, prefix, time.Since(start).Round(time.Millisecond))
}

func runAnalyticsBench(b *testing.B, db *neo4jdb.DB, prefix string) {
	ctx := context.Background()

	cfg := neo4jtest.Config(b)
	drv, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		b.Fatal(err)
	}
	defer drv.Close(ctx)
	q := graph.AnalyticsQuery{Projection: graph.Projection{Kinds: []graph.Kind{graph.KindPerson, graph.KindCompany}}}
	cases := []struct {
		name string
		run  func() error
	}{
		{"cypher-degree", func() error {
			_, err := neo4j.ExecuteQuery(ctx, drv, "MATCH (n:Entity) WHERE n:Person OR n:Company RETURN n.id AS id, COUNT { (n)--() } AS degree ORDER BY degree DESC LIMIT 20",
				nil, neo4j.EagerResultTransformer)
			return err
		}},
		{"key-players", func() error { _, err := db.KeyPlayers(ctx, q); return err }},
		{"brokers", func() error { _, err := db.Brokers(ctx, q); return err }},
		{"communities-louvain", func() error {
			_, err := db.Communities(ctx, graph.CommunityQuery{AnalyticsQuery: q, Algorithm: graph.CommunityLouvain})
			return err
		}},
		{"communities-wcc", func() error {
			_, err := db.Communities(ctx, graph.CommunityQuery{AnalyticsQuery: q, Algorithm: graph.CommunityWCC})
			return err
		}},
		{"similar", func() error {
			_, err := db.Similar(ctx, graph.SimilarQuery{ID: prefix + "c0", AnalyticsQuery: graph.AnalyticsQuery{Projection: q.Projection}})
			return err
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			base, err := heapUsed(drv)
			if err != nil {
				b.Fatal(err)
			}
			for range b.N {
				peak := watchHeap(drv)
				t0 := time.Now()
				if err := tc.run(); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(time.Since(t0).Seconds(), "s/run")
				b.ReportMetric(float64(max(0, peak()-base))/(1<<20), "MiB-peak-heap")
			}
		})
	}
}

// heapUsed is the Neo4j JVM's heap in use, bytes.
func heapUsed(drv neo4j.DriverWithContext) (int64, error) {
	res, err := neo4j.ExecuteQuery(context.Background(), drv,
		"CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes RETURN attributes.HeapMemoryUsage.value.properties.used AS used",
		nil, neo4j.EagerResultTransformer)
	if err != nil {
		return 0, err
	}
	used, _ := res.Records[0].Values[0].(int64)
	return used, nil
}

// watchHeap samples heapUsed until the returned function is called, which
// returns the highest sample.
func watchHeap(drv neo4j.DriverWithContext) func() int64 {
	var mu sync.Mutex
	var peak int64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			u, _ := heapUsed(drv)
			mu.Lock()
			peak = max(peak, u)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	return func() int64 {
		close(done)
		<-stopped
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}
