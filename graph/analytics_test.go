package graph_test

import (
	"slices"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
)

func TestProjectionNormalize(t *testing.T) {
	tests := []struct {
		name  string
		in    graph.Projection
		field string
		check func(t *testing.T, p graph.Projection)
	}{
		{"defaults", graph.Projection{}, "", func(t *testing.T, p graph.Projection) {
			if !slices.Equal(p.Kinds, graph.DefaultAnalyticsKinds()) || !slices.Equal(p.RelTypes, graph.TraversedRelTypes()) || p.Hops != 0 {
				t.Errorf("got %+v", p)
			}
			if slices.Contains(p.RelTypes, graph.RelMentionedIn) {
				t.Error("MENTIONED_IN projected by default")
			}
			if slices.Contains(p.RelTypes, graph.RelPossiblySameAs) {
				t.Error("POSSIBLY_SAME_AS (a candidate match, no tie) projected by default")
			}
		}},
		{"focus takes default hops", graph.Projection{Focus: " chen "}, "", func(t *testing.T, p graph.Projection) {
			if p.Focus != "chen" || p.Hops != graph.DefaultAnalyticsHops {
				t.Errorf("got %+v", p)
			}
		}},
		{"names are parsed and deduplicated", graph.Projection{RelTypes: []graph.RelType{"owns", "OWNS", "associate-of"}, Kinds: []graph.Kind{"Company", "company"}, MinEvidence: "Media Report"}, "", func(t *testing.T, p graph.Projection) {
			if !slices.Equal(p.RelTypes, []graph.RelType{graph.RelOwns, graph.RelAssociateOf}) || !slices.Equal(p.Kinds, []graph.Kind{graph.KindCompany}) || p.MinEvidence != graph.EvidenceMediaReport {
				t.Errorf("got %+v", p)
			}
		}},
		{"hops without focus", graph.Projection{Hops: 1}, "hops", nil},
		{"hops over the bound", graph.Projection{Focus: "x", Hops: graph.MaxAnalyticsHops + 1}, "hops", nil},
		{"unknown type", graph.Projection{RelTypes: []graph.RelType{"LOVES"}}, "rel_types", nil},
		{"unknown kind", graph.Projection{Kinds: []graph.Kind{"alien"}}, "kinds", nil},
		{"unknown grade", graph.Projection{MinEvidence: "gossip"}, "min_evidence", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.in.Normalize(graph.DefaultAnalyticsKinds())
			if tc.field != "" {
				if graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) != tc.field {
					t.Fatalf("err %v, want invalid on %s", err, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, p)
		})
	}
}

func TestAnalyticsQueries(t *testing.T) {
	tests := []struct {
		name  string
		run   func() error
		field string
	}{
		{"limit default", func() error {
			q, err := graph.AnalyticsQuery{}.Normalize(nil)
			if err == nil && q.Limit != graph.DefaultAnalyticsLimit {
				t.Errorf("limit %d", q.Limit)
			}
			return err
		}, ""},
		{"limit over", func() error {
			_, err := graph.AnalyticsQuery{Limit: graph.MaxAnalyticsLimit + 1}.Normalize(nil)
			return err
		}, "limit"},
		{"community default louvain", func() error {
			q, err := graph.CommunityQuery{}.Normalize()
			if err == nil && q.Algorithm != graph.CommunityLouvain {
				t.Errorf("algorithm %q", q.Algorithm)
			}
			return err
		}, ""},
		{"community unknown", func() error { _, err := graph.CommunityQuery{Algorithm: "girvan"}.Normalize(); return err }, "algorithm"},
		{"similar needs id", func() error { _, err := graph.SimilarQuery{}.Normalize(); return err }, "id"},
		{"similar takes no focus", func() error {
			_, err := graph.SimilarQuery{ID: "a", AnalyticsQuery: graph.AnalyticsQuery{Projection: graph.Projection{Focus: "b"}}}.Normalize()
			return err
		}, "focus"},
		{"similar is the neighbourhood of id, with locations", func() error {
			q, err := graph.SimilarQuery{ID: "a"}.Normalize()
			if err == nil && (q.Focus != "a" || q.Hops != graph.DefaultAnalyticsHops || !slices.Contains(q.Kinds, graph.KindLocation)) {
				t.Errorf("got %+v", q)
			}
			return err
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if graph.ErrorField(err) != tc.field || (tc.field == "") != (err == nil) {
				t.Errorf("err %v, want field %q", err, tc.field)
			}
		})
	}
}

func TestOrdinal(t *testing.T) {
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd", 101: "101st", 111: "111th"} {
		t.Run(want, func(t *testing.T) {
			if got := graph.Ordinal(n); got != want {
				t.Errorf("Ordinal(%d) = %s", n, got)
			}
		})
	}
}

func TestBetweennessSamples(t *testing.T) {
	for _, tc := range []struct {
		name    string
		nodes   int
		samples int
		exact   bool
	}{
		{"small: exact", 17, 17, true},
		{"at the bound: exact", graph.AnalyticsExactBetweennessNodes, graph.AnalyticsExactBetweennessNodes, true},
		{"past the bound: the work budget", 2 * graph.AnalyticsExactBetweennessNodes, graph.AnalyticsExactBetweennessNodes / 2, false},
		{"100k", 100000, 40, false},
		{"1M: the floor", 1000000, graph.AnalyticsMinBetweennessSamples, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if n, exact := graph.BetweennessSamples(tc.nodes); n != tc.samples || exact != tc.exact {
				t.Errorf("BetweennessSamples(%d) = %d, %v; want %d, %v", tc.nodes, n, exact, tc.samples, tc.exact)
			}
		})
	}
}
