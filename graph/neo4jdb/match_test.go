package neo4jdb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// matchData is the case: the report's Chen Zhi, the OFAC record
// "CHEN Zhi" and the UK record "Zhi CHEN" (same birth date, both owning the
// same company), a namesake born elsewhere and later, and two records of
// the same company with and without its legal form.
func matchData(t *testing.T, p string) ([]graph.Entity, []graph.Relationship) {
	born := func(s string) graph.Value { return graph.DateValue(*date(t, s)) }
	e := func(id string, k graph.Kind, name string, props map[string]graph.Value, aliases ...string) graph.Entity {
		if props == nil {
			props = map[string]graph.Value{}
		}
		return graph.Entity{ID: p + id, Kinds: []graph.Kind{k}, Name: name, Aliases: aliases, Properties: props}
	}
	ents := []graph.Entity{
		e("chen-zhi", graph.KindTycoon, "Chen Zhi", map[string]graph.Value{"nationality": graph.StringValue("KH")}, "Vincent Chen"),
		e("ofac-chen", graph.KindPerson, "CHEN Zhi", map[string]graph.Value{"born": born("1987-12-16"), "nationality": graph.StringValue("KH")}),
		e("uk-chen", graph.KindPerson, "Zhi CHEN", map[string]graph.Value{"born": born("1987-12-16")}),
		e("namesake", graph.KindPerson, "Chen Zhi", map[string]graph.Value{"born": born("1962-04-01"), "nationality": graph.StringValue("TW")}),
		e("other", graph.KindPerson, "Chen Zhiwei", nil),
		e("judged", graph.KindPerson, "Chen Zhi", nil),
		e("prince", graph.KindCompany, "Prince Holding Group Co., Ltd.", nil),
		e("prince-2", graph.KindCompany, "Prince Holding Group", nil),
		e("bank", graph.KindCompany, "Prince Bank Plc", nil),
	}
	rel := func(from, to string) graph.Relationship {
		return graph.Relationship{ID: graph.RelationshipID(p+from, graph.RelOwns, p+to, ""), Type: graph.RelOwns, From: p + from, To: p + to,
			Evidence: graph.EvidenceMediaReport, Properties: map[string]graph.Value{}}
	}
	return ents, []graph.Relationship{rel("chen-zhi", "prince"), rel("ofac-chen", "prince"), rel("chen-zhi", "bank"), rel("ofac-chen", "bank")}
}

