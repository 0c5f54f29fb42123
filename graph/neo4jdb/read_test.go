package neo4jdb_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/read"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

func date(t *testing.T, s string) *graph.Date {
	t.Helper()
	d, err := graph.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}

func ids(es []graph.Entity, prefix string) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, strings.TrimPrefix(e.ID, prefix))
	}
	return out
}

func TestLuceneQuery(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "two words", in: "Chen Zhi", want: "(chen^3 OR chen~1 OR chen*) AND (zhi^3 OR zhi~1 OR zhi*)"},
		{name: "long word gets two edits", in: "Sihanoukville", want: "(sihanoukville^3 OR sihanoukville~2 OR sihanoukville*)"},
		{name: "two-letter word gets one edit", in: "ly", want: "(ly^3 OR ly~1 OR ly*)"},
		{name: "operators are words", in: "chen AND OR NOT", want: "(chen^3 OR chen~1 OR chen*) AND (and^3 OR and~1 OR and*) AND (or^3 OR or~1 OR or*) AND (not^3 OR not~1 OR not*)"},
		{name: "specials break words", in: `a:b (c) "d" *~?`, want: `(a^3 OR a*) AND (b^3 OR b*) AND (c^3 OR c*) AND (d^3 OR d*)`},
		{name: "backslash breaks words", in: `x\y`, want: `(x^3 OR x*) AND (y^3 OR y*)`},
		{name: "slash breaks words", in: `ab/cd`, want: `(ab^3 OR ab~1 OR ab*) AND (cd^3 OR cd~1 OR cd*)`},
		{name: "diacritics folded", in: "Trần", want: "(tran^3 OR tran~1 OR tran*)"},
		{name: "ofac surname comma", in: "CHEN, Zhi", want: "(chen^3 OR chen~1 OR chen*) AND (zhi^3 OR zhi~1 OR zhi*)"},
		{name: "numbers exact or prefix", in: "KK Park 2", want: "(kk^3 OR kk~1 OR kk*) AND (park^3 OR park~1 OR park*) AND (2^3 OR 2*)"},
		{name: "other script transliterated and as typed", in: "陈志", want: `((chen^3 OR chen~1 OR chen*) AND (zhi^3 OR zhi~1 OR zhi*)) OR ("陈志")`},
		{name: "other script as a phrase, quotes escaped", in: `陈志:"`, want: `((chen^3 OR chen~1 OR chen*) AND (zhi^3 OR zhi~1 OR zhi*)) OR ("陈志:\"")`},
		{name: "empty", in: "   ", wantErr: true},
		{name: "punctuation only", in: "*** ???", wantErr: true},
		{name: "too long", in: strings.Repeat("a", graph.MaxSearchTextLen+1), wantErr: true},
		{name: "bad utf8", in: "\xff", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := read.LuceneQuery(tt.in)
			if tt.wantErr {
				if graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) != "q" {
					t.Fatalf("LuceneQuery(%q) error = %v, want invalid q", tt.in, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("LuceneQuery(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestSearch(t *testing.T) {
	db, f := neo4jtest.LoadFixture(t)
	ctx := context.Background()
	tests := []struct {
		name string
		q    graph.SearchQuery
		want string // the fixture entity expected first among the fixture's hits
		none bool
	}{
		{name: "exact", q: graph.SearchQuery{Text: "Chen Zhi"}, want: "chen"},
		{name: "lower case", q: graph.SearchQuery{Text: "chen zhi"}, want: "chen"},
		{name: "upper case", q: graph.SearchQuery{Text: "CHEN ZHI"}, want: "chen"},
		{name: "typo", q: graph.SearchQuery{Text: "chen zhy"}, want: "chen"},
		{name: "prefix", q: graph.SearchQuery{Text: "sihanouk"}, want: "sihanoukville"},
		{name: "alias", q: graph.SearchQuery{Text: "vincent"}, want: "chen"},
		{name: "folded query finds diacritics", q: graph.SearchQuery{Text: "tran thi ha"}, want: "tran"},
		{name: "diacritics in query", q: graph.SearchQuery{Text: "Trần Thị Hà"}, want: "tran"},
		{name: "kind filter keeps", q: graph.SearchQuery{Text: "chen", Kinds: []graph.Kind{graph.KindOfficial}}, want: "chen"},
		{name: "kind filter drops", q: graph.SearchQuery{Text: "chen zhi", Kinds: []graph.Kind{graph.KindCompany}}, none: true},
		{name: "lucene syntax is text", q: graph.SearchQuery{Text: `chen) OR (*:*`}, none: true},
		{name: "two-letter typo", q: graph.SearchQuery{Text: "chen zi"}, want: "chen"},
		{name: "ofac surname comma", q: graph.SearchQuery{Text: "CHEN, Zhi"}, want: "chen"},
		{name: "given name first", q: graph.SearchQuery{Text: "Zhi Chen"}, want: "chen"},
		{name: "alias with surname", q: graph.SearchQuery{Text: "vincent chen"}, want: "chen"},
		{name: "chinese characters", q: graph.SearchQuery{Text: "陈志"}, want: "chen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Limit = graph.MaxSearchLimit
			page, err := db.Search(ctx, tt.q)
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			var mine []graph.SearchHit
			for _, h := range page.Hits {
				if strings.HasPrefix(h.ID, f.Prefix) {
					mine = append(mine, h)
				}
			}
			if tt.none {
				if len(mine) != 0 {
					t.Fatalf("hits = %+v, want none", mine)
				}
				return
			}
			if len(mine) == 0 || mine[0].ID != f.ID(tt.want) {
				t.Fatalf("hits = %+v, want %s first", mine, tt.want)
			}
			if mine[0].Score <= 0 || mine[0].Name == "" || len(mine[0].Kinds) == 0 {
				t.Fatalf("hit %+v lacks score, name or kinds", mine[0])
			}
		})
	}

	t.Run("pages", func(t *testing.T) {
		q := graph.SearchQuery{Text: "hub company", Limit: 100}
		seen := map[string]bool{}
		for pages := 0; ; pages++ {
			page, err := db.Search(ctx, q)
			if err != nil {
				t.Fatalf("Search page %d: %v", pages, err)
			}
			for _, h := range page.Hits {
				if seen[h.ID] {
					t.Fatalf("page %d repeats %s", pages, h.ID)
				}
				seen[h.ID] = true
			}
			if page.NextCursor == "" {
				break
			}
			if pages > 10 {
				t.Fatal("too many pages")
			}
			q.Cursor = page.NextCursor
		}
		n := 0
		for id := range seen {
			if strings.HasPrefix(id, f.ID("hubco-")) {
				n++
			}
		}
		if n != neo4jtest.HubSize {
			t.Fatalf("paged through %d hub companies, want %d", n, neo4jtest.HubSize)
		}
	})

	t.Run("cursor of another query", func(t *testing.T) {
		page, err := db.Search(ctx, graph.SearchQuery{Text: "hub company", Limit: 1})
		if err != nil || page.NextCursor == "" {
			t.Fatalf("Search: %v, cursor %q", err, page.NextCursor)
		}
		_, err = db.Search(ctx, graph.SearchQuery{Text: "chen", Limit: 1, Cursor: page.NextCursor})
		if graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) != "cursor" {
			t.Fatalf("error = %v, want invalid cursor", err)
		}
	})
}

func TestEntity(t *testing.T) {
	db, f := neo4jtest.LoadFixture(t)
	ctx := context.Background()
	t.Run("detail", func(t *testing.T) {
		d, err := db.Entity(ctx, graph.EntityQuery{ID: f.ID("compound")})
		if err != nil {
			t.Fatalf("Entity: %v", err)
		}
		if d.Name != "Golden Fortune Compound" || len(d.Sources) != 1 || d.Kinds[0] != graph.KindCompound {
			t.Fatalf("entity = %+v", d.Entity)
		}
		got := map[string]int{}
		for _, c := range d.RelationshipCounts {
			got[string(c.Type)+"/"+c.Direction] = c.Count
		}
		want := map[string]int{"OPERATES/in": 1, "LOCATED_IN/out": 1, "PROTECTS/in": 1, "HELD_AT/in": 1, "MENTIONED_IN/out": 1}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("count %s = %d, want %d (all: %v)", k, got[k], v, got)
			}
		}
	})
	t.Run("unknown id", func(t *testing.T) {
		_, err := db.Entity(ctx, graph.EntityQuery{ID: f.ID("nobody")})
		if graph.ErrorCode(err) != graph.CodeNotFound {
			t.Fatalf("error = %v, want not found", err)
		}
	})
	t.Run("bad id", func(t *testing.T) {
		_, err := db.Entity(ctx, graph.EntityQuery{ID: ""})
		if graph.ErrorCode(err) != graph.CodeInvalid {
			t.Fatalf("error = %v, want invalid", err)
		}
	})
}

