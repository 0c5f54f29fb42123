package neo4jdb_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// hintFixture is a graph built so that some entities are connected only
// through a candidate match (POSSIBLY_SAME_AS, as the ICIJ import makes of
// same_name_as), others through LINKED_TO (a record's tie of unstated
// nature), every id under one prefix:
//
//	Alpha (person) -OWNS(record)-> Alpha Ltd ~POSSIBLY_SAME_AS(media_report)~ Alpha Limited <-DIRECTS(record)- Beta (person)
//	Delta (person) -LINKED_TO(record, "secretary of")-> Alpha Ltd
//	Omar (official) ~POSSIBLY_SAME_AS~ Omar Namesake (person) -OWNS-> Namesake Co (company)
//	Omar -LINKED_TO-> Omar Co (company)
//	Quinn (person) -SUBJECT_OF-> charge; Quinn ~POSSIBLY_SAME_AS~ Quinn Twin (person) -OPERATES-> Twin Compound
//	Twin Compound ~POSSIBLY_SAME_AS~ Lookalike Co (company); Twin Compound -LINKED_TO-> Record Co (company)
type hintFixture struct {
	prefix   string
	entities []graph.Entity
	rels     []graph.Relationship
}

func (f *hintFixture) id(short string) string { return f.prefix + short }

func newHintFixture(t *testing.T, prefix string) *hintFixture {
	f := &hintFixture{prefix: prefix}
	src := []string{f.id("src")}
	ent := func(short string, kind graph.Kind, props map[string]graph.Value) {
		if props == nil {
			props = map[string]graph.Value{}
		}
		kinds := []graph.Kind{kind}
		var sources []string
		if kind != graph.KindSource {
			sources = src
		}
		f.entities = append(f.entities, graph.Entity{ID: f.id(short), Kinds: kinds, Name: "Hint " + short, Sources: sources, Properties: props})
	}
	ent("src", graph.KindSource, map[string]graph.Value{"publisher": graph.StringValue("ICIJ"),
		"published": graph.DateValue(*invDate(t, "2016-04-03")), "source_type": graph.StringValue("other")})
	for _, p := range []string{"alpha", "beta", "delta", "namesake", "quinn", "twin"} {
		ent(p, graph.KindPerson, nil)
	}
	for _, c := range []string{"alpha-ltd", "alpha-limited", "namesake-co", "omar-co", "lookalike-co", "record-co"} {
		ent(c, graph.KindCompany, nil)
	}
	ent("omar", graph.KindOfficial, nil)
	ent("twin-compound", graph.KindCompound, nil)
	ent("charge", graph.KindEvent, map[string]graph.Value{"event_type": graph.StringValue("charge"), "date": graph.DateValue(*invDate(t, "2025-06-01"))})
	rel := func(from string, typ graph.RelType, to string, ev graph.Evidence) {
		f.rels = append(f.rels, graph.Relationship{ID: graph.RelationshipID(f.id(from), typ, f.id(to), ""), Type: typ,
			From: f.id(from), To: f.id(to), Evidence: ev, Sources: src, Properties: map[string]graph.Value{}})
	}
	rel("alpha", graph.RelOwns, "alpha-ltd", graph.EvidenceRecord)
	rel("alpha-ltd", graph.RelPossiblySameAs, "alpha-limited", graph.EvidenceMediaReport)
	rel("beta", graph.RelDirects, "alpha-limited", graph.EvidenceRecord)
	rel("delta", graph.RelLinkedTo, "alpha-ltd", graph.EvidenceRecord)
	rel("omar", graph.RelPossiblySameAs, "namesake", graph.EvidenceMediaReport)
	rel("namesake", graph.RelOwns, "namesake-co", graph.EvidenceRecord)
	rel("omar", graph.RelLinkedTo, "omar-co", graph.EvidenceRecord)
	rel("quinn", graph.RelSubjectOf, "charge", graph.EvidenceCharge)
	rel("quinn", graph.RelPossiblySameAs, "twin", graph.EvidenceMediaReport)
	rel("twin", graph.RelOperates, "twin-compound", graph.EvidenceRecord)
	rel("twin-compound", graph.RelPossiblySameAs, "lookalike-co", graph.EvidenceMediaReport)
	rel("twin-compound", graph.RelLinkedTo, "record-co", graph.EvidenceRecord)
	return f
}

func (f *hintFixture) short(es []graph.Entity) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, strings.TrimPrefix(e.ID, f.prefix))
	}
	slices.Sort(out)
	return out
}

func (f *hintFixture) pathIDs(p graph.Path) []string {
	out := []string{}
	for _, n := range p.Nodes {
		out = append(out, strings.TrimPrefix(n.ID, f.prefix))
	}
	return out
}

