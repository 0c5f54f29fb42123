package neo4jdb_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// invFixture is the investigative queries' own graph, every id under one
// prefix:
//
//	Ly Kuong (tycoon) -OPERATES(charge, since 2023-01-01)-> Ly Compound
//	Ly Kuong -SUBJECT_OF-> charge (2026-01-12), with Co Defendant and Charged Compound
//	Ly Kuong -ASSOCIATE_OF(allegation, 2024-02-01..2025-06-30)-> Sok -OPERATES(media_report)-> Far Compound
//	Co Defendant -OPERATES-> Co Compound  (Ly must not reach it through the charge)
//	Ly Compound and Other Compound -LOCATED_IN-> Sihanoukville -LOCATED_IN-> Cambodia (no link through places)
//	Prince (company) -OWNS-> Ly Compound; Chen Zhi (tycoon and official) -OWNS-> Prince
//	Sar Sokha (official) -PROTECTS-> Ly Compound; Sar Sokha -ASSOCIATE_OF-> Chen Zhi (cited only by the 2026 source)
//	raid (2025-03-01) -LOCATED_IN-> Ly Compound
//	victims at Ly Compound: ID cohorts of 400 and 40, an IN individual, an IN cohort of unknown size;
//	the 400 RELEASED_FROM since 2026-01-05; one untied individual of nationality loneNat
//	Chain Compound <-OWNS- Shell Ltd <-OWNS(since 2025-01-01)- Holding Co <-CONTROLS- Ultimate Person
//
// Source old is published 2024-05-23, source new 2026-01-19.
type invFixture struct {
	prefix   string
	loneNat  string
	entities []graph.Entity
	rels     []graph.Relationship
}

func (f *invFixture) id(short string) string { return f.prefix + short }

func invDate(t testing.TB, s string) *graph.Date {
	t.Helper()
	d, err := graph.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}