// TestNeighbors runs each case three times: as served (read-neighbors below
// read.KeysetMinDegree), with every root paged by read-neighbors-keyset,
// and with the keyset path out of reach (read.KeysetMinDegree past what a
// Cypher integer comparison of degrees takes, as the super-node benchmark
// sets it for its baseline).
func TestNeighbors(t *testing.T) {
	t.Run("as served", testNeighbors)
	for _, tc := range []struct {
		name      string
		minDegree int
	}{{"keyset", 0}, {"keyset never", math.MaxInt}} {
		t.Run(tc.name, func(t *testing.T) {
			defer func(d int) { read.KeysetMinDegree = d }(read.KeysetMinDegree)
			read.KeysetMinDegree = tc.minDegree
			testNeighbors(t)
		})
	}
}

func testNeighbors(t *testing.T) {
	db, f := neo4jtest.LoadFixture(t)
	ctx := context.Background()
	tests := []struct {
		name      string
		q         graph.NeighborsQuery
		want      []string // neighbour short ids, in order (root excluded)
		wantEdges int
	}{
		{name: "depth 1", q: graph.NeighborsQuery{ID: f.ID("compound"), Depth: 1, Limit: 10},
			want: []string{"prince", "sihanoukville", "sokha", "victims"}, wantEdges: 4},
		{name: "mentions when asked", q: graph.NeighborsQuery{ID: f.ID("compound"), Depth: 1, Limit: 10, RelTypes: []graph.RelType{graph.RelMentionedIn}},
			want: []string{"source-a"}, wantEdges: 1},
		{name: "rel filter", q: graph.NeighborsQuery{ID: f.ID("compound"), Depth: 1, Limit: 10, RelTypes: []graph.RelType{graph.RelOperates, graph.RelHeldAt}},
			want: []string{"prince", "victims"}, wantEdges: 2},
		{name: "kind filter", q: graph.NeighborsQuery{ID: f.ID("compound"), Depth: 1, Limit: 10, Kinds: []graph.Kind{graph.KindOfficial}},
			want: []string{"sokha"}, wantEdges: 1},
		{name: "as of 2023: the cohort's facts not yet reported", q: graph.NeighborsQuery{ID: f.ID("compound"), Depth: 1, Limit: 10, AsOf: date(t, "2023-06-01")},
			want: []string{"prince", "sihanoukville", "sokha"}, wantEdges: 3},
		{name: "as of 2024: protection ended", q: graph.NeighborsQuery{ID: f.ID("compound"), Depth: 1, Limit: 10, AsOf: date(t, "2024-06-01")},
			want: []string{"prince", "sihanoukville"}, wantEdges: 2},
		{name: "as of 2017: not yet operated", q: graph.NeighborsQuery{ID: f.ID("compound"), Depth: 1, Limit: 10, AsOf: date(t, "2017-06-01")},
			want: []string{"sihanoukville", "sokha"}, wantEdges: 2},
		{name: "as of: event after the date", q: graph.NeighborsQuery{ID: f.ID("chen"), Depth: 1, Limit: 10, AsOf: date(t, "2026-01-06"), RelTypes: []graph.RelType{graph.RelSubjectOf}},
			want: []string{}, wantEdges: 0},
		{name: "as of: event on the date", q: graph.NeighborsQuery{ID: f.ID("chen"), Depth: 1, Limit: 10, AsOf: date(t, "2026-01-20"), RelTypes: []graph.RelType{graph.RelSubjectOf}},
			want: []string{"arrest"}, wantEdges: 1},
		{name: "depth 2", q: graph.NeighborsQuery{ID: f.ID("chen"), Depth: 2, Limit: 10, RelTypes: []graph.RelType{graph.RelOwns, graph.RelOperates, graph.RelAssociateOf, graph.RelSubjectOf}},
			want: []string{"arrest", "ly", "prince", "compound"}, wantEdges: 4},
		{name: "depth 3 second page keeps its connecting nodes", q: graph.NeighborsQuery{ID: f.ID("chen"), Depth: 3, Limit: 1,
			RelTypes: []graph.RelType{graph.RelOwns, graph.RelOperates, graph.RelLocatedIn},
			Cursor: graph.EncodeCursor(graph.Cursor{After: f.ID("hub"), Hop: 2, Key: graph.NeighborsQuery{ID: f.ID("chen"), Depth: 3,
				RelTypes: []graph.RelType{graph.RelOwns, graph.RelOperates, graph.RelLocatedIn}}.CursorKey()})},
			want: []string{"hubco-*", "hub", "prince"}, wantEdges: 3}, // which hub company: the fanout bound picks
		{name: "depth 3 limited", q: graph.NeighborsQuery{ID: f.ID("chen"), Depth: 3, Limit: 2, RelTypes: []graph.RelType{graph.RelOwns, graph.RelOperates, graph.RelLocatedIn}},
			want: []string{"prince", "compound"}, wantEdges: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := db.Neighbors(ctx, tt.q)
			if err != nil {
				t.Fatalf("Neighbors: %v", err)
			}
			if len(g.Nodes) == 0 || g.Nodes[0].ID != tt.q.ID {
				t.Fatalf("first node = %v, want the root", ids(g.Nodes, f.Prefix))
			}
			got := ids(g.Nodes[1:], f.Prefix)
			if len(got) > 0 && len(tt.want) > 0 && tt.want[0] == "hubco-*" && strings.HasPrefix(got[0], "hubco-") {
				got[0] = "hubco-*"
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("neighbours = %v, want %v", got, tt.want)
			}
			if len(g.Edges) != tt.wantEdges {
				t.Fatalf("edges = %d (%v), want %d", len(g.Edges), g.Edges, tt.wantEdges)
			}
			in := map[string]bool{}
			for _, n := range g.Nodes {
				in[n.ID] = true
			}
			for _, e := range g.Edges {
				if !in[e.From] || !in[e.To] || e.ID == "" {
					t.Fatalf("edge %+v dangles or has no id", e)
				}
			}
		})
	}

	t.Run("pages through a dense node", func(t *testing.T) {
		q := graph.NeighborsQuery{ID: f.ID("hub"), Depth: 1, Limit: 100}
		var all []string
		for pages := 0; ; pages++ {
			g, err := db.Neighbors(ctx, q)
			if err != nil {
				t.Fatalf("page %d: %v", pages, err)
			}
			all = append(all, ids(g.Nodes[1:], f.Prefix)...)
			if len(g.Edges) != len(g.Nodes)-1 {
				t.Fatalf("page %d: %d edges for %d neighbours", pages, len(g.Edges), len(g.Nodes)-1)
			}
			if g.NextCursor == "" {
				if g.Truncated {
					t.Fatal("last page says truncated")
				}
				break
			}
			if !g.Truncated || pages > 5 {
				t.Fatalf("page %d: truncated %v", pages, g.Truncated)
			}
			q.Cursor = g.NextCursor
		}
		if len(all) != neo4jtest.HubSize+1 || !sort.StringsAreSorted(all) {
			t.Fatalf("paged %d neighbours (sorted %v), want %d", len(all), sort.StringsAreSorted(all), neo4jtest.HubSize+1)
		}
	})

	t.Run("depth 2 through a dense node is bounded", func(t *testing.T) {
		// prince -LOCATED_IN-> hub <-LOCATED_IN- 250 companies: hop 2 follows 200.
		g, err := db.Neighbors(ctx, graph.NeighborsQuery{ID: f.ID("prince"), Depth: 2, Limit: graph.MaxNeighborLimit,
			RelTypes: []graph.RelType{graph.RelLocatedIn}})
		if err != nil {
			t.Fatalf("Neighbors: %v", err)
		}
		if !g.Truncated || len(g.Nodes) != 1+1+graph.MaxNeighborFanout {
			t.Fatalf("nodes = %d truncated %v, want %d truncated", len(g.Nodes), g.Truncated, 2+graph.MaxNeighborFanout)
		}
	})

	errTests := []struct {
		name string
		q    graph.NeighborsQuery
		code graph.Code
		fld  string
	}{
		{name: "unknown id", q: graph.NeighborsQuery{ID: f.ID("nobody"), Depth: 1, Limit: 1}, code: graph.CodeNotFound, fld: "id"},
		{name: "unknown id deep", q: graph.NeighborsQuery{ID: f.ID("nobody"), Depth: 2, Limit: 1}, code: graph.CodeNotFound, fld: "id"},
		{name: "depth", q: graph.NeighborsQuery{ID: f.ID("chen"), Depth: 4, Limit: 1}, code: graph.CodeInvalid, fld: "depth"},
		{name: "limit", q: graph.NeighborsQuery{ID: f.ID("chen"), Depth: 1, Limit: -1}, code: graph.CodeInvalid, fld: "limit"}, // 0 is the default (NeighborsQuery.Normalize)
		{name: "garbage cursor", q: graph.NeighborsQuery{ID: f.ID("chen"), Depth: 1, Limit: 1, Cursor: "!!"}, code: graph.CodeInvalid, fld: "cursor"},
		{name: "unknown rel", q: graph.NeighborsQuery{ID: f.ID("chen"), Depth: 1, Limit: 1, RelTypes: []graph.RelType{"LOVES"}}, code: graph.CodeInvalid, fld: "rel"},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.Neighbors(ctx, tt.q)
			if graph.ErrorCode(err) != tt.code || graph.ErrorField(err) != tt.fld {
				t.Fatalf("error = %v, want %s on %s", err, tt.code, tt.fld)
			}
		})
	}
}

