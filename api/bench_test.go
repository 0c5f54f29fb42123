package api_test

import (
	"context"
	"fmt"
	"math/rand"
	"net/http"
	"net/url"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// The benchmarks compare a request through the gin handler (in process, via
// httptest) with the same Reader call straight on the driver, on a
// generated graph of benchEntities entities (people, companies, compounds,
// a few locations) and about 3 relationships per entity. They report p50
// and p99 latencies. They need NEO4J_TEST_URI.

const benchEntities = 5000

var bench struct {
	once   sync.Once
	db     *neo4jdb.DB
	prefix string
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.db != nil {
		if _, err := bench.db.DeleteByIDPrefix(context.Background(), bench.prefix); err != nil {
			fmt.Fprintln(os.Stderr, "clean up benchmark graph:", err)
		}
		_ = bench.db.Close(context.Background())
	}
	os.Exit(code)
}

// benchGraph writes the generated graph once per process.
func benchGraph(b *testing.B) (*neo4jdb.DB, string) {
	b.Helper()
	cfg := neo4jtest.Config(b) // skips without NEO4J_TEST_URI
	bench.once.Do(func() {
		db, err := neo4jdb.Open(cfg)
		if err != nil {
			bench.err = err
			return
		}
		bench.db, bench.prefix = db, neo4jtest.Prefix(b)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if err := db.ApplySchema(ctx); err != nil {
			bench.err = err
			return
		}
		bench.err = generate(ctx, db, bench.prefix)
	})
	if bench.err != nil {
		b.Fatalf("benchmark graph: %v", bench.err)
	}
	return bench.db, bench.prefix
}

func generate(ctx context.Context, db *neo4jdb.DB, p string) error {
	rng := rand.New(rand.NewSource(1))
	src := p + "src"
	srcEnt := graph.Entity{ID: src, Kinds: []graph.Kind{graph.KindSource}, Name: "Bench source", Properties: map[string]graph.Value{
		"published": graph.DateValue(graph.Date{Year: 2024, Month: 1, Day: 1}), "publisher": graph.StringValue("B"), "source_type": graph.StringValue("news")}}
	if _, err := db.UpsertEntities(ctx, []graph.Entity{srcEnt}, false); err != nil {
		return err
	}
	kinds := []graph.Kind{graph.KindPerson, graph.KindCompany, graph.KindCompany, graph.KindCompound, graph.KindTycoon}
	var ents []graph.Entity
	for i := 0; i < benchEntities; i++ {
		k := kinds[i%len(kinds)]
		props := map[string]graph.Value{}
		if i < 20 {
			k = graph.KindLocation
			props["location_type"] = graph.StringValue("country")
		}
		ents = append(ents, graph.Entity{ID: fmt.Sprintf("%se%05d", p, i), Kinds: []graph.Kind{k},
			Name: fmt.Sprintf("Bench %s %d", k, i), Sources: []string{src}, Properties: props})
	}
	for i := 0; i < len(ents); i += 1000 {
		if _, err := db.UpsertEntities(ctx, ents[i:min(i+1000, len(ents))], false); err != nil {
			return err
		}
	}
	types := []graph.RelType{graph.RelOwns, graph.RelControls, graph.RelDirects, graph.RelAssociateOf, graph.RelOperates}
	seen := map[string]bool{}
	var rels []graph.Relationship
	kindOf := func(i int) []graph.Kind { return ents[i].Kinds }
	add := func(from, to int, t graph.RelType) {
		// Only ties the model allows between the two kinds (the store
		// refuses the others).
		if ends := graph.EndpointsOf(t); from == to || !graph.EndpointsFit(ends.From, kindOf(from)) || !graph.EndpointsFit(ends.To, kindOf(to)) {
			return
		}
		f, tt := fmt.Sprintf("%se%05d", p, from), fmt.Sprintf("%se%05d", p, to)
		id := graph.RelationshipID(f, t, tt, "")
		if seen[id] {
			return
		}
		seen[id] = true
		rels = append(rels, graph.Relationship{ID: id, Type: t, From: f, To: tt, Evidence: graph.Evidences()[rng.Intn(6)],
			Sources: []string{src}, Properties: map[string]graph.Value{}})
	}
	for i := 20; i < benchEntities; i++ {
		add(i, 20+rng.Intn(benchEntities-20), types[rng.Intn(len(types))])
		add(i, 20+rng.Intn(benchEntities-20), types[rng.Intn(len(types))])
		add(i, rng.Intn(20), graph.RelLocatedIn) // 20 countries: dense nodes
	}
	for i := 0; i < len(rels); i += 2000 {
		if _, err := db.UpsertRelationships(ctx, rels[i:min(i+2000, len(rels))], false); err != nil {
			return err
		}
	}
	return nil
}

// latencies records durations and reports p50 and p99.
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	b.ReportMetric(float64(l[len(l)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(l[min(len(l)-1, len(l)*99/100)].Microseconds())/1000, "p99-ms")
}

func benchID(p string, i int) string { return fmt.Sprintf("%se%05d", p, 20+i%(benchEntities-20)) }

func benchAPI(b *testing.B, target func(p string, i int) string) {
	db, p := benchGraph(b)
	h := api.New(api.Config{Reader: db, Keys: db, Logger: discardLogger(), Limits: unlimited})
	key := testKeys(b, db)[graph.RoleReader]
	var lat latencies
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		rec := serve(h, request(http.MethodGet, target(p, i), key, nil))
		lat = append(lat, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
	b.StopTimer()
	lat.report(b)
}

func benchDriver(b *testing.B, call func(ctx context.Context, db *neo4jdb.DB, p string, i int) error) {
	db, p := benchGraph(b)
	var lat latencies
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), api.DefaultRequestTimeout)
		err := call(ctx, db, p, i)
		cancel()
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	lat.report(b)
}

func BenchmarkNeighborsDepth2API(b *testing.B) {
	benchAPI(b, func(p string, i int) string {
		return "/v1/entities/" + url.PathEscape(benchID(p, i*7)) + "/neighbors?depth=2&limit=100"
	})
}

func BenchmarkNeighborsDepth2Driver(b *testing.B) {
	benchDriver(b, func(ctx context.Context, db *neo4jdb.DB, p string, i int) error {
		_, err := db.Neighbors(ctx, graph.NeighborsQuery{ID: benchID(p, i*7), Depth: 2, Limit: 100})
		return err
	})
}

func BenchmarkPathsShortestAPI(b *testing.B) {
	benchAPI(b, func(p string, i int) string {
		return "/v1/paths?from=" + url.QueryEscape(benchID(p, i*7)) + "&to=" + url.QueryEscape(benchID(p, i*13+101)) + "&max_hops=4"
	})
}

func BenchmarkPathsShortestDriver(b *testing.B) {
	benchDriver(b, func(ctx context.Context, db *neo4jdb.DB, p string, i int) error {
		_, err := db.Paths(ctx, graph.PathsQuery{From: benchID(p, i*7), To: benchID(p, i*13+101), MaxHops: 4,
			Mode: graph.PathShortest, Limit: graph.DefaultPathsLimit})
		return err
	})
}
