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
