package graph_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
)

func TestNormalize(t *testing.T) {
	bad := &graph.Date{Year: 2025, Month: 2, Day: 30}
	day := &graph.Date{Year: 2025, Month: 2, Day: 28}
	norm := func(q any) (any, error) {
		switch q := q.(type) {
		case graph.SearchQuery:
			return q.Normalize()
		case graph.NeighborsQuery:
			return q.Normalize()
		case graph.PathsQuery:
			return q.Normalize()
		case graph.LinkQuery:
			return q.Normalize("focus")
		case graph.VictimQuery:
			return q.Normalize()
		case graph.EntityQuery:
			return q.Normalize()
		}
		panic("no such query")
	}
	tests := []struct {
		name  string
		in    any
		want  any // nil: only the field is checked
		field string
	}{
		{"search defaults and trims", graph.SearchQuery{Text: "  chen  "}, graph.SearchQuery{Text: "chen", Limit: graph.DefaultSearchLimit}, ""},
		{"search dedupes kinds", graph.SearchQuery{Text: "x", Kinds: []graph.Kind{"company", "company"}, Limit: 5}, graph.SearchQuery{Text: "x", Kinds: []graph.Kind{"company"}, Limit: 5}, ""},
		{"search blank", graph.SearchQuery{Text: " "}, nil, "q"},
		{"search long", graph.SearchQuery{Text: strings.Repeat("a", graph.MaxSearchTextLen+1)}, nil, "q"},
		{"search bad utf-8", graph.SearchQuery{Text: "\xff"}, nil, "q"},
		{"search limit", graph.SearchQuery{Text: "x", Limit: graph.MaxSearchLimit + 1}, nil, "limit"},
		{"search kind", graph.SearchQuery{Text: "x", Kinds: []graph.Kind{"dragon"}}, nil, "kind"},
		{"search foreign cursor", graph.SearchQuery{Text: "x", Cursor: graph.EncodeCursor(graph.Cursor{Key: "other"})}, nil, "cursor"},
		{"neighbors defaults", graph.NeighborsQuery{ID: "a"}, graph.NeighborsQuery{ID: "a", Depth: 1, Limit: graph.DefaultNeighborLimit}, ""},
		{"neighbors depth", graph.NeighborsQuery{ID: "a", Depth: graph.MaxNeighborDepth + 1}, nil, "depth"},
		{"neighbors limit", graph.NeighborsQuery{ID: "a", Limit: -1}, nil, "limit"},
		{"neighbors rel", graph.NeighborsQuery{ID: "a", RelTypes: []graph.RelType{"owns"}}, nil, "rel"},
		{"neighbors as_of", graph.NeighborsQuery{ID: "a", AsOf: bad}, nil, "as_of"},
		{"neighbors id", graph.NeighborsQuery{ID: "-a"}, nil, "id"},
		{"paths defaults", graph.PathsQuery{From: "a", To: "b"}, graph.PathsQuery{From: "a", To: "b", MaxHops: graph.DefaultPathHops, Mode: graph.PathShortest,
			Limit: graph.DefaultPathsLimit, MaxDegree: graph.DefaultPathHubDegree}, ""},
		{"paths same ends", graph.PathsQuery{From: "a", To: "a"}, nil, "to"},
		{"paths hops", graph.PathsQuery{From: "a", To: "b", MaxHops: graph.MaxPathHops + 1}, nil, "max_hops"},
		{"paths mode", graph.PathsQuery{From: "a", To: "b", Mode: "longest"}, nil, "mode"},
		{"paths evidence", graph.PathsQuery{From: "a", To: "b", MinEvidence: "rumour"}, nil, "min_evidence"},
		{"paths degree", graph.PathsQuery{From: "a", To: "b", MaxDegree: graph.MaxPathHubDegree + 1}, nil, "max_degree"},
		{"link defaults", graph.LinkQuery{AsOf: day}, graph.LinkQuery{MaxHops: graph.DefaultLinkHops, Limit: graph.DefaultPathsLimit, AsOf: day}, ""},
		{"link focus", graph.LinkQuery{FocusID: "a b"}, nil, "focus"},
		{"link hops", graph.LinkQuery{MaxHops: 7}, nil, "max_hops"},
		{"link limit", graph.LinkQuery{Limit: 101}, nil, "limit"},
		{"victims upper-cases", graph.VictimQuery{Nationality: " id "}, graph.VictimQuery{Nationality: "ID"}, ""},
		{"victims nationality", graph.VictimQuery{Nationality: "IDN"}, nil, "nationality"},
		{"victims compound", graph.VictimQuery{CompoundID: "-x"}, nil, "compound"},
		{"entity", graph.EntityQuery{ID: "a", AsOf: day}, graph.EntityQuery{ID: "a", AsOf: day}, ""},
		{"entity as_of", graph.EntityQuery{ID: "a", AsOf: bad}, nil, "as_of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := norm(tt.in)
			if tt.field != "" {
				if graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) != tt.field {
					t.Fatalf("err = %v (field %q), want invalid %s", err, graph.ErrorField(err), tt.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestDateBind(t *testing.T) {
	var d graph.Date
	if err := d.Bind("2025-10-14"); err != nil || d.String() != "2025-10-14" {
		t.Fatalf("%v %v", d, err)
	}
	if err := d.Bind("2025-02-30"); graph.ErrorCode(err) != graph.CodeInvalid {
		t.Fatalf("impossible date: %v", err)
	}
}
