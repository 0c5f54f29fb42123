package neo4jdb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
)

// TestInvLinksCost PROFILEs the two link queries (official-links and
// prosecuted-compound-links) at every hop bound on the graph already in the
// database, as `scamgraph generate` makes it (ids gen:<kind>:<n>), and prints
// rows, db hits and time. It runs only with INV_COST=1; see docs/queries.md
// for the commands and the figures. INV_COST_TIMEOUT (default 60s) bounds
// each run; a run past it is reported, not failed.
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
	}
	var out strings.Builder
	for _, r := range runs {
		for hops := 2; hops <= graph.MaxPathHops; hops++ {
			params := map[string]any{"minRank": int64(0), "limit": int64(graph.DefaultPathsLimit)}
			if err := db.asOfParams(context.Background(), nil, params); err != nil {
				t.Fatal(err)
			}
			for k, v := range r.params {
				params[k] = v
			}
			for k, v := range invCostParams() {
				params[k] = v
			}
			text, err := invQueryWithHops(r.name, hops)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), limit)
			start := time.Now()
			res, err := db.readTimed(ctx, "PROFILE "+text, params)
			elapsed := time.Since(start)
			cancel()
			switch {
			case err != nil:
				fmt.Fprintf(&out, "%-32s hops %d: %s after %s\n", r.label, hops, graph.ErrorCode(err), elapsed.Round(time.Millisecond))
				if !errors.Is(err, context.DeadlineExceeded) && graph.ErrorCode(err) != graph.CodeTimeout {
					t.Logf("%s, %d hops: %v", r.label, hops, err)
				}
			default:
				fmt.Fprintf(&out, "%-32s hops %d: %3d rows %12d db hits %9s\n", r.label, hops, len(res.Records),
					invTotalHits(res.Summary.Profile()), elapsed.Round(time.Millisecond))
			}
		}
	}
	t.Log("\n" + out.String())
	if path := os.Getenv("INV_COST_OUT"); path != "" {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// invCostParams are the extra parameters the link queries take beyond the
// LinkQuery's (none yet).
func invCostParams() map[string]any { return nil }