func newInvFixture(t testing.TB, prefix string) *invFixture {
	f := &invFixture{prefix: prefix}
	// A nationality code of the prefix's own, so the untied-victim row is ours.
	f.loneNat = string([]byte{'A' + prefix[1]%26, 'A' + prefix[2]%26})
	old, newer := []string{f.id("src-old")}, []string{f.id("src-new")}
	both := append(append([]string{}, old...), newer...)
	ent := func(short string, kinds []graph.Kind, name string, sources []string, props map[string]graph.Value) {
		if props == nil {
			props = map[string]graph.Value{}
		}
		f.entities = append(f.entities, graph.Entity{ID: f.id(short), Kinds: kinds, Name: name, Sources: sources, Properties: props})
	}
	src := func(short, published string) {
		ent(short, []graph.Kind{graph.KindSource}, "Source "+short, nil, map[string]graph.Value{
			"publisher": graph.StringValue("Test Wire"), "published": graph.DateValue(*invDate(t, published)),
			"source_type": graph.StringValue("news"),
		})
	}
	event := func(short, typ, date string, sources []string) {
		ent(short, []graph.Kind{graph.KindEvent}, "Event "+short, sources, map[string]graph.Value{
			"event_type": graph.StringValue(typ), "date": graph.DateValue(*invDate(t, date)),
		})
	}
	victim := func(short, nat string, cohort bool, count int64) {
		p := map[string]graph.Value{"nationality": graph.StringValue(nat)}
		if cohort {
			p["cohort"] = graph.BoolValue(true)
		}
		if count > 0 {
			p["count"] = graph.IntValue(count)
		}
		ent(short, []graph.Kind{graph.KindVictim}, "Victims "+short, old, p)
	}
	loc := map[string]graph.Value{"location_type": graph.StringValue("city")}
	src("src-old", "2024-05-23")
	src("src-new", "2026-01-19")
	ent("ly", []graph.Kind{graph.KindTycoon}, "Ly Kuong", old, nil)
	ent("codef", []graph.Kind{graph.KindPerson}, "Co Defendant", old, nil)
	ent("sok", []graph.Kind{graph.KindPerson}, "Sok Associate", old, nil)
	ent("chen", []graph.Kind{graph.KindTycoon, graph.KindOfficial}, "Chen Zhi", old, nil)
	ent("sokha", []graph.Kind{graph.KindOfficial}, "Sar Sokha", old, nil)
	ent("prince", []graph.Kind{graph.KindCompany}, "Prince Holding", old, nil)
	ent("c-ly", []graph.Kind{graph.KindCompound}, "Ly Compound", old, nil)
	ent("c-far", []graph.Kind{graph.KindCompound}, "Far Compound", old, nil)
	ent("c-co", []graph.Kind{graph.KindCompound}, "Co Compound", old, nil)
	ent("c-charged", []graph.Kind{graph.KindCompound}, "Charged Compound", newer, nil)
	ent("c-other", []graph.Kind{graph.KindCompound}, "Other Compound", old, nil)
	ent("c-chain", []graph.Kind{graph.KindCompound}, "Chain Compound", old, nil)
	ent("shell", []graph.Kind{graph.KindCompany}, "Shell Ltd", old, nil)
	ent("holding", []graph.Kind{graph.KindCompany}, "Holding Co", old, nil)
	ent("ultimate", []graph.Kind{graph.KindPerson}, "Ultimate Person", old, nil)
	ent("city", []graph.Kind{graph.KindLocation}, "Sihanoukville", old, loc)
	ent("country", []graph.Kind{graph.KindLocation}, "Cambodia", old, loc)
	event("charge", "charge", "2026-01-12", newer)
	event("raid", "raid", "2025-03-01", both)
	victim("v-id-400", "ID", true, 400)
	victim("v-id-40", "ID", true, 40)
	victim("v-in-1", "IN", false, 0)
	victim("v-in-unknown", "IN", true, 0)
	victim("v-lone", f.loneNat, false, 0)

	rel := func(from string, typ graph.RelType, to string, ev graph.Evidence, sources []string, since, until string) {
		r := graph.Relationship{ID: graph.RelationshipID(f.id(from), typ, f.id(to), ""), Type: typ,
			From: f.id(from), To: f.id(to), Evidence: ev, Sources: sources, Properties: map[string]graph.Value{}}
		if since != "" {
			r.Since = invDate(t, since)
		}
		if until != "" {
			r.Until = invDate(t, until)
		}
		f.rels = append(f.rels, r)
	}
	rel("ly", graph.RelOperates, "c-ly", graph.EvidenceCharge, newer, "2023-01-01", "")
	rel("ly", graph.RelSubjectOf, "charge", graph.EvidenceCharge, newer, "", "")
	rel("codef", graph.RelSubjectOf, "charge", graph.EvidenceCharge, newer, "", "")
	rel("c-charged", graph.RelSubjectOf, "charge", graph.EvidenceCharge, newer, "", "")
	rel("codef", graph.RelOperates, "c-co", graph.EvidenceMediaReport, old, "", "")
	rel("ly", graph.RelAssociateOf, "sok", graph.EvidenceAllegation, old, "2024-02-01", "2025-06-30")
	rel("sok", graph.RelOperates, "c-far", graph.EvidenceMediaReport, old, "", "")
	rel("c-ly", graph.RelLocatedIn, "city", graph.EvidenceMediaReport, old, "", "")
	rel("c-other", graph.RelLocatedIn, "city", graph.EvidenceMediaReport, old, "", "")
	rel("city", graph.RelLocatedIn, "country", graph.EvidenceMediaReport, old, "", "")
	rel("prince", graph.RelOwns, "c-ly", graph.EvidenceMediaReport, old, "", "")
	rel("chen", graph.RelOwns, "prince", graph.EvidenceDesignation, old, "", "")
	rel("sokha", graph.RelProtects, "c-ly", graph.EvidenceAllegation, old, "", "")
	rel("sokha", graph.RelAssociateOf, "chen", graph.EvidenceMediaReport, newer, "", "")
	rel("raid", graph.RelLocatedIn, "c-ly", graph.EvidenceOfficialStatement, both, "", "")
	rel("v-id-400", graph.RelHeldAt, "c-ly", graph.EvidenceOfficialStatement, old, "", "")
	rel("v-id-400", graph.RelReleasedFrom, "c-ly", graph.EvidenceOfficialStatement, newer, "2026-01-05", "")
	rel("v-id-40", graph.RelHeldAt, "c-ly", graph.EvidenceOfficialStatement, old, "", "")
	rel("v-in-1", graph.RelHeldAt, "c-ly", graph.EvidenceAllegation, old, "", "")
	rel("v-in-unknown", graph.RelHeldAt, "c-ly", graph.EvidenceMediaReport, old, "", "")
	rel("shell", graph.RelOwns, "c-chain", graph.EvidenceMediaReport, old, "", "")
	rel("holding", graph.RelOwns, "shell", graph.EvidenceMediaReport, old, "2025-01-01", "")
	rel("ultimate", graph.RelControls, "holding", graph.EvidenceAllegation, old, "", "")
	return f
}

// openInv connects, writes the fixture and removes it when the test ends.
func openInv(t *testing.T) (*neo4jdb.DB, *invFixture) {
	t.Helper()
	db := neo4jtest.Open(t)
	f := newInvFixture(t, neo4jtest.Prefix(t))
	neo4jtest.Cleanup(t, db, f.prefix)
	neo4jtest.Write(t, db, f.entities, f.rels)
	return db, f
}

func invCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// ids lists entity ids with the fixture prefix cut off.
func (f *invFixture) ids(es []graph.Entity) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, strings.TrimPrefix(e.ID, f.prefix))
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkPath asserts that a path is well formed: n+1 nodes for n edges, each
// edge joining its neighbours, each hop carrying evidence and sources.
func checkPath(t *testing.T, p graph.Path) {
	t.Helper()
	if len(p.Nodes) != len(p.Edges)+1 {
		t.Fatalf("path has %d nodes for %d edges", len(p.Nodes), len(p.Edges))
	}
	for i, e := range p.Edges {
		a, b := p.Nodes[i].ID, p.Nodes[i+1].ID
		if !(e.From == a && e.To == b) && !(e.From == b && e.To == a) {
			t.Errorf("edge %d %s does not join %s and %s", i, e.ID, a, b)
		}
		if e.Evidence.Rank() == 0 || len(e.Sources) == 0 || e.Type == graph.RelMentionedIn {
			t.Errorf("edge %d %s: evidence %q, sources %v", i, e.ID, e.Evidence, e.Sources)
		}
	}
}

func TestProsecutedCompoundLinks(t *testing.T) {
	db, f := openInv(t)
	type link struct {
		compound, basis string
		hops            int
	}
	cases := []struct {
		name   string
		q      graph.LinkQuery
		person string
		want   []link
	}{
		{"ly kuong linked to the compound he is charged with running, charged-together compound and associate's compound",
			graph.LinkQuery{MaxHops: 3}, "ly",
			[]link{{"c-ly", "network", 1}, {"c-charged", "charged_together", 2}, {"c-far", "network", 2}}},
		{"one hop finds only the operated compound", graph.LinkQuery{MaxHops: 1}, "ly",
			[]link{{"c-ly", "network", 1}}},
		{"min_evidence charge drops the alleged association", graph.LinkQuery{MaxHops: 3, MinEvidence: graph.EvidenceCharge}, "ly",
			[]link{{"c-ly", "network", 1}, {"c-charged", "charged_together", 2}}},
		{"as_of before the charge hides every link", graph.LinkQuery{MaxHops: 3, AsOf: invDate(t, "2025-12-31")}, "ly",
			nil},
		{"as_of after the charge drops the association that had ended", graph.LinkQuery{MaxHops: 3, AsOf: invDate(t, "2026-01-20")}, "ly",
			[]link{{"c-ly", "network", 1}, {"c-charged", "charged_together", 2}}},
		{"co-defendant links to his own compound, not through the shared charge to ly's", graph.LinkQuery{MaxHops: 3}, "codef",
			[]link{{"c-co", "network", 1}, {"c-charged", "charged_together", 2}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			q.FocusID = f.id(tc.person)
			got, err := db.ProsecutedCompoundLinks(invCtx(t), q)
			if err != nil {
				t.Fatal(err)
			}
			var gotLinks []link
			for _, l := range got {
				checkPath(t, l.Path)
				if l.Person.ID != f.id(tc.person) || l.Path.Nodes[0].ID != l.Person.ID || l.Path.Nodes[len(l.Path.Nodes)-1].ID != l.Compound.ID {
					t.Errorf("link %s -> %s: path runs %s .. %s", l.Person.ID, l.Compound.ID, l.Path.Nodes[0].ID, l.Path.Nodes[len(l.Path.Nodes)-1].ID)
				}
				if ids := f.ids(l.Events); !equalStrings(ids, []string{"charge"}) {
					t.Errorf("events = %v, want [charge]", ids)
				}
				for _, n := range l.Path.Nodes[1 : len(l.Path.Nodes)-1] {
					if l.Basis == graph.BasisNetwork && (hasKind(n, graph.KindEvent) || hasKind(n, graph.KindLocation)) {
						t.Errorf("network path passes through %s", n.ID)
					}
				}
				gotLinks = append(gotLinks, link{strings.TrimPrefix(l.Compound.ID, f.prefix), l.Basis, len(l.Path.Edges)})
			}
			if len(gotLinks) != len(tc.want) {
				t.Fatalf("links = %v, want %v", gotLinks, tc.want)
			}
			for i := range tc.want {
				if gotLinks[i] != tc.want[i] {
					t.Errorf("link %d = %v, want %v (all: %v)", i, gotLinks[i], tc.want[i], gotLinks)
				}
			}
		})
	}
	t.Run("without focus the fixture's people are among the results, ordered by path length", func(t *testing.T) {
		got, err := db.ProsecutedCompoundLinks(invCtx(t), graph.LinkQuery{MaxHops: 2, Limit: graph.MaxPathsReturned})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for i, l := range got {
			if i > 0 && len(l.Path.Edges) < len(got[i-1].Path.Edges) {
				t.Errorf("result %d is shorter than result %d", i, i-1)
			}
			if l.Person.ID == f.id("ly") && l.Compound.ID == f.id("c-ly") {
				found = true
			}
		}
		if !found {
			t.Errorf("Ly Kuong -> Ly Compound not among %d links", len(got))
		}
	})
}

