package neo4jdb_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// mergeGraph writes Chen Zhi as a report names him, and twice more as two
// sanctions lists do, with relationships that re-point, merge and loop.
func mergeGraph(t *testing.T, db *neo4jdb.DB, p string) {
	t.Helper()
	src := func(id, name string) graph.Entity {
		return graph.Entity{ID: p + id, Kinds: []graph.Kind{graph.KindSource}, Name: name,
			Properties: map[string]graph.Value{"publisher": graph.StringValue("X"), "published": graph.DateValue(graph.Date{Year: 2025, Month: 10, Day: 14}), "source_type": graph.StringValue("news")}}
	}
	ent := func(id string, kinds []graph.Kind, name, source string, props map[string]graph.Value) graph.Entity {
		return graph.Entity{ID: p + id, Kinds: kinds, Name: name, Sources: []string{p + source}, Properties: props}
	}
	person := []graph.Kind{graph.KindPerson}
	ents := []graph.Entity{src("source:afp", "AFP"), src("source:ofac", "OFAC"), src("source:uk", "UK"),
		ent("person:chen-zhi", []graph.Kind{graph.KindTycoon, graph.KindOfficial}, "Chen Zhi", "source:afp",
			map[string]graph.Value{"birth_country": graph.StringValue("CN"), "position": graph.StringValue("adviser")}),
		ent("person:ofac-chen", person, "CHEN Zhi", "source:ofac", map[string]graph.Value{"birth_country": graph.StringValue("KH"), "nationality": graph.StringValue("KH")}),
		ent("person:uk-chen", person, "Zhi CHEN", "source:uk", nil),
		ent("person:other-chen", person, "Chen Zhiwei", "source:afp", nil),
		ent("company:prince", []graph.Kind{graph.KindCompany}, "Prince Holding Group", "source:afp", nil),
		ent("event:sanction", []graph.Kind{graph.KindEvent}, "OFAC designation", "source:ofac",
			map[string]graph.Value{"event_type": graph.StringValue("sanction"), "date": graph.DateValue(graph.Date{Year: 2025, Month: 10, Day: 14})}),
	}
	rel := func(typ graph.RelType, from, to string, ev graph.Evidence, source string) graph.Relationship {
		return graph.Relationship{ID: graph.RelationshipID(p+from, typ, p+to, ""), Type: typ, From: p + from, To: p + to,
			Evidence: ev, Sources: []string{p + source}, Properties: map[string]graph.Value{}}
	}
	rels := []graph.Relationship{
		rel(graph.RelOwns, "person:chen-zhi", "company:prince", graph.EvidenceMediaReport, "source:afp"),
		rel(graph.RelOwns, "person:ofac-chen", "company:prince", graph.EvidenceDesignation, "source:ofac"),
		rel(graph.RelSubjectOf, "person:ofac-chen", "event:sanction", graph.EvidenceDesignation, "source:ofac"),
		rel(graph.RelSubjectOf, "person:uk-chen", "event:sanction", graph.EvidenceDesignation, "source:uk"),
		rel(graph.RelAssociateOf, "person:uk-chen", "person:ofac-chen", graph.EvidenceAllegation, "source:uk"),
		rel(graph.RelAssociateOf, "person:other-chen", "person:uk-chen", graph.EvidenceAllegation, "source:afp"),
	}
	neo4jtest.Write(t, db, ents, rels)
}