func TestPaths(t *testing.T) {
	db, f := neo4jtest.LoadFixture(t)
	ctx := context.Background()
	tests := []struct {
		name      string
		q         graph.PathsQuery
		wantPaths [][]string // node short ids of each path
		truncated bool
	}{
		{name: "shortest", q: graph.PathsQuery{From: f.ID("chen"), To: f.ID("cambodia"), MaxHops: 6},
			wantPaths: [][]string{{"chen", "prince", "compound", "sihanoukville", "cambodia"}}},
		{name: "too few hops", q: graph.PathsQuery{From: f.ID("chen"), To: f.ID("cambodia"), MaxHops: 3}},
		{name: "reverse direction", q: graph.PathsQuery{From: f.ID("cambodia"), To: f.ID("ly"), MaxHops: 6},
			wantPaths: [][]string{{"cambodia", "sihanoukville", "compound", "prince", "chen", "ly"}}},
		{name: "min evidence cuts", q: graph.PathsQuery{From: f.ID("chen"), To: f.ID("compound"), MaxHops: 6, MinEvidence: graph.EvidenceCharge}},
		{name: "min evidence keeps", q: graph.PathsQuery{From: f.ID("chen"), To: f.ID("prince"), MaxHops: 6, MinEvidence: graph.EvidenceCharge},
			wantPaths: [][]string{{"chen", "prince"}}},
		{name: "rel filter", q: graph.PathsQuery{From: f.ID("chen"), To: f.ID("compound"), MaxHops: 6, RelTypes: []graph.RelType{graph.RelOwns}}},
		{name: "no mentions by default", q: graph.PathsQuery{From: f.ID("chen"), To: f.ID("ly"), MaxHops: 2, RelTypes: nil},
			wantPaths: [][]string{{"chen", "ly"}}},
		{name: "mentions when named", q: graph.PathsQuery{From: f.ID("arrest"), To: f.ID("ly"), MaxHops: 2, RelTypes: []graph.RelType{graph.RelMentionedIn}},
			wantPaths: [][]string{{"arrest", "source-b", "ly"}}},
		{name: "as of before the report", q: graph.PathsQuery{From: f.ID("chen"), To: f.ID("compound"), MaxHops: 6, AsOf: date(t, "2025-01-01")}},
		{name: "as of after the report", q: graph.PathsQuery{From: f.ID("chen"), To: f.ID("compound"), MaxHops: 6, AsOf: date(t, "2026-02-01")},
			wantPaths: [][]string{{"chen", "prince", "compound"}}},
		{name: "all simple paths", q: graph.PathsQuery{From: f.ID("sokha"), To: f.ID("prince"), MaxHops: 4, Mode: graph.PathAll},
			wantPaths: [][]string{{"sokha", "compound", "prince"}}},
		{name: "all, limited", q: graph.PathsQuery{From: f.ID("hubco-001"), To: f.ID("hubco-002"), MaxHops: 4, Mode: graph.PathAll, Limit: 1},
			wantPaths: [][]string{{"hubco-001", "hub", "hubco-002"}}},
		// The hub has HubSize+1 relationships: a cut below that hides it.
		{name: "shortest through the hub", q: graph.PathsQuery{From: f.ID("hubco-001"), To: f.ID("hubco-002"), MaxHops: 4},
			wantPaths: [][]string{{"hubco-001", "hub", "hubco-002"}}},
		{name: "shortest, hub cut", q: graph.PathsQuery{From: f.ID("hubco-001"), To: f.ID("hubco-002"), MaxHops: 4, MaxDegree: neo4jtest.HubSize}},
		{name: "all, hub cut", q: graph.PathsQuery{From: f.ID("hubco-001"), To: f.ID("hubco-002"), MaxHops: 4, Mode: graph.PathAll, MaxDegree: neo4jtest.HubSize}},
		{name: "hub cut spares the ends", q: graph.PathsQuery{From: f.ID("hub"), To: f.ID("hubco-002"), MaxHops: 2, MaxDegree: 1},
			wantPaths: [][]string{{"hub", "hubco-002"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.q.Limit == 0 {
				tt.q.Limit = 10
			}
			res, err := db.Paths(ctx, tt.q)
			if err != nil {
				t.Fatalf("Paths: %v", err)
			}
			var got [][]string
			for _, p := range res.Paths {
				got = append(got, ids(p.Nodes, f.Prefix))
				if len(p.Edges) != len(p.Nodes)-1 {
					t.Fatalf("path with %d nodes has %d edges", len(p.Nodes), len(p.Edges))
				}
				for i, e := range p.Edges {
					a, b := p.Nodes[i].ID, p.Nodes[i+1].ID
					if !(e.From == a && e.To == b || e.From == b && e.To == a) || len(e.Sources) == 0 && e.Type != graph.RelMentionedIn {
						t.Fatalf("edge %d %+v does not join %s and %s with sources", i, e, a, b)
					}
				}
			}
			if fmtPaths(got) != fmtPaths(tt.wantPaths) {
				t.Fatalf("paths = %v, want %v", got, tt.wantPaths)
			}
		})
	}
	errTests := []struct {
		name string
		q    graph.PathsQuery
		code graph.Code
		fld  string
	}{
		{name: "unknown from", q: graph.PathsQuery{From: f.ID("nobody"), To: f.ID("chen"), MaxHops: 3, Limit: 1}, code: graph.CodeNotFound, fld: "from"},
		{name: "unknown to", q: graph.PathsQuery{From: f.ID("chen"), To: f.ID("nobody"), MaxHops: 3, Limit: 1}, code: graph.CodeNotFound, fld: "to"},
		{name: "same ends", q: graph.PathsQuery{From: f.ID("chen"), To: f.ID("chen"), MaxHops: 3, Limit: 1}, code: graph.CodeInvalid, fld: "to"},
		{name: "hops", q: graph.PathsQuery{From: f.ID("chen"), To: f.ID("ly"), MaxHops: 7, Limit: 1}, code: graph.CodeInvalid, fld: "max_hops"},
		{name: "mode", q: graph.PathsQuery{From: f.ID("chen"), To: f.ID("ly"), MaxHops: 3, Limit: 1, Mode: "some"}, code: graph.CodeInvalid, fld: "mode"},
		{name: "max degree", q: graph.PathsQuery{From: f.ID("chen"), To: f.ID("ly"), MaxHops: 3, Limit: 1, MaxDegree: -1}, code: graph.CodeInvalid, fld: "max_degree"},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.Paths(ctx, tt.q)
			if graph.ErrorCode(err) != tt.code || graph.ErrorField(err) != tt.fld {
				t.Fatalf("error = %v, want %s on %s", err, tt.code, tt.fld)
			}
		})
	}
}