func hasKind(e graph.Entity, k graph.Kind) bool {
	for _, x := range e.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

func TestOfficialLinks(t *testing.T) {
	db, f := openInv(t)
	type link struct {
		official, target string
		hops             int
	}
	cases := []struct {
		name string
		q    graph.LinkQuery
		want []link
	}{
		{"focus on a tycoon who is also an official: others link to him, he does not link to himself",
			graph.LinkQuery{MaxHops: 2, FocusID: "chen"}, []link{{"sokha", "chen", 1}}},
		{"focus on a company: officials within two hops", graph.LinkQuery{MaxHops: 2, FocusID: "prince"},
			[]link{{"chen", "prince", 1}, {"sokha", "prince", 2}}},
		{"focus on an official: his links", graph.LinkQuery{MaxHops: 3, FocusID: "sokha"},
			[]link{{"sokha", "chen", 1}, {"sokha", "ly", 2}, {"sokha", "prince", 2}}},
		{"min_evidence official_statement leaves only designation-grade ties", graph.LinkQuery{MaxHops: 3, FocusID: "prince", MinEvidence: graph.EvidenceOfficialStatement},
			[]link{{"chen", "prince", 1}}},
		{"as_of before the only source of the association hides it", graph.LinkQuery{MaxHops: 2, FocusID: "chen", AsOf: invDate(t, "2025-01-01")},
			nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			q.FocusID = f.id(q.FocusID)
			got, err := db.OfficialLinks(invCtx(t), q)
			if err != nil {
				t.Fatal(err)
			}
			var gotLinks []link
			for _, l := range got {
				checkPath(t, l.Path)
				if l.Official.ID == l.Target.ID {
					t.Errorf("self link %s", l.Official.ID)
				}
				if l.Path.Nodes[0].ID != l.Official.ID || l.Path.Nodes[len(l.Path.Nodes)-1].ID != l.Target.ID {
					t.Errorf("path runs %s .. %s, want official .. target", l.Path.Nodes[0].ID, l.Path.Nodes[len(l.Path.Nodes)-1].ID)
				}
				gotLinks = append(gotLinks, link{strings.TrimPrefix(l.Official.ID, f.prefix), strings.TrimPrefix(l.Target.ID, f.prefix), len(l.Path.Edges)})
			}
			if len(gotLinks) != len(tc.want) {
				t.Fatalf("links = %v, want %v", gotLinks, tc.want)
			}
			for i := range tc.want {
				if gotLinks[i] != tc.want[i] {
					t.Errorf("link %d = %v, want %v (all: %v)", i, gotLinks[i], tc.want[i], gotLinks)
				}
			}
		})
	}
	t.Run("without focus no official is linked to himself", func(t *testing.T) {
		got, err := db.OfficialLinks(invCtx(t), graph.LinkQuery{MaxHops: 1, Limit: graph.MaxPathsReturned})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range got {
			if l.Official.ID == l.Target.ID {
				t.Errorf("self link %s", l.Official.ID)
			}
		}
	})
}