func candidateIDs(cs []graph.MatchCandidate, p string) []string {
	out := []string{}
	for _, c := range cs {
		if strings.HasPrefix(c.Entity.ID, p) {
			out = append(out, strings.TrimPrefix(c.Entity.ID, p))
		}
	}
	return out
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

func TestMatch(t *testing.T) {
	db := neo4jtest.Open(t)
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	ents, rels := matchData(t, p)
	neo4jtest.Write(t, db, ents, rels)
	ctx := context.Background()
	// A "not the same" judgement (docs/matching.md) between chen-zhi and judged.
	a, b := p+"chen-zhi", p+"judged"
	if err := db.RunScript(ctx, []string{fmt.Sprintf("CREATE (:Judgement {verdict: 'not_same', a: %q, b: %q, test_prefix: %q})", a, b, p)}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = db.RunScript(context.Background(), []string{fmt.Sprintf("MATCH (j:Judgement {test_prefix: %q}) DELETE j", p)})
	})

	t.Run("record ranks the same man above a namesake", func(t *testing.T) {
		rec := graph.Entity{Kinds: []graph.Kind{graph.KindPerson}, Name: "Zhi Chen", Properties: map[string]graph.Value{"born": graph.DateValue(*date(t, "1987-12-16"))}}
		res, err := db.Match(ctx, graph.MatchQuery{Entity: rec, Role: graph.RoleAnalyst, Limit: graph.MaxMatchLimit})
		if err != nil {
			t.Fatal(err)
		}
		got := candidateIDs(res.Candidates, p)
		for _, want := range []string{"ofac-chen", "uk-chen", "chen-zhi"} {
			if i, j := indexOf(got, want), indexOf(got, "namesake"); i < 0 || (j >= 0 && j < i) {
				t.Errorf("candidates %v: want %s, ranked above namesake", got, want)
			}
		}
		if indexOf(got, "prince") >= 0 {
			t.Errorf("candidates %v hold a company", got)
		}
		top := res.Candidates[0]
		if top.Band != graph.BandStrong || !top.Match || len(top.Features) == 0 {
			t.Errorf("top candidate %+v: want a strong match with features", top)
		}
	})

	t.Run("duplicates of the report's entity", func(t *testing.T) {
		res, err := db.Match(ctx, graph.MatchQuery{ID: p + "chen-zhi", Role: graph.RoleAnalyst, Limit: graph.MaxMatchLimit})
		if err != nil {
			t.Fatal(err)
		}
		got := candidateIDs(res.Candidates, p)
		if indexOf(got, "ofac-chen") < 0 || indexOf(got, "uk-chen") < 0 {
			t.Fatalf("duplicates %v: want ofac-chen and uk-chen", got)
		}
		if indexOf(got, "judged") >= 0 {
			t.Errorf("duplicates %v hold a pair judged not the same", got)
		}
		if indexOf(got, "chen-zhi") >= 0 {
			t.Errorf("duplicates %v hold the entity itself", got)
		}
		if o, n := indexOf(got, "ofac-chen"), indexOf(got, "namesake"); n >= 0 && n < o {
			t.Errorf("duplicates %v: namesake above ofac-chen", got)
		}
		var shared bool
		for _, c := range res.Candidates {
			for _, f := range c.Features {
				if c.Entity.ID == p+"ofac-chen" && f.Name == graph.FeatureSharedNeighbours {
					shared = true
				}
			}
		}
		if !shared {
			t.Errorf("ofac-chen has no shared_neighbours feature: %+v", res.Candidates)
		}
	})

	t.Run("unknown id", func(t *testing.T) {
		_, err := db.Match(ctx, graph.MatchQuery{ID: p + "nobody", Role: graph.RoleAnalyst})
		if graph.ErrorCode(err) != graph.CodeNotFound {
			t.Fatalf("error %v, want not found", err)
		}
	})

	t.Run("bad record", func(t *testing.T) {
		_, err := db.Match(ctx, graph.MatchQuery{Entity: graph.Entity{Name: " ,, "}, Role: graph.RoleAnalyst})
		if graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) != "name" {
			t.Fatalf("error %v, want invalid name", err)
		}
	})

	t.Run("whole-graph pairs page to the end", func(t *testing.T) {
		// Start at this test's ids (a keyset cursor, as a page would end
		// just before them) and stop past them: other data may share the
		// database.
		q := graph.DuplicatesQuery{Role: graph.RoleAnalyst, Limit: 5}
		n, err := q.Normalize()
		if err != nil {
			t.Fatal(err)
		}
		q.Cursor = graph.EncodeCursor(graph.Cursor{After: p, Key: n.CursorKey()})
		pairs := map[string]float64{}
		for pages := 0; ; pages++ {
			page, err := db.Duplicates(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, pr := range page.Pairs {
				if pr.A.ID >= pr.B.ID {
					t.Fatalf("pair %s %s not in id order", pr.A.ID, pr.B.ID)
				}
				if strings.HasPrefix(pr.A.ID, p) && strings.HasPrefix(pr.B.ID, p) {
					pairs[strings.TrimPrefix(pr.A.ID, p)+" "+strings.TrimPrefix(pr.B.ID, p)] = pr.Score
				}
			}
			past := false
			if c, err := graph.DecodeCursor(page.NextCursor, n.CursorKey()); err == nil && !strings.HasPrefix(c.After, p) {
				past = true
			}
			if page.NextCursor == "" || past {
				break
			}
			if pages > 100 {
				t.Fatal("too many pages")
			}
			q.Cursor = page.NextCursor
		}
		for _, want := range []string{"chen-zhi ofac-chen", "chen-zhi uk-chen", "ofac-chen uk-chen", "prince prince-2"} {
			if _, ok := pairs[want]; !ok {
				t.Errorf("pairs %v: want %s", pairs, want)
			}
		}
		for _, not := range []string{"chen-zhi judged", "bank prince", "bank prince-2"} {
			if _, ok := pairs[not]; ok {
				t.Errorf("pairs %v hold %s", pairs, not)
			}
		}
	})
}
