package investigate

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
)

// TestInvLinksCost PROFILEs the two link queries (official-links and
// prosecuted-compound-links) at every max_hops on the graph already in the
// database, as `scamgraph-gen` makes it (ids gen:<kind>:<n>), the way
// the store runs them (invDeepen: growing bounds until the limit is full;
// the db hits are summed over the bounds run), and prints rows, the last
// bound, db hits and time, at limit 25 (INV_COST_MAX_LIMIT=1: 100).
// INV_COST_SINGLE=1 runs the query at max_hops
// alone instead (the cost before invDeepen). It runs only with INV_COST=1;
// see docs/queries.md for the commands and the figures. INV_COST_TIMEOUT
// (default 60s) bounds each run; a run past it is reported, not failed.
func TestInvLinksCost(t *testing.T) {
	if os.Getenv("INV_COST") == "" {
		t.Skip("set INV_COST=1 (and NEO4J_TEST_URI to a database holding a generated graph) to measure the link queries")
	}
	limit := 60 * time.Second
	if s := os.Getenv("INV_COST_TIMEOUT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatal(err)
		}
		limit = d
	}
	db := openInternal(t)
	types := make([]string, 0, len(graph.ProsecutionEventTypes()))
	for _, e := range graph.ProsecutionEventTypes() {
		types = append(types, string(e))
	}
	runs := []struct {
		label, name string
		params      map[string]any
	}{
		{"official links, all", "inv-official-links", map[string]any{"official": nil, "target": nil}},
		{"official links, one official", "inv-official-links", map[string]any{"official": "gen:official:7", "target": nil}},
		{"official links, one company", "inv-official-links", map[string]any{"official": nil, "target": "gen:company:40"}},
		{"prosecuted links, all", "inv-prosecuted-compound-links", map[string]any{"types": types, "person": nil}},
		{"prosecuted links, one tycoon", "inv-prosecuted-compound-links", map[string]any{"types": types, "person": "gen:tycoon:3"}},
		// Sparse: few ties this strong, so the limit is never full and every
		// bound up to max_hops runs (the worst case of invDeepen).
		{"official links, all, conviction", "inv-official-links", map[string]any{"official": nil, "target": nil,
			"minRank": int64(graph.EvidenceConviction.Rank())}},
		{"prosecuted links, all, designation", "inv-prosecuted-compound-links", map[string]any{"types": types, "person": nil,
			"minRank": int64(graph.EvidenceDesignation.Rank())}},
	}
	var out strings.Builder
	// One PROFILEd run of the query at bound h: rows, db hits, or an error.
	profile := func(ctx context.Context, name string, h int, params map[string]any) (int, int64, error) {
		text, err := invQueryWithHops(name, h)
		if err != nil {
			return 0, 0, err
		}
		res, err := db.ReadTimed(ctx, "PROFILE "+text, params)
		if err != nil {
			return 0, 0, err
		}
		return len(res.Records), invTotalHits(res.Summary.Profile()), nil
	}
	single := os.Getenv("INV_COST_SINGLE") != ""
	linkLimit := graph.DefaultPathsLimit
	if os.Getenv("INV_COST_MAX_LIMIT") != "" { // limit=100, the most a client may ask
		linkLimit = graph.MaxPathsReturned
	}
	for _, r := range runs {
		if f := os.Getenv("INV_COST_RUN"); f != "" && !strings.Contains(r.label, f) {
			continue // INV_COST_RUN: only the runs whose label holds it
		}
		for hops := 2; hops <= graph.MaxPathHops; hops++ {
			params, err := db.invParams(context.Background(), nil) // $asOf, $late, $untraversed
			if err != nil {
				t.Fatal(err)
			}
			params["minRank"], params["limit"] = int64(0), int64(linkLimit)
			for k, v := range r.params {
				params[k] = v
			}
			ctx, cancel := context.WithTimeout(context.Background(), limit)
			start := time.Now()
			var rows, bound int
			var hits int64
			if single { // the query at max_hops alone, as before invDeepen
				bound = hops
				rows, hits, err = profile(ctx, r.name, hops, params)
			} else {
				err = invDeepen(1, hops, int64(linkLimit), func(h int) (int, error) {
					n, dh, err := profile(ctx, r.name, h, params)
					rows, bound, hits = n, h, hits+dh
					return n, err
				})
			}
			elapsed := time.Since(start)
			cancel()
			if err != nil {
				fmt.Fprintf(&out, "%-30s max_hops %d: %s after %s\n", r.label, hops, graph.ErrorCode(err), elapsed.Round(time.Millisecond))
				t.Logf("%s, %d hops: %v", r.label, hops, err)
				continue
			}
			fmt.Fprintf(&out, "%-30s max_hops %d: %3d rows (bound %d) %12d db hits %9s\n", r.label, hops, rows, bound,
				hits, elapsed.Round(time.Millisecond))
		}
	}
	t.Log("\n" + out.String())
	if path := os.Getenv("INV_COST_OUT"); path != "" {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