func TestCompoundNetwork(t *testing.T) {
	db, f := openInv(t)
	type want struct {
		owners, operators, companies, officials, events, locations []string
		held, released                                             []graph.NationalityCount
	}
	cases := []struct {
		name string
		asOf *graph.Date
		want want
	}{
		{"everything tied to the compound, victims summed by nationality", nil, want{
			owners: []string{"prince"}, operators: []string{"ly"}, companies: []string{"prince"},
			officials: []string{"chen", "sokha"}, events: []string{"raid"}, locations: []string{"country", "city"},
			held: []graph.NationalityCount{
				{Nationality: "ID", People: 440, Cohorts: 2},
				{Nationality: "IN", People: 1, Cohorts: 2, Uncounted: 1},
			},
			released: []graph.NationalityCount{{Nationality: "ID", People: 400, Cohorts: 1}},
		}},
		{"as_of 2025-06-01: no release yet, the raid (its 2024 source) stays", invDate(t, "2025-06-01"), want{
			owners: []string{"prince"}, operators: []string{}, companies: []string{"prince"},
			officials: []string{"chen", "sokha"}, events: []string{"raid"}, locations: []string{"country", "city"},
			held: []graph.NationalityCount{
				{Nationality: "ID", People: 440, Cohorts: 2},
				{Nationality: "IN", People: 1, Cohorts: 2, Uncounted: 1},
			},
			released: []graph.NationalityCount{},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.CompoundNetwork(invCtx(t), f.id("c-ly"), tc.asOf)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name      string
				got, want []string
			}{
				{"owners", f.ids(got.Owners), tc.want.owners}, {"operators", f.ids(got.Operators), tc.want.operators},
				{"companies", f.ids(got.Companies), tc.want.companies}, {"officials", f.ids(got.Officials), tc.want.officials},
				{"events", f.ids(got.Events), tc.want.events}, {"locations", f.ids(got.Locations), tc.want.locations},
			} {
				if !equalStrings(c.got, c.want) {
					t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
				}
			}
			for _, c := range []struct {
				name      string
				got, want []graph.NationalityCount
			}{{"held", got.VictimsHeld, tc.want.held}, {"released", got.VictimsReleased, tc.want.released}} {
				if len(c.got) != len(c.want) {
					t.Errorf("%s = %+v, want %+v", c.name, c.got, c.want)
					continue
				}
				for i := range c.want {
					if c.got[i] != c.want[i] {
						t.Errorf("%s[%d] = %+v, want %+v", c.name, i, c.got[i], c.want[i])
					}
				}
			}
			if got.Compound.ID != f.id("c-ly") || len(got.Graph.Nodes) == 0 || got.Graph.Nodes[0].ID != got.Compound.ID {
				t.Errorf("graph does not start at the compound")
			}
			nodes := map[string]bool{}
			for _, n := range got.Graph.Nodes {
				nodes[n.ID] = true
			}
			for _, e := range got.Graph.Edges {
				if !nodes[e.From] || !nodes[e.To] {
					t.Errorf("edge %s has an endpoint outside the subgraph", e.ID)
				}
			}
			for _, l := range [][]graph.Entity{got.Owners, got.Operators, got.Companies, got.Officials, got.Events, got.Locations} {
				for _, e := range l {
					if !nodes[e.ID] {
						t.Errorf("%s is missing from the subgraph", e.ID)
					}
				}
			}
		})
	}
	t.Run("as_of before any source cites the compound: not found", func(t *testing.T) {
		_, err := db.CompoundNetwork(invCtx(t), f.id("c-ly"), invDate(t, "2022-06-01"))
		if graph.ErrorCode(err) != graph.CodeNotFound || graph.ErrorField(err) != "id" {
			t.Errorf("err = %v, want not_found on id", err)
		}
	})
}

func TestVictimsByNationality(t *testing.T) {
	db, f := openInv(t)
	type row struct {
		nat, compound, relation string
		people                  int64
		cohorts, uncounted      int
	}
	cases := []struct {
		name string
		q    graph.VictimQuery
		want []row
	}{
		{"by compound: one row per nationality and relation", graph.VictimQuery{CompoundID: "c-ly"}, []row{
			{"ID", "c-ly", "HELD_AT", 440, 2, 0},
			{"ID", "c-ly", "RELEASED_FROM", 400, 1, 0},
			{"IN", "c-ly", "HELD_AT", 1, 2, 1},
		}},
		{"by compound and nationality (lower case accepted)", graph.VictimQuery{CompoundID: "c-ly", Nationality: "in"}, []row{
			{"IN", "c-ly", "HELD_AT", 1, 2, 1},
		}},
		{"by compound as of before the release", graph.VictimQuery{CompoundID: "c-ly", AsOf: invDate(t, "2025-12-31")}, []row{
			{"ID", "c-ly", "HELD_AT", 440, 2, 0},
			{"IN", "c-ly", "HELD_AT", 1, 2, 1},
		}},
		{"a victim tied to no compound appears with an empty compound", graph.VictimQuery{Nationality: f.loneNat}, []row{
			{f.loneNat, "", "", 1, 1, 0},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			if q.CompoundID != "" {
				q.CompoundID = f.id(q.CompoundID)
			}
			got, err := db.VictimsByNationality(invCtx(t), q)
			if err != nil {
				t.Fatal(err)
			}
			var rows []row
			for _, r := range got {
				if r.CompoundID != "" && !strings.HasPrefix(r.CompoundID, f.prefix) {
					continue
				}
				if r.CompoundID != "" && r.CompoundName == "" {
					t.Errorf("row %+v has no compound name", r)
				}
				rows = append(rows, row{r.Nationality, strings.TrimPrefix(r.CompoundID, f.prefix), r.Relation, r.People, r.Cohorts, r.Uncounted})
			}
			if len(rows) != len(tc.want) {
				t.Fatalf("rows = %+v, want %+v", rows, tc.want)
			}
			for i := range tc.want {
				if rows[i] != tc.want[i] {
					t.Errorf("row %d = %+v, want %+v", i, rows[i], tc.want[i])
				}
			}
		})
	}
}