func fmtPaths(ps [][]string) string {
	var s []string
	for _, p := range ps {
		s = append(s, strings.Join(p, ">"))
	}
	sort.Strings(s)
	return strings.Join(s, " | ")
}

func TestStats(t *testing.T) {
	db, _ := neo4jtest.LoadFixture(t)
	s, err := db.Stats(context.Background(), graph.StatsQuery{})
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	checks := []struct {
		name string
		got  int
		min  int
	}{
		{"entities", s.Entities, 13 + neo4jtest.HubSize},
		{"relationships", s.Relationships, 10 + neo4jtest.HubSize},
		{"by_kind company", s.ByKind["company"], 1 + neo4jtest.HubSize},
		{"by_kind tycoon", s.ByKind["tycoon"], 2},
		{"by_kind person", s.ByKind["person"], 4},
		{"LOCATED_IN", s.ByRelType["LOCATED_IN"], 3 + neo4jtest.HubSize},
		{"MENTIONED_IN", s.ByRelType["MENTIONED_IN"], 11 + neo4jtest.HubSize},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.got < c.min {
				t.Fatalf("%s = %d, want at least %d", c.name, c.got, c.min)
			}
		})
	}
	t.Run("every kind and type listed", func(t *testing.T) {
		for _, k := range graph.AllKinds() {
			if _, ok := s.ByKind[string(k)]; !ok {
				t.Errorf("by_kind lacks %s", k)
			}
		}
		for _, r := range append(graph.RelTypes(), graph.RelMentionedIn) {
			if _, ok := s.ByRelType[string(r)]; !ok {
				t.Errorf("by_relationship_type lacks %s", r)
			}
		}
	})
}

