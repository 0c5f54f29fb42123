package browsertest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/generate"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// BenchmarkExpand measures, in headless Chromium, the time from a real
// double-click on a node to the painted picture of its expansion (the
// neighbours fetched, placed in free space and drawn), on a generated graph
// whose busiest node is expanded into about 500 and about 2,000 elements
// (250 and 1,000 neighbours per expansion). Not part of make test:
//
//	go test ./web/browsertest -run '^$' -bench BenchmarkExpand -benchtime 5x
//
// (Neo4j env as for the tests; BENCH_EXPLORER_ENTITIES sizes the graph,
// default 16000). It reports the median ms/expand and the elements drawn.
func BenchmarkExpand(b *testing.B) {
	s := start(b)
	entities := 16000
	if v, err := strconv.Atoi(os.Getenv("BENCH_EXPLORER_ENTITIES")); err == nil && v > 0 {
		entities = v
	}
	hub := loadGenerated(b, s, entities)
	ctx := newBrowser(b, b.TempDir())
	run(b, ctx, "open", chromedp.Navigate(s.srv.URL+"/"))
	signIn(b, ctx, s.keys[graph.RoleAnalyst])
	for _, size := range []struct {
		name      string
		neighbors int
	}{{"500-elements", 250}, {"2000-elements", 1000}} {
		b.Run(size.name, func(b *testing.B) {
			var ms, fetch, add []float64
			elements := 0
			for i := 0; i < b.N; i++ {
				run(b, ctx, "fresh page", chromedp.Navigate("about:blank"),
					chromedp.Navigate(s.srv.URL+"/#e="+url.QueryEscape(hub)),
					until(`!document.getElementById('app').hidden`),
					until(fmt.Sprintf(`window.scamgraphCy && scamgraphCy.getElementById(%s).nonempty()`, js(hub))),
					setValue(`#expand-limit`, strconv.Itoa(size.neighbors)),
					chromedp.Evaluate(`delete window.scamgraphExpandTiming; true`, nil))
				dblclickNode(b, ctx, hub)
				var timing struct {
					MS       float64 `json:"ms"`
					FetchMS  float64 `json:"fetchMs"`
					AddMS    float64 `json:"addMs"`
					Elements int     `json:"elements"`
				}
				run(b, ctx, "expanded", chromedp.Poll(`window.scamgraphExpandTiming`, &timing,
					chromedp.WithPollingTimeout(2*time.Minute), chromedp.WithPollingInterval(20*time.Millisecond)))
				ms, fetch, elements = append(ms, timing.MS), append(fetch, timing.FetchMS), timing.Elements
				add = append(add, timing.AddMS)
			}
			slices.Sort(ms)
			slices.Sort(fetch)
			slices.Sort(add)
			b.ReportMetric(add[len(add)/2], "ms-add/expand")
			b.ReportMetric(ms[len(ms)/2], "ms/expand")
			b.ReportMetric(fetch[len(fetch)/2], "ms-api/expand")
			b.ReportMetric(float64(elements), "elements")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// loadGenerated imports a generated graph of n entities under a prefix of
// its own and returns the id of its node with the most relationships.
func loadGenerated(b *testing.B, s service, n int) string {
	b.Helper()
	dir := b.TempDir()
	if _, err := generate.WriteAll(generate.Config{Entities: n, Seed: 1}, dir, []string{"ndjson"}); err != nil {
		b.Fatal(err)
	}
	prefix := neo4jtest.Prefix(b)
	neo4jtest.Cleanup(b, s.db, prefix)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	rep, err := importer.New(s.db, importer.Options{BatchSize: 500}).ImportPaths(ctx, []string{neo4jtest.PrefixedCopy(b, filepath.Join(dir, "ndjson"), prefix)})
	if err != nil {
		b.Fatalf("import the generated graph: %v", err)
	}
	b.Cleanup(func() {
		for _, f := range rep.Files {
			if f.RunID != "" {
				_ = s.db.RunScript(context.Background(), []string{"MATCH (r:ImportRun {id: '" + f.RunID + "'}) DELETE r"})
			}
		}
	})
	res, err := s.db.RunReadOnly(ctx, graph.CypherQuery{Text: `MATCH (n:Entity) WHERE n.id STARTS WITH $p AND NOT n:Source
		RETURN n.id AS id, COUNT { (n)-[r]-(:Entity) WHERE type(r) <> 'MENTIONED_IN' } AS degree ORDER BY degree DESC LIMIT 1`,
		Params: map[string]any{"p": prefix}, Timeout: time.Minute})
	if err != nil || len(res.Rows) != 1 {
		b.Fatalf("busiest node: %v %v", err, res.Rows)
	}
	var id string
	var degree int
	if json.Unmarshal(res.Rows[0][0], &id) != nil || json.Unmarshal(res.Rows[0][1], &degree) != nil {
		b.Fatalf("busiest node: %s", res.Rows[0])
	}
	b.Logf("generated %d entities (%d relationships); expanding %s (%d relationships)", n, rep.Relationships.Created, id, degree)
	if degree < 1000 {
		b.Fatalf("the busiest node has %d relationships: generate more entities (BENCH_EXPLORER_ENTITIES)", degree)
	}
	return id
}