// TestMergeAndUndo: a merge moves names, sources, properties and
// relationships onto the kept node by the merge rules, records conflicts,
// leaves redirects; undo restores the graph exactly (same digest, every
// property and timestamp).
func TestMergeAndUndo(t *testing.T) {
	db := neo4jtest.Open(t)
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	mergeGraph(t, db, p)
	digest := func() (string, []string) {
		d, lines, err := neo4jdb.GraphDigest(ctx, db, p)
		if err != nil {
			t.Fatal(err)
		}
		return d, lines
	}
	before, beforeLines := digest()
	keep := p + "person:chen-zhi"
	merged := []string{p + "person:uk-chen", p + "person:ofac-chen"}

	if _, _, err := db.Judge(ctx, graph.Judgement{A: p + "person:ofac-chen", B: p + "person:other-chen", By: "alice"}); err != nil {
		t.Fatal(err)
	}
	rec, err := db.Merge(ctx, graph.MergeRequest{Keep: keep, Merge: merged, Reason: "same man on OFAC and UK lists", By: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("record", func(t *testing.T) {
		got, err := db.MergeRecord(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.By != "alice" || got.Status != graph.MergeActive || got.Reason != "same man on OFAC and UK lists" || !slices.Equal(got.Merged, []string{p + "person:ofac-chen", p + "person:uk-chen"}) {
			t.Errorf("record %+v", got)
		}
		if !slices.Equal(got.Names, []string{"CHEN Zhi", "Zhi CHEN"}) || !slices.Contains(got.Properties, "nationality") {
			t.Errorf("names %v properties %v", got.Names, got.Properties)
		}
		if len(got.Conflicts) != 1 || got.Conflicts[0].Property != "birth_country" || got.Conflicts[0].Other.S != "KH" || got.Conflicts[0].Kept.S != "CN" {
			t.Errorf("conflicts %+v", got.Conflicts)
		}
		outcomes := map[string]int{}
		for _, m := range got.Relationships {
			outcomes[m.Outcome]++
		}
		// OWNS and one SUBJECT_OF merge into the kept's, the other
		// SUBJECT_OF re-points, ASSOCIATE_OF uk->ofac loops, other->uk re-points.
		if outcomes[graph.MovedMerged] != 2 || outcomes[graph.MovedRepointed] != 2 || outcomes[graph.MovedDropped] != 1 {
			t.Errorf("outcomes %v: %+v", outcomes, got.Relationships)
		}
	})
	t.Run("kept node", func(t *testing.T) {
		d, err := db.Entity(ctx, graph.EntityQuery{ID: keep})
		if err != nil {
			t.Fatal(err)
		}
		e := d.Entity
		if e.Name != "Chen Zhi" || !slices.Contains(e.Aliases, "CHEN Zhi") || !slices.Contains(e.Aliases, "Zhi CHEN") {
			t.Errorf("names %q %v", e.Name, e.Aliases)
		}
		if len(e.Sources) != 3 || e.Properties["birth_country"].S != "CN" || e.Properties["nationality"].S != "KH" {
			t.Errorf("sources %v props %v", e.Sources, e.Properties)
		}
		for _, id := range merged {
			if _, err := db.Entity(ctx, graph.EntityQuery{ID: id}); graph.ErrorCode(err) != graph.CodeNotFound {
				t.Errorf("%s still readable: %v", id, err)
			}
			to, ok, err := db.Resolve(ctx, id)
			if err != nil || !ok || to != keep {
				t.Errorf("resolve %s = %s %v %v", id, to, ok, err)
			}
		}
		// The judgement on a merged id now holds for the kept one.
		if j, created, err := db.Judge(ctx, graph.Judgement{A: keep, B: p + "person:other-chen", By: "bob"}); err != nil || created || j.By != "alice" {
			t.Errorf("judgement not carried over: %+v %v %v", j, created, err)
		}
		_, lines := digest()
		owns := 0
		for _, l := range lines {
			if strings.Contains(l, "-[OWNS]->") {
				owns++
				if !strings.Contains(l, "evidence=designation") || !strings.Contains(l, "source:afp") || !strings.Contains(l, "source:ofac") {
					t.Errorf("OWNS not merged by the rules: %s", l)
				}
			}
		}
		if owns != 1 {
			t.Errorf("%d OWNS relationships, want 1: %v", owns, lines)
		}
	})
	t.Run("undo restores exactly", func(t *testing.T) {
		u, err := db.UndoMerge(ctx, rec.ID, "bob")
		if err != nil {
			t.Fatal(err)
		}
		if u.Status != graph.MergeUndone || u.UndoneBy != "bob" || u.UndoneAt == nil {
			t.Errorf("undone record %+v", u)
		}
		after, afterLines := digest()
		if after != before {
			t.Errorf("digest changed\nbefore:\n%s\nafter:\n%s", strings.Join(beforeLines, "\n"), strings.Join(afterLines, "\n"))
		}
		if _, ok, _ := db.Resolve(ctx, merged[0]); ok {
			t.Error("redirect survived the undo")
		}
		again, err := db.UndoMerge(ctx, rec.ID, "carol")
		if err != nil || again.UndoneBy != "bob" {
			t.Errorf("second undo: %+v %v", again, err)
		}
	})
	t.Run("undo refused after a later change", func(t *testing.T) {
		rec, err := db.Merge(ctx, graph.MergeRequest{Keep: keep, Merge: merged[:1], By: "alice"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpsertEntities(ctx, []graph.Entity{{ID: keep, Kinds: []graph.Kind{graph.KindTycoon}, Aliases: []string{"Vincent Chen"}, Sources: []string{p + "source:afp"}}}, false); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UndoMerge(ctx, rec.ID, "bob"); graph.ErrorCode(err) != graph.CodeConflict {
			t.Errorf("undo after a change: %v, want conflict", err)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		if _, _, err := db.Judge(ctx, graph.Judgement{A: p + "person:other-chen", B: keep, Reason: "different birth years", By: "alice"}); err != nil {
			t.Fatal(err)
		}
		j, created, err := db.Judge(ctx, graph.Judgement{A: keep, B: p + "person:other-chen", By: "bob"})
		if err != nil || created || j.By != "alice" || j.A > j.B {
			t.Errorf("second judgement %+v %v %v", j, created, err)
		}
		cases := []struct {
			name  string
			req   graph.MergeRequest
			code  graph.Code
			field string
		}{
			{"judged not the same", graph.MergeRequest{Keep: keep, Merge: []string{p + "person:other-chen"}}, graph.CodeConflict, "merge"},
			{"kinds differ", graph.MergeRequest{Keep: keep, Merge: []string{p + "company:prince"}}, graph.CodeInvalid, "merge"},
			{"merged into another already", graph.MergeRequest{Keep: p + "person:other-chen", Merge: merged[:1]}, graph.CodeConflict, "merge[0]"},
			{"unknown", graph.MergeRequest{Keep: p + "person:nobody", Merge: merged[1:]}, graph.CodeNotFound, "keep"},
			{"into itself", graph.MergeRequest{Keep: keep, Merge: []string{keep}}, graph.CodeInvalid, "merge[0]"},
		}
		t.Run("repeated merge answers the earlier record", func(t *testing.T) {
			rec, err := db.Merge(ctx, graph.MergeRequest{Keep: keep, Merge: merged[:1]})
			if !errors.Is(err, graph.ErrRepeated) || rec.Keep != keep || rec.Status != graph.MergeActive {
				t.Errorf("repeated merge: %+v %v", rec, err)
			}
		})
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := db.Merge(ctx, tc.req)
				if graph.ErrorCode(err) != tc.code || graph.ErrorField(err) != tc.field {
					t.Errorf("got %v (%s, field %q), want %s on %q", err, graph.ErrorCode(err), graph.ErrorField(err), tc.code, tc.field)
				}
			})
		}
	})
}

// TestJudgementsListAndWithdraw: judgements are listed newest first, by
// entity and verdict, a page at a time; a withdrawal (by the author, or
// with Any) puts the pair back among the duplicates and is idempotent.
func TestJudgementsListAndWithdraw(t *testing.T) {
	db := neo4jtest.Open(t)
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	ctx := t.Context()
	mergeGraph(t, db, p)
	chen, other, uk, ofac := p+"person:chen-zhi", p+"person:other-chen", p+"person:uk-chen", p+"person:ofac-chen"
	judge := func(a, b, by string) graph.Judgement {
		t.Helper()
		j, created, err := db.Judge(ctx, graph.Judgement{A: a, B: b, Reason: "born " + by, By: by})
		if err != nil || !created || j.Status != graph.JudgementActive {
			t.Fatalf("judge %s %s: %+v %v %v", a, b, j, created, err)
		}
		return j
	}
	// Oldest first: chen/other by alice, uk/other by bob, ofac/other by alice.
	jChen, jUK, jOFAC := judge(chen, other, "alice"), judge(other, uk, "bob"), judge(ofac, other, "alice")
	ids := func(js []graph.Judgement) []string {
		out := []string{}
		for _, j := range js {
			out = append(out, j.ID)
		}
		return out
	}

	t.Run("list", func(t *testing.T) {
		cases := []struct {
			name string
			q    graph.JudgementsQuery
			want []string
		}{
			{"either side of the pair, newest first", graph.JudgementsQuery{Entity: other}, []string{jOFAC.ID, jUK.ID, jChen.ID}},
			{"one side", graph.JudgementsQuery{Entity: chen}, []string{jChen.ID}},
			{"verdict", graph.JudgementsQuery{Entity: uk, Verdict: graph.VerdictNotSame}, []string{jUK.ID}},
			{"entity without judgements", graph.JudgementsQuery{Entity: p + "company:prince"}, []string{}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				page, err := db.Judgements(ctx, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				if got := ids(page.Judgements); !slices.Equal(got, tc.want) || page.NextCursor != "" {
					t.Errorf("got %v (cursor %q), want %v", got, page.NextCursor, tc.want)
				}
			})
		}
		t.Run("stored fields", func(t *testing.T) {
			page, _ := db.Judgements(ctx, graph.JudgementsQuery{Entity: chen})
			if len(page.Judgements) != 1 {
				t.Fatalf("%+v", page)
			}
			j := page.Judgements[0]
			if j.A != min(chen, other) || j.B != max(chen, other) || j.By != "alice" || j.Reason != "born alice" || j.At.IsZero() || !j.At.Equal(jChen.At) || j.Status != graph.JudgementActive {
				t.Errorf("%+v, want %+v", j, jChen)
			}
		})
		t.Run("without a filter, newest first", func(t *testing.T) {
			page, err := db.Judgements(ctx, graph.JudgementsQuery{Limit: graph.MaxJudgementsLimit})
			if err != nil {
				t.Fatal(err)
			}
			// Other tests share the database: ours are in order among theirs.
			var ours []string
			for _, j := range page.Judgements {
				if strings.HasPrefix(j.A, p) {
					ours = append(ours, j.ID)
				}
			}
			if want := []string{jOFAC.ID, jUK.ID, jChen.ID}; !slices.Equal(ours, want) {
				t.Errorf("ours %v, want %v", ours, want)
			}
		})
	})

	t.Run("pages", func(t *testing.T) {
		q := graph.JudgementsQuery{Entity: other, Limit: 1}
		var got []string
		for range 5 {
			page, err := db.Judgements(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ids(page.Judgements)...)
			if page.NextCursor == "" {
				break
			}
			q.Cursor = page.NextCursor
		}
		if want := []string{jOFAC.ID, jUK.ID, jChen.ID}; !slices.Equal(got, want) {
			t.Errorf("pages %v, want %v", got, want)
		}
	})

	t.Run("bad queries", func(t *testing.T) {
		page, _ := db.Judgements(ctx, graph.JudgementsQuery{Entity: other, Limit: 1})
		cases := []struct {
			name, field string
			q           graph.JudgementsQuery
		}{
			{"verdict", "verdict", graph.JudgementsQuery{Verdict: "same"}},
			{"limit", "limit", graph.JudgementsQuery{Limit: graph.MaxJudgementsLimit + 1}},
			{"entity", "entity", graph.JudgementsQuery{Entity: "bad id"}},
			{"cursor of another filter", "cursor", graph.JudgementsQuery{Entity: chen, Cursor: page.NextCursor}},
			{"garbage cursor", "cursor", graph.JudgementsQuery{Cursor: "garbage"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := db.Judgements(ctx, tc.q)
				if graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) != tc.field {
					t.Errorf("got %v, want invalid %q", err, tc.field)
				}
			})
		}
	})

	proposes := func(t *testing.T, id, candidate string) bool {
		t.Helper()
		res, err := db.Match(ctx, graph.MatchQuery{ID: id, Role: graph.RoleAdmin, Threshold: 0.5, Limit: graph.MaxMatchLimit})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Candidates {
			if c.Entity.ID == candidate {
				return true
			}
		}
		return false
	}
	t.Run("withdraw", func(t *testing.T) {
		cases := []struct {
			name string
			w    graph.JudgementWithdrawal
			code graph.Code // "" : withdrawn
			by   string     // withdrawn_by expected
		}{
			{"another analyst's", graph.JudgementWithdrawal{ID: jUK.ID, By: "alice"}, graph.CodeForbidden, ""},
			{"unknown id", graph.JudgementWithdrawal{ID: graph.JudgementID(p+"person:x", p+"person:y"), By: "bob"}, graph.CodeNotFound, ""},
			{"not a judgement id", graph.JudgementWithdrawal{ID: "merge-1", By: "bob"}, graph.CodeInvalid, ""},
			{"by its author", graph.JudgementWithdrawal{ID: jUK.ID, By: "bob", Reason: " same passport "}, "", "bob"},
			{"again, by anyone: unchanged", graph.JudgementWithdrawal{ID: jUK.ID, By: "carol"}, "", "bob"},
			{"another's, by an admin", graph.JudgementWithdrawal{ID: jOFAC.ID, By: "root", Any: true}, "", "root"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				j, err := db.WithdrawJudgement(ctx, tc.w)
				if graph.ErrorCode(err) != tc.code {
					t.Fatalf("got %+v %v, want %q", j, err, tc.code)
				}
				if tc.code != "" {
					return
				}
				if j.Status != graph.JudgementWithdrawn || j.WithdrawnBy != tc.by || j.WithdrawnAt == nil || j.ID != tc.w.ID || j.By == "" {
					t.Errorf("withdrawn %+v", j)
				}
			})
		}
		t.Run("the reason is kept", func(t *testing.T) {
			j, err := db.WithdrawJudgement(ctx, graph.JudgementWithdrawal{ID: jUK.ID, By: "bob"})
			if err != nil || j.WithdrawReason != "same passport" || j.Reason != "born bob" {
				t.Errorf("%+v %v", j, err)
			}
		})
		t.Run("left out of the list", func(t *testing.T) {
			page, err := db.Judgements(ctx, graph.JudgementsQuery{Entity: other})
			if got := ids(page.Judgements); err != nil || !slices.Equal(got, []string{jChen.ID}) {
				t.Errorf("got %v %v, want only %s", got, err, jChen.ID)
			}
		})
		// A likely duplicate: the same name from another source.
		dup := p + "person:dup-chen"
		neo4jtest.Write(t, db, []graph.Entity{{ID: dup, Kinds: []graph.Kind{graph.KindPerson}, Name: "Chen Zhi", Sources: []string{p + "source:uk"}}}, nil)
		if !proposes(t, chen, dup) {
			t.Fatalf("%s is not proposed as a duplicate of %s before any judgement", dup, chen)
		}
		jDup := judge(chen, dup, "erin")
		if proposes(t, chen, dup) {
			t.Fatalf("the judged pair %s / %s is proposed", chen, dup)
		}
		t.Run("the pair is proposed again", func(t *testing.T) {
			if _, err := db.WithdrawJudgement(ctx, graph.JudgementWithdrawal{ID: jDup.ID, By: "erin"}); err != nil {
				t.Fatal(err)
			}
			if !proposes(t, chen, dup) {
				t.Errorf("%s is not proposed as a duplicate of %s after the withdrawal", dup, chen)
			}
		})
		t.Run("judging again records a new judgement, withdrawn again", func(t *testing.T) {
			j := judge(chen, dup, "dave")
			if proposes(t, chen, dup) {
				t.Errorf("judged again, still proposed")
			}
			w, err := db.WithdrawJudgement(ctx, graph.JudgementWithdrawal{ID: j.ID, By: "dave"})
			if err != nil || w.WithdrawnBy != "dave" || w.By != "dave" || w.WithdrawReason != "" {
				t.Errorf("second withdrawal %+v %v", w, err)
			}
			if _, err := db.WithdrawJudgement(ctx, graph.JudgementWithdrawal{ID: j.ID, By: "x"}); err != nil {
				t.Errorf("repeat: %v", err)
			}
		})
	})
}