func TestTimeline(t *testing.T) {
	db, f := openInv(t)
	cases := []struct {
		name string
		id   string
		asOf *graph.Date
		want []string // date what subject (the event, or the relationship's other end)
	}{
		{"ly kuong: relationship starts and ends and his charge, in date order", "ly", nil, []string{
			"2023-01-01 relationship_start c-ly",
			"2024-02-01 relationship_start sok",
			"2025-06-30 relationship_end sok",
			"2026-01-12 event charge",
		}},
		{"as_of leaves out what ended before and what was not yet known", "ly", invDate(t, "2024-06-01"), []string{
			"2024-02-01 relationship_start sok",
			"2025-06-30 relationship_end sok",
		}},
		{"an event's own date", "raid", nil, []string{"2025-03-01 event raid"}},
		{"a victim's release", "v-id-400", nil, []string{"2026-01-05 relationship_start c-ly"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.Timeline(invCtx(t), f.id(tc.id), tc.asOf)
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, it := range got {
				subject := ""
				switch {
				case it.Event != nil:
					subject = it.Event.ID
				case it.Other != nil:
					subject = it.Other.ID
				}
				if it.What != "event" && it.Relationship == nil {
					t.Errorf("%s item without a relationship", it.What)
				}
				lines = append(lines, it.Date.String()+" "+it.What+" "+strings.TrimPrefix(subject, f.prefix))
			}
			if !equalStrings(lines, tc.want) {
				t.Errorf("timeline =\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestOwnershipChains(t *testing.T) {
	db, f := openInv(t)
	cases := []struct {
		name string
		id   string
		q    graph.LinkQuery
		want []string // ultimate owner: path node ids from the entity up
	}{
		{"through the shell and holding layers to the ultimate owner", "c-chain", graph.LinkQuery{MaxHops: 4},
			[]string{"ultimate: c-chain shell holding ultimate"}},
		{"too few hops to reach an ultimate owner", "c-chain", graph.LinkQuery{MaxHops: 2}, nil},
		{"min_evidence media_report stops below the alleged control", "c-chain", graph.LinkQuery{MaxHops: 4, MinEvidence: graph.EvidenceMediaReport},
			[]string{"holding: c-chain shell holding"}},
		{"as_of before the holding bought the shell", "c-chain", graph.LinkQuery{MaxHops: 4, AsOf: invDate(t, "2024-06-01")},
			[]string{"shell: c-chain shell"}},
		{"operator and owner chains of a compound", "c-ly", graph.LinkQuery{MaxHops: 4},
			[]string{"ly: c-ly ly", "chen: c-ly prince chen"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.OwnershipChains(invCtx(t), f.id(tc.id), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, c := range got {
				checkPath(t, c.Path)
				for i, e := range c.Path.Edges {
					if e.To != c.Path.Nodes[i].ID {
						t.Errorf("edge %s does not point down the chain", e.ID)
					}
				}
				if last := c.Path.Nodes[len(c.Path.Nodes)-1]; last.ID != c.UltimateOwner.ID {
					t.Errorf("chain ends at %s, not at the owner %s", last.ID, c.UltimateOwner.ID)
				}
				lines = append(lines, strings.TrimPrefix(c.UltimateOwner.ID, f.prefix)+": "+strings.Join(f.ids(c.Path.Nodes), " "))
			}
			if !equalStrings(lines, tc.want) {
				t.Errorf("chains = %v, want %v", lines, tc.want)
			}
		})
	}
}

func TestInvestigatorErrors(t *testing.T) {
	db, f := openInv(t)
	bad := &graph.Date{Year: 2025, Month: 13, Day: 1}
	cases := []struct {
		name  string
		call  func(ctx context.Context) error
		code  graph.Code
		field string
	}{
		{"compound network of an unknown id", func(ctx context.Context) error {
			_, err := db.CompoundNetwork(ctx, f.id("nope"), nil)
			return err
		}, graph.CodeNotFound, "id"},
		{"compound network of a person", func(ctx context.Context) error {
			_, err := db.CompoundNetwork(ctx, f.id("ly"), nil)
			return err
		}, graph.CodeInvalid, "id"},
		{"compound network of a malformed id", func(ctx context.Context) error {
			_, err := db.CompoundNetwork(ctx, "", nil)
			return err
		}, graph.CodeInvalid, "id"},
		{"timeline of an unknown id", func(ctx context.Context) error {
			_, err := db.Timeline(ctx, f.id("nope"), nil)
			return err
		}, graph.CodeNotFound, "id"},
		{"timeline with an impossible as_of", func(ctx context.Context) error {
			_, err := db.Timeline(ctx, f.id("ly"), bad)
			return err
		}, graph.CodeInvalid, "as_of"},
		{"ownership chains of an unknown id", func(ctx context.Context) error {
			_, err := db.OwnershipChains(ctx, f.id("nope"), graph.LinkQuery{})
			return err
		}, graph.CodeNotFound, "id"},
		{"max_hops above the limit", func(ctx context.Context) error {
			_, err := db.ProsecutedCompoundLinks(ctx, graph.LinkQuery{MaxHops: graph.MaxPathHops + 1})
			return err
		}, graph.CodeInvalid, "max_hops"},
		{"negative max_hops", func(ctx context.Context) error {
			_, err := db.OwnershipChains(ctx, f.id("c-ly"), graph.LinkQuery{MaxHops: -1})
			return err
		}, graph.CodeInvalid, "max_hops"},
		{"unknown evidence grade", func(ctx context.Context) error {
			_, err := db.OfficialLinks(ctx, graph.LinkQuery{MinEvidence: "rumour"})
			return err
		}, graph.CodeInvalid, "min_evidence"},
		{"limit above the maximum", func(ctx context.Context) error {
			_, err := db.OfficialLinks(ctx, graph.LinkQuery{Limit: graph.MaxPathsReturned + 1})
			return err
		}, graph.CodeInvalid, "limit"},
		{"prosecuted links focused on a compound", func(ctx context.Context) error {
			_, err := db.ProsecutedCompoundLinks(ctx, graph.LinkQuery{FocusID: f.id("c-ly")})
			return err
		}, graph.CodeInvalid, "person"},
		{"prosecuted links focused on an unknown person", func(ctx context.Context) error {
			_, err := db.ProsecutedCompoundLinks(ctx, graph.LinkQuery{FocusID: f.id("nope")})
			return err
		}, graph.CodeNotFound, "person"},
		{"official links focused on a victim", func(ctx context.Context) error {
			_, err := db.OfficialLinks(ctx, graph.LinkQuery{FocusID: f.id("v-in-1")})
			return err
		}, graph.CodeInvalid, "focus"},
		{"victims with a three-letter nationality", func(ctx context.Context) error {
			_, err := db.VictimsByNationality(ctx, graph.VictimQuery{Nationality: "IDN"})
			return err
		}, graph.CodeInvalid, "nationality"},
		{"victims at a person", func(ctx context.Context) error {
			_, err := db.VictimsByNationality(ctx, graph.VictimQuery{CompoundID: f.id("ly")})
			return err
		}, graph.CodeInvalid, "compound"},
		{"victims at an unknown compound", func(ctx context.Context) error {
			_, err := db.VictimsByNationality(ctx, graph.VictimQuery{CompoundID: f.id("nope")})
			return err
		}, graph.CodeNotFound, "compound"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(invCtx(t))
			if graph.ErrorCode(err) != tc.code || graph.ErrorField(err) != tc.field {
				t.Errorf("err = %v (code %q, field %q), want code %q field %q", err, graph.ErrorCode(err), graph.ErrorField(err), tc.code, tc.field)
			}
		})
	}
}

// The link queries deepen their hop bound until the limit is full (see
// invDeepen): a limit must still take exactly the first links of the answer
// without a limit, paths included.
func TestLinkLimitsTakeTheFirstLinks(t *testing.T) {
	db, f := openInv(t)
	pathKey := func(p graph.Path) string {
		var ids []string
		for _, n := range p.Nodes {
			ids = append(ids, strings.TrimPrefix(n.ID, f.prefix))
		}
		for _, e := range p.Edges {
			ids = append(ids, string(e.Type))
		}
		return strings.Join(ids, ",")
	}
	tests := []struct {
		name  string
		links func(limit int) ([]string, error)
	}{
		{"official links of an official", func(limit int) ([]string, error) {
			ls, err := db.OfficialLinks(invCtx(t), graph.LinkQuery{MaxHops: graph.MaxPathHops, Limit: limit, FocusID: f.id("sokha")})
			var out []string
			for _, l := range ls {
				out = append(out, l.Target.ID+" "+pathKey(l.Path))
			}
			return out, err
		}},
		{"official links to a company", func(limit int) ([]string, error) {
			ls, err := db.OfficialLinks(invCtx(t), graph.LinkQuery{MaxHops: graph.MaxPathHops, Limit: limit, FocusID: f.id("prince")})
			var out []string
			for _, l := range ls {
				out = append(out, l.Official.ID+" "+pathKey(l.Path))
			}
			return out, err
		}},
		{"prosecuted links of a person", func(limit int) ([]string, error) {
			ls, err := db.ProsecutedCompoundLinks(invCtx(t), graph.LinkQuery{MaxHops: graph.MaxPathHops, Limit: limit, FocusID: f.id("ly")})
			var out []string
			for _, l := range ls {
				out = append(out, l.Compound.ID+" "+l.Basis+" "+pathKey(l.Path))
			}
			return out, err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all, err := tt.links(graph.MaxPathsReturned)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) < 2 {
				t.Fatalf("the fixture gives %d links, want at least 2 to test limits", len(all))
			}
			for limit := 1; limit <= len(all); limit++ {
				got, err := tt.links(limit)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, all[:limit]) {
					t.Errorf("limit %d: %q, want %q", limit, got, all[:limit])
				}
			}
		})
	}
}

// The last hop into a compound follows only the types that join a compound
// in the data (inv-compound-rel-types), not the model's endpoint table: an
// entity that is both a person and a compound is reached by FAMILY_OF, which
// the table never ends at a compound. A compound that is also a location
// stays out of a network path's end, as every location does, and
// min_evidence and as_of hold on the last hop as on the others.
func TestProsecutedLinksLastHopTypes(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	id := func(s string) string { return prefix + s }
	src := []string{id("src")}
	var ents []graph.Entity
	ent := func(short string, name string, props map[string]graph.Value, kinds ...graph.Kind) {
		if props == nil {
			props = map[string]graph.Value{}
		}
		ents = append(ents, graph.Entity{ID: id(short), Kinds: kinds, Name: name, Sources: src, Properties: props})
	}
	ent("src", "Source", map[string]graph.Value{"publisher": graph.StringValue("Test Wire"),
		"published": graph.DateValue(*invDate(t, "2025-01-01")), "source_type": graph.StringValue("news")}, graph.KindSource)
	ent("t", "Tycoon T", nil, graph.KindTycoon)
	ent("ch", "Charge", map[string]graph.Value{"event_type": graph.StringValue("charge"),
		"date": graph.DateValue(*invDate(t, "2025-02-01"))}, graph.KindEvent)
	ent("kin", "A Kin Compound", nil, graph.KindPerson, graph.KindCompound)
	ent("org", "Hub Org", nil, graph.KindOrganization)
	ent("b", "B Compound", nil, graph.KindCompound)
	ent("mid", "Mid Person", nil, graph.KindPerson)
	ent("c3", "C Compound", nil, graph.KindCompound)
	ent("cl", "A Place Compound", map[string]graph.Value{"location_type": graph.StringValue("city")},
		graph.KindCompound, graph.KindLocation)
	var rels []graph.Relationship
	rel := func(from string, typ graph.RelType, to string, ev graph.Evidence) {
		rels = append(rels, graph.Relationship{ID: graph.RelationshipID(id(from), typ, id(to), ""), Type: typ,
			From: id(from), To: id(to), Evidence: ev, Sources: src, Properties: map[string]graph.Value{}})
	}
	media := graph.EvidenceMediaReport
	rel("t", graph.RelSubjectOf, "ch", graph.EvidenceCharge)
	rel("t", graph.RelFamilyOf, "kin", media)
	rel("t", graph.RelAdvises, "org", graph.EvidenceConviction)
	rel("org", graph.RelProtects, "b", media)          // the only weak hop to b is the last
	rels[len(rels)-1].Since = invDate(t, "2026-01-01") // and the only one not yet true in 2025
	rel("mid", graph.RelAdvises, "org", media)
	rel("mid", graph.RelOperates, "c3", media)
	rel("t", graph.RelLocatedIn, "cl", media)
	neo4jtest.Write(t, db, ents, rels)

	for _, tc := range []struct {
		hops int
		min  graph.Evidence
		asOf string
		want []string // compound (path length)
	}{
		{1, "", "", []string{"kin (1)"}},
		{2, "", "", []string{"kin (1)", "b (2)"}},
		{3, "", "", []string{"kin (1)", "b (2)", "c3 (3)"}},
		// min_evidence holds on the last hop too: b's PROTECTS is a media report.
		{3, graph.EvidenceCharge, "", nil},
		// So does as_of: b's PROTECTS starts in 2026.
		{3, "", "2025-06-01", []string{"kin (1)", "c3 (3)"}},
	} {
		t.Run(fmt.Sprintf("%d hops, min_evidence %q, as_of %q", tc.hops, tc.min, tc.asOf), func(t *testing.T) {
			q := graph.LinkQuery{MaxHops: tc.hops, MinEvidence: tc.min, FocusID: id("t")}
			if tc.asOf != "" {
				q.AsOf = invDate(t, tc.asOf)
			}
			got, err := db.ProsecutedCompoundLinks(invCtx(t), q)
			if err != nil {
				t.Fatal(err)
			}
			var links []string
			for _, l := range got {
				checkPath(t, l.Path)
				if l.Basis != graph.BasisNetwork {
					t.Errorf("%s: basis %s, want network", l.Compound.ID, l.Basis)
				}
				links = append(links, fmt.Sprintf("%s (%d)", strings.TrimPrefix(l.Compound.ID, prefix), len(l.Path.Edges)))
			}
			if !slices.Equal(links, tc.want) {
				t.Errorf("links = %v, want %v", links, tc.want)
			}
		})
	}
}