// TestHintsAreNotTraversed: a candidate match (POSSIBLY_SAME_AS) is no tie.
// Neighbours, paths and the named investigative queries do not follow one
// unless the caller names the type (rel=); LINKED_TO, a recorded tie of
// unstated nature, is followed (docs/queries.md, "Hints are not ties").
func TestHintsAreNotTraversed(t *testing.T) {
	db := neo4jtest.Open(t)
	f := newHintFixture(t, neo4jtest.Prefix(t))
	neo4jtest.Cleanup(t, db, f.prefix)
	neo4jtest.Write(t, db, f.entities, f.rels)
	withHint := []graph.RelType{graph.RelOwns, graph.RelDirects, graph.RelPossiblySameAs}

	t.Run("paths", func(t *testing.T) {
		tests := []struct {
			name string
			q    graph.PathsQuery
			want [][]string
		}{
			{"no path through a hint by default", graph.PathsQuery{From: f.id("alpha"), To: f.id("beta"), MaxHops: 4}, nil},
			{"all paths: none through a hint by default", graph.PathsQuery{From: f.id("alpha"), To: f.id("beta"), MaxHops: 4, Mode: graph.PathAll}, nil},
			{"through the hint when named", graph.PathsQuery{From: f.id("alpha"), To: f.id("beta"), MaxHops: 4, RelTypes: withHint},
				[][]string{{"alpha", "alpha-ltd", "alpha-limited", "beta"}}},
			{"LINKED_TO is followed by default", graph.PathsQuery{From: f.id("delta"), To: f.id("alpha"), MaxHops: 4},
				[][]string{{"delta", "alpha-ltd", "alpha"}}},
			{"LINKED_TO left out above record", graph.PathsQuery{From: f.id("delta"), To: f.id("alpha"), MaxHops: 4, MinEvidence: graph.EvidenceCharge}, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				tc.q.Limit = 10
				res, err := db.Paths(invCtx(t), tc.q)
				if err != nil {
					t.Fatal(err)
				}
				var got [][]string
				for _, p := range res.Paths {
					got = append(got, f.pathIDs(p))
				}
				if !slices.EqualFunc(got, tc.want, slices.Equal[[]string]) {
					t.Errorf("paths %v, want %v", got, tc.want)
				}
			})
		}
	})

	t.Run("neighbours", func(t *testing.T) {
		tests := []struct {
			name string
			q    graph.NeighborsQuery
			want []string // the nodes of the page, root included
		}{
			{"hint left out by default", graph.NeighborsQuery{ID: f.id("alpha-ltd"), Depth: 1}, []string{"alpha", "alpha-ltd", "delta"}},
			{"the candidate matches when named", graph.NeighborsQuery{ID: f.id("alpha-ltd"), Depth: 1, RelTypes: []graph.RelType{graph.RelPossiblySameAs}},
				[]string{"alpha-limited", "alpha-ltd"}},
			{"two hops stop at the hint", graph.NeighborsQuery{ID: f.id("alpha"), Depth: 2}, []string{"alpha", "alpha-ltd", "delta"}},
			{"two hops through the hint when named", graph.NeighborsQuery{ID: f.id("alpha"), Depth: 3, RelTypes: withHint},
				[]string{"alpha", "alpha-limited", "alpha-ltd", "beta"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				tc.q.Limit = 50
				sg, err := db.Neighbors(invCtx(t), tc.q)
				if err != nil {
					t.Fatal(err)
				}
				if got := f.short(sg.Nodes); !slices.Equal(got, tc.want) {
					t.Errorf("nodes %v, want %v", got, tc.want)
				}
				for _, e := range sg.Edges {
					if e.Type == graph.RelPossiblySameAs && !slices.Contains(tc.q.RelTypes, graph.RelPossiblySameAs) {
						t.Errorf("edge %s shown by default", e.ID)
					}
				}
			})
		}
	})

	t.Run("official links", func(t *testing.T) {
		links, err := db.OfficialLinks(invCtx(t), graph.LinkQuery{FocusID: f.id("omar"), MaxHops: 4})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range links {
			got = append(got, strings.Join(f.pathIDs(l.Path), ">"))
		}
		// Omar Co through LINKED_TO; not Namesake Co through the candidate match.
		if want := []string{"omar>omar-co"}; !slices.Equal(got, want) {
			t.Errorf("links %v, want %v", got, want)
		}
	})

	t.Run("prosecuted compound links", func(t *testing.T) {
		links, err := db.ProsecutedCompoundLinks(invCtx(t), graph.LinkQuery{FocusID: f.id("quinn"), MaxHops: 4})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range links {
			t.Errorf("link through a candidate match: %v", f.pathIDs(l.Path))
		}
	})

	t.Run("compound network", func(t *testing.T) {
		n, err := db.CompoundNetwork(invCtx(t), f.id("twin-compound"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := f.short(n.Companies), []string{"record-co"}; !slices.Equal(got, want) {
			t.Errorf("companies %v, want %v (Lookalike Co is only a candidate match)", got, want)
		}
		for _, e := range n.Graph.Edges {
			if e.Type == graph.RelPossiblySameAs {
				t.Errorf("network edge %s", e.ID)
			}
		}
	})
}
