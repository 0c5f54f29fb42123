package neo4jdb_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// matchBenchRecords builds records to match from entities already in the
// database (a generated graph, `scamgraph-gen` + `scamgraph import`):
// persons written OFAC-style ("SURNAME, Given"), companies with a legal
// form added, as a sanctions list would name them.
func matchBenchRecords(b *testing.B, db interface {
	SampleIDs(context.Context, graph.Kind, int) ([]string, error)
	Entity(context.Context, graph.EntityQuery) (graph.EntityDetail, error)
}, n int) []graph.Entity {
	ctx := context.Background()
	var out []graph.Entity
	for _, k := range []graph.Kind{graph.KindTycoon, graph.KindOfficial, graph.KindPerson, graph.KindCompany} {
		ids, err := db.SampleIDs(ctx, k, n/4)
		if err != nil {
			b.Fatal(err)
		}
		for _, id := range ids {
			d, err := db.Entity(ctx, graph.EntityQuery{ID: id})
			if err != nil {
				b.Fatal(err)
			}
			name := d.Name
			if k == graph.KindCompany {
				name += " Co., Ltd."
			} else if w := strings.Fields(name); len(w) > 1 {
				name = strings.ToUpper(w[0]) + ", " + strings.Join(w[1:], " ")
			}
			out = append(out, graph.Entity{Kinds: []graph.Kind{k}, Name: name, Properties: map[string]graph.Value{}})
		}
	}
	if len(out) == 0 {
		b.Skip("no entities to sample: load a generated graph first (docs/benchmarks.md)")
	}
	return out
}

func percentile(d []time.Duration, p float64) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	return float64(s[min(len(s)-1, int(float64(len(s))*p))].Microseconds()) / 1000
}

// BenchmarkMatch measures db.Match (what POST /v1/match runs: blocking,
// reading the candidates, scoring) for sampled records against the loaded
// graph, with db.Search of the same names as the baseline measured in the
// same run. Run only on purpose, against a loaded graph:
//
//	MATCH_BENCH=1 go test ./graph/neo4jdb -run '^$' -bench 'BenchmarkMatch$' -benchtime 1x
func BenchmarkMatch(b *testing.B) {
	if os.Getenv("MATCH_BENCH") == "" {
		b.Skip("set MATCH_BENCH=1 and load a generated graph (docs/benchmarks.md)")
	}
	db := neo4jtest.Open(b)
	recs := matchBenchRecords(b, db, 200)
	ctx := context.Background()
	// warm-up: page cache and query plans
	for _, r := range recs[:min(20, len(recs))] {
		if _, err := db.Match(ctx, graph.MatchQuery{Entity: r, Role: graph.RoleAnalyst}); err != nil {
			b.Fatal(err)
		}
	}
	var match, search []time.Duration
	found := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, r := range recs {
			t0 := time.Now()
			res, err := db.Match(ctx, graph.MatchQuery{Entity: r, Role: graph.RoleAnalyst})
			if err != nil {
				b.Fatal(err)
			}
			match = append(match, time.Since(t0))
			if len(res.Candidates) > 0 && res.Candidates[0].Match {
				found++
			}
			t0 = time.Now()
			if _, err := db.Search(ctx, graph.SearchQuery{Text: r.Name, Role: graph.RoleAnalyst}); err != nil {
				b.Fatal(err)
			}
			search = append(search, time.Since(t0))
		}
	}
	b.StopTimer()
	b.ReportMetric(percentile(match, 0.5), "match-p50-ms")
	b.ReportMetric(percentile(match, 0.99), "match-p99-ms")
	b.ReportMetric(percentile(search, 0.5), "search-p50-ms")
	b.ReportMetric(percentile(search, 0.99), "search-p99-ms")
	b.ReportMetric(float64(found)/float64(len(match)), "found-ratio")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkDuplicatesPage measures one page of the whole-graph scan
// (GET /v1/duplicates: up to 1,000 entities read, blocked and scored).
//
//	MATCH_BENCH=1 go test ./graph/neo4jdb -run '^$' -bench 'BenchmarkDuplicatesPage$' -benchtime 5x
func BenchmarkDuplicatesPage(b *testing.B) {
	if os.Getenv("MATCH_BENCH") == "" {
		b.Skip("set MATCH_BENCH=1 and load a generated graph (docs/benchmarks.md)")
	}
	db := neo4jtest.Open(b)
	ctx := context.Background()
	q := graph.DuplicatesQuery{Role: graph.RoleAnalyst, Limit: graph.MaxDuplicatesLimit}
	scanned, pairs := 0, 0
	var pages []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		page, err := db.Duplicates(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, time.Since(t0))
		scanned += page.Scanned
		pairs += len(page.Pairs)
		if page.NextCursor == "" {
			q.Cursor = ""
		} else {
			q.Cursor = page.NextCursor
		}
	}
	b.StopTimer()
	b.ReportMetric(percentile(pages, 0.5), "page-p50-ms")
	b.ReportMetric(float64(scanned)/float64(b.N), "scanned/page")
	b.ReportMetric(float64(pairs)/float64(b.N), "pairs/page")
	b.ReportMetric(0, "ns/op")
}