func TestReadHonoursDeadline(t *testing.T) {
	db, f := neo4jtest.LoadFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	time.Sleep(time.Millisecond)
	_, err := db.Neighbors(ctx, graph.NeighborsQuery{ID: f.ID("hub"), Depth: 1, Limit: 10})
	if graph.ErrorCode(err) != graph.CodeTimeout {
		t.Fatalf("error = %v, want timeout", err)
	}
	var ge *graph.Error
	if !errors.As(err, &ge) {
		t.Fatalf("error %v is not a *graph.Error", err)
	}
}

// TestSearchHidesVictims: for roles that may not see victims' personal
// details, search answers as if victims did not exist: no hit, and no page
// count or cursor that betrays one (issue 15, item 4). Pages stay full.
func TestSearchHidesVictims(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// A rare word only this test's entities carry; victims sort first by id
	// and, named alike, score alike, so they lead every unfiltered page.
	src := graph.Entity{ID: prefix + "source", Kinds: []graph.Kind{graph.KindSource}, Name: "Report",
		Properties: map[string]graph.Value{"publisher": graph.StringValue("Test Wire"), "source_type": graph.StringValue("news")}}
	var ents []graph.Entity
	for i := range 3 {
		ents = append(ents, graph.Entity{ID: fmt.Sprintf("%sa-victim-%d", prefix, i), Kinds: []graph.Kind{graph.KindVictim},
			Name: "Quillbrook Marrowfen", Sources: []string{src.ID}, Properties: map[string]graph.Value{}})
	}
	for i := range 2 {
		ents = append(ents, graph.Entity{ID: fmt.Sprintf("%sb-company-%d", prefix, i), Kinds: []graph.Kind{graph.KindCompany},
			Name: "Quillbrook Trading", Sources: []string{src.ID}, Properties: map[string]graph.Value{}})
	}
	if _, err := db.UpsertEntities(ctx, []graph.Entity{src}, false); err != nil {
		t.Fatalf("upsert source: %v", err)
	}
	if _, err := db.UpsertEntities(ctx, ents, false); err != nil {
		t.Fatalf("upsert entities: %v", err)
	}
	// all pages of a search, limit hits each: the ids and each page's size.
	all := func(t *testing.T, q graph.SearchQuery) (got []string, sizes []int) {
		t.Helper()
		for range 10 {
			page, err := db.Search(ctx, q)
			if err != nil {
				t.Fatalf("Search(%+v): %v", q, err)
			}
			sizes = append(sizes, len(page.Hits))
			for _, h := range page.Hits {
				got = append(got, strings.TrimPrefix(h.ID, prefix))
			}
			if page.NextCursor == "" {
				return got, sizes
			}
			q.Cursor = page.NextCursor
		}
		t.Fatalf("Search(%+v): more than 10 pages", q)
		return nil, nil
	}
	victims := []string{"a-victim-0", "a-victim-1", "a-victim-2"}
	companies := []string{"b-company-0", "b-company-1"}
	tests := []struct {
		name      string
		role      graph.Role
		text      string
		limit     int
		want      []string
		wantSizes []int
	}{
		{name: "reader one per page", role: graph.RoleReader, text: "quillbrook", limit: 1, want: companies, wantSizes: []int{1, 1}},
		{name: "reader full page", role: graph.RoleReader, text: "quillbrook", limit: 2, want: companies, wantSizes: []int{2}},
		{name: "reader only victims match", role: graph.RoleReader, text: "marrowfen", limit: 1, want: nil, wantSizes: []int{0}},
		{name: "importer", role: graph.RoleImporter, text: "quillbrook", limit: 1, want: companies, wantSizes: []int{1, 1}},
		{name: "no principal", role: "", text: "marrowfen", limit: 1, want: nil, wantSizes: []int{0}},
		{name: "analyst sees victims", role: graph.RoleAnalyst, text: "quillbrook", limit: 2,
			want: append(slices.Clone(victims), companies...), wantSizes: []int{2, 2, 1}},
		{name: "admin sees victims", role: graph.RoleAdmin, text: "marrowfen", limit: 3, want: victims, wantSizes: []int{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, sizes := all(t, graph.SearchQuery{Text: tt.text, Limit: tt.limit, Role: tt.role})
			if !slices.Equal(got, tt.want) || !slices.Equal(sizes, tt.wantSizes) {
				t.Fatalf("hits %v in pages of %v; want %v in pages of %v", got, sizes, tt.want, tt.wantSizes)
			}
		})
	}
	t.Run("cursor of another role", func(t *testing.T) {
		page, err := db.Search(ctx, graph.SearchQuery{Text: "quillbrook", Limit: 1, Role: graph.RoleAnalyst})
		if err != nil || page.NextCursor == "" {
			t.Fatalf("Search: %v, cursor %q", err, page.NextCursor)
		}
		_, err = db.Search(ctx, graph.SearchQuery{Text: "quillbrook", Limit: 1, Role: graph.RoleReader, Cursor: page.NextCursor})
		if graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) != "cursor" {
			t.Fatalf("error = %v, want invalid cursor", err)
		}
	})
}
