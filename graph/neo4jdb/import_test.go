package neo4jdb_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestWriteChecksRulesInsideTheTransaction: the store refuses, record by
// record, what breaks a rule against the graph as it is when it writes,
// whatever the importer checked before (a concurrent import may have
// changed the graph since): kinds, endpoint kinds, missing ends and the
// victim fields a role may not write. The other records of the batch are
// written.
func TestWriteChecksRulesInsideTheTransaction(t *testing.T) {
	db := neo4jtest.Open(t)
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	src := graph.Entity{ID: p + "source:a", Kinds: []graph.Kind{graph.KindSource}, Name: "A",
		Properties: map[string]graph.Value{"publisher": graph.StringValue("AFP"), "published": graph.DateValue(graph.Date{Year: 2026, Month: 1, Day: 1}), "source_type": graph.StringValue("news")}}
	ent := func(id string, k graph.Kind, name string, props map[string]graph.Value) graph.Entity {
		return graph.Entity{ID: p + id, Kinds: []graph.Kind{k}, Name: name, Sources: []string{src.ID}, Properties: props}
	}
	victim := ent("victim:v", graph.KindVictim, "Real Name", map[string]graph.Value{"pseudonym": graph.StringValue("Pseudo"), "age": graph.IntValue(30)})
	if _, err := db.UpsertEntities(ctx, []graph.Entity{src, ent("person:p", graph.KindPerson, "P", nil),
		ent("company:c", graph.KindCompany, "C", nil), ent("compound:x", graph.KindCompound, "X", nil), victim}, false); err != nil {
		t.Fatal(err)
	}
	rel := func(typ graph.RelType, from, to string, props map[string]graph.Value) graph.Relationship {
		return graph.Relationship{ID: graph.RelationshipID(p+from, typ, p+to, ""), Type: typ, From: p + from, To: p + to,
			Evidence: graph.EvidenceMediaReport, Sources: []string{src.ID}, Properties: props}
	}
	importer := graph.WriteOptions{Role: graph.RoleImporter}
	t.Run("entities", func(t *testing.T) {
		asSource := src
		asSource.ID = p + "person:p"
		res, err := db.WriteEntities(ctx, []graph.Entity{
			asSource,
			ent("person:new", graph.KindPerson, "New", nil),
			ent("victim:v", graph.KindVictim, "Pseudo", map[string]graph.Value{"age": graph.IntValue(31)}),
			ent("victim:v", graph.KindVictim, "Pseudo", map[string]graph.Value{"nationality": graph.StringValue("ID")}),
		}, importer)
		if err != nil {
			t.Fatal(err)
		}
		want := []wantResult{{graph.OutcomeRefused, "kinds: "}, {graph.OutcomeCreated, ""}, {graph.OutcomeRefused, "properties.age: "}, {graph.OutcomeUpdated, ""}}
		checkResults(t, res, want)
		stored, err := db.StoredEntities(ctx, []string{p + "person:p", p + "victim:v", p + "person:new"})
		if err != nil {
			t.Fatal(err)
		}
		if k := stored[p+"person:p"].Kinds; len(k) != 1 || k[0] != graph.KindPerson {
			t.Errorf("person's kinds %v", k)
		}
		v := stored[p+"victim:v"]
		if v.Properties["age"].I != 30 || v.Name != "Real Name" || v.Properties["nationality"].S != "ID" {
			t.Errorf("victim %+v: want age and name kept, nationality added", v)
		}
		if _, ok := stored[p+"person:new"]; !ok {
			t.Error("the good record was not written")
		}
	})
	t.Run("a later record of the batch cannot make a new entity a source", func(t *testing.T) {
		q := ent("person:q", graph.KindPerson, "Q", nil)
		qs := src
		qs.ID = q.ID
		res, err := db.WriteEntities(ctx, []graph.Entity{q, qs}, graph.WriteOptions{})
		if err != nil || res[0].Outcome != graph.OutcomeCreated || res[1].Outcome != graph.OutcomeRefused {
			t.Fatalf("res %+v err %v", res, err)
		}
		stored, err := db.StoredEntities(ctx, []string{q.ID})
		if err != nil || len(stored[q.ID].Kinds) != 1 || stored[q.ID].Kinds[0] != graph.KindPerson {
			t.Errorf("stored %+v err %v", stored, err)
		}
	})
	t.Run("relationships", func(t *testing.T) {
		res, err := db.WriteRelationships(ctx, []graph.Relationship{
			rel(graph.RelPartOf, "company:c", "person:p", nil),
			rel(graph.RelOwns, "person:p", "company:c", nil),
			rel(graph.RelHeldAt, "victim:v", "compound:x", map[string]graph.Value{"injuries": graph.StringValue("x")}),
			rel(graph.RelHeldAt, "victim:v", "compound:x", nil),
			rel(graph.RelOwns, "person:p", "company:ghost", nil),
		}, importer)
		if err != nil {
			t.Fatal(err)
		}
		want := []wantResult{{graph.OutcomeRefused, "from: PART_OF"}, {graph.OutcomeCreated, ""}, {graph.OutcomeRefused, "properties: "},
			{graph.OutcomeCreated, ""}, {graph.OutcomeRefused, "to: references"}}
		checkResults(t, res, want)
	})
}

// wantResult is the expected outcome of one record, and the field its
// refusal names ("" when it is not refused).
type wantResult struct {
	outcome graph.Outcome
	field   string
}

func checkResults(t *testing.T, res []graph.ItemResult, want []wantResult) {
	t.Helper()
	if len(res) != len(want) {
		t.Fatalf("%d results, want %d", len(res), len(want))
	}
	for i, w := range want {
		if res[i].Outcome != w.outcome || (w.field != "") != (res[i].Err != nil) || (res[i].Err != nil && !strings.HasPrefix(res[i].Err.Error(), w.field)) {
			t.Errorf("record %d: %+v, want %v %q", i, res[i], w.outcome, w.field)
		}
	}
}

// TestRewriteOfStoredEntitiesIsUnchanged: a batch whose records already
// hold what is stored (the check Neo4j makes in the reading statement,
// entity-fetch-changed) is unchanged and writes nothing; a record that
// differs in one value, or only in a value's type, or that adds a
// property, is an update; a record that holds less than is stored is
// unchanged (merges only add).
func TestRewriteOfStoredEntitiesIsUnchanged(t *testing.T) {
	db := neo4jtest.Open(t)
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	src := graph.Entity{ID: p + "source:a", Kinds: []graph.Kind{graph.KindSource}, Name: "A",
		Properties: map[string]graph.Value{"publisher": graph.StringValue("AFP"), "published": graph.DateValue(graph.Date{Year: 2026, Month: 1, Day: 1}), "source_type": graph.StringValue("news")}}
	props := func(extra map[string]graph.Value) map[string]graph.Value {
		m := map[string]graph.Value{"workers": graph.IntValue(2), "area_ha": graph.FloatValue(1.5), "fenced": graph.BoolValue(true),
			"opened": graph.DateValue(graph.Date{Year: 2020, Month: 3, Day: 4}), "languages": graph.StringsValue([]string{"th", "km"})}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	ent := func(id string, pr map[string]graph.Value) graph.Entity {
		return graph.Entity{ID: p + id, Kinds: []graph.Kind{graph.KindCompound}, Name: "X " + id, Aliases: []string{"b", "a"},
			Sources: []string{src.ID}, Properties: pr}
	}
	base := []graph.Entity{src, ent("compound:1", props(nil)), ent("compound:2", props(nil)), ent("compound:3", props(nil)), ent("compound:4", props(nil))}
	if st, err := db.UpsertEntities(ctx, base, false); err != nil || st.Created != len(base) {
		t.Fatalf("first write %+v, %v", st, err)
	}
	for _, tc := range []struct {
		name  string
		batch []graph.Entity
		want  graph.WriteStats
	}{
		{"the same records", base, graph.WriteStats{Unchanged: len(base)}},
		{"the same records again, twice each", append(slices.Clone(base), base...), graph.WriteStats{Unchanged: len(base)}},
		{"less than is stored", []graph.Entity{{ID: p + "compound:1", Kinds: []graph.Kind{graph.KindCompound}, Name: "X compound:1"}}, graph.WriteStats{Unchanged: 1}},
		{"one value differs", []graph.Entity{ent("compound:1", props(map[string]graph.Value{"workers": graph.IntValue(3)}))}, graph.WriteStats{Updated: 1}},
		{"a value's type differs", []graph.Entity{ent("compound:2", props(map[string]graph.Value{"area_ha": graph.StringValue("1.5")}))}, graph.WriteStats{Updated: 1}},
		{"a property is added", []graph.Entity{ent("compound:3", props(map[string]graph.Value{"note": graph.StringValue("new")}))}, graph.WriteStats{Updated: 1}},
		{"an alias is added", []graph.Entity{func() graph.Entity { e := ent("compound:4", props(nil)); e.Aliases = []string{"c"}; return e }()}, graph.WriteStats{Updated: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := db.UpsertEntities(ctx, tc.batch, false)
			if err != nil {
				t.Fatal(err)
			}
			if st != tc.want {
				t.Errorf("stats %+v, want %+v", st, tc.want)
			}
		})
	}
}

// TestRewriteOfStoredRelationshipsIsUnchanged: the same for relationships
// (relationship-plan-read): a batch that brings what is stored, or
// less, is unchanged, property for property and type for type; any
// difference is an update, and what is stored after it is what a read
// gives.
func TestRewriteOfStoredRelationshipsIsUnchanged(t *testing.T) {
	db := neo4jtest.Open(t)
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	src := graph.Entity{ID: p + "source:a", Kinds: []graph.Kind{graph.KindSource}, Name: "A",
		Properties: map[string]graph.Value{"publisher": graph.StringValue("AFP"), "published": graph.DateValue(graph.Date{Year: 2026, Month: 1, Day: 1}), "source_type": graph.StringValue("news")}}
	src2 := src
	src2.ID, src2.Name = p+"source:b", "B"
	ents := []graph.Entity{src, src2}
	for i := 1; i <= 7; i++ {
		ents = append(ents, graph.Entity{ID: fmt.Sprintf("%scompany:%d", p, i), Kinds: []graph.Kind{graph.KindCompany}, Name: fmt.Sprintf("C%d", i), Sources: []string{src.ID}})
	}
	if _, err := db.UpsertEntities(ctx, ents, false); err != nil {
		t.Fatal(err)
	}
	since := graph.Date{Year: 2020, Month: 1, Day: 2}
	rel := func(to int, edit func(*graph.Relationship)) graph.Relationship {
		from, dst := p+"company:1", fmt.Sprintf("%scompany:%d", p, to)
		r := graph.Relationship{ID: graph.RelationshipID(from, graph.RelOwns, dst, ""), Type: graph.RelOwns, From: from, To: dst,
			Evidence: graph.Evidences()[1], Since: &since, Sources: []string{src.ID},
			Properties: map[string]graph.Value{"share_pct": graph.FloatValue(51), "role": graph.StringValue("parent"), "seats": graph.IntValue(2)}}
		if edit != nil {
			edit(&r)
		}
		return r
	}
	var base []graph.Relationship
	for to := 2; to <= 7; to++ {
		base = append(base, rel(to, nil))
	}
	if st, err := db.UpsertRelationships(ctx, base, false); err != nil || st.Created != len(base) {
		t.Fatalf("first write %+v, %v", st, err)
	}
	for _, tc := range []struct {
		name  string
		batch []graph.Relationship
		want  graph.WriteStats
	}{
		{"the same records", base, graph.WriteStats{Unchanged: len(base)}},
		{"the same records again, twice each", append(slices.Clone(base), base...), graph.WriteStats{Unchanged: len(base)}},
		{"less than is stored", []graph.Relationship{rel(2, func(r *graph.Relationship) { r.Properties = nil; r.Since = nil })}, graph.WriteStats{Unchanged: 1}},
		{"one value differs", []graph.Relationship{rel(3, func(r *graph.Relationship) { r.Properties["seats"] = graph.IntValue(3) })}, graph.WriteStats{Updated: 1}},
		{"a value's type differs", []graph.Relationship{rel(4, func(r *graph.Relationship) { r.Properties["seats"] = graph.StringValue("2") })}, graph.WriteStats{Updated: 1}},
		{"a property is added", []graph.Relationship{rel(5, func(r *graph.Relationship) { r.Properties["note"] = graph.StringValue("new") })}, graph.WriteStats{Updated: 1}},
		{"a source is added", []graph.Relationship{rel(6, func(r *graph.Relationship) { r.Sources = []string{src2.ID} })}, graph.WriteStats{Updated: 1}},
		{"the evidence is stronger", []graph.Relationship{rel(7, func(r *graph.Relationship) { r.Evidence = graph.Evidences()[4] })}, graph.WriteStats{Updated: 1}},
		{"every update again", []graph.Relationship{
			rel(3, func(r *graph.Relationship) { r.Properties["seats"] = graph.IntValue(3) }),
			rel(5, func(r *graph.Relationship) { r.Properties["note"] = graph.StringValue("new") }),
			rel(7, func(r *graph.Relationship) { r.Evidence = graph.Evidences()[4] }),
		}, graph.WriteStats{Unchanged: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := db.UpsertRelationships(ctx, tc.batch, false)
			if err != nil {
				t.Fatal(err)
			}
			if st != tc.want {
				t.Errorf("stats %+v, want %+v", st, tc.want)
			}
		})
	}
}

// TestFirstLoadPathWritesWhatTheGeneralPathWrites: after a batch that
// created most of its records, the store writes the next one on its
// first-load path (entity-create, relationship-create: new records
// created whole in one statement, stored ones locked and planned again);
// after a batch that changed nothing, on its general path (an unlocked
// plan, then locks and placeholders). The same mixed batches (new,
// stored and changed, stored and unchanged, merged duplicates, refused
// records, a stored entity all of whose records are refused) give the
// same outcome record for record on both, and the same graph.
func TestFirstLoadPathWritesWhatTheGeneralPathWrites(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type run struct {
		name  string
		again bool // write the first batches again before each mixed one: that changes nothing
	}
	snapshots := map[string][]string{}
	for _, r := range []run{{"first-load path", false}, {"general path", true}} {
		t.Run(r.name, func(t *testing.T) {
			db := neo4jtest.Open(t) // a handle of its own: its own hints
			p := neo4jtest.Prefix(t)
			neo4jtest.Cleanup(t, db, p)
			src := graph.Entity{ID: p + "source:a", Kinds: []graph.Kind{graph.KindSource}, Name: "A",
				Properties: map[string]graph.Value{"publisher": graph.StringValue("AFP"), "published": graph.DateValue(graph.Date{Year: 2026, Month: 1, Day: 1}), "source_type": graph.StringValue("news")}}
			ent := func(id string, k graph.Kind, name string, props map[string]graph.Value) graph.Entity {
				return graph.Entity{ID: p + id, Kinds: []graph.Kind{k}, Name: name, Sources: []string{src.ID}, Properties: props}
			}
			rel := func(typ graph.RelType, from, to string, props map[string]graph.Value) graph.Relationship {
				return graph.Relationship{ID: graph.RelationshipID(p+from, typ, p+to, ""), Type: typ, From: p + from, To: p + to,
					Evidence: graph.EvidenceMediaReport, Sources: []string{src.ID}, Properties: props}
			}
			first := []graph.Entity{src, ent("company:1", graph.KindCompany, "C1", nil), ent("company:2", graph.KindCompany, "C2", nil),
				ent("company:3", graph.KindCompany, "C3", nil),
				ent("victim:v", graph.KindVictim, "Real Name", map[string]graph.Value{"pseudonym": graph.StringValue("Pseudo"), "age": graph.IntValue(30)})}
			firstRels := []graph.Relationship{rel(graph.RelOwns, "company:1", "company:2", nil), rel(graph.RelOwns, "company:1", "company:3", nil)}
			writeFirst := func(want func(n int) graph.WriteStats) {
				t.Helper()
				if st, err := db.UpsertEntities(ctx, first, false); err != nil || st != want(len(first)) {
					t.Fatalf("entities %+v, %v; want %+v", st, err, want(len(first)))
				}
				if st, err := db.UpsertRelationships(ctx, firstRels, false); err != nil || st != want(len(firstRels)) {
					t.Fatalf("relationships %+v, %v; want %+v", st, err, want(len(firstRels)))
				}
			}
			writeFirst(func(n int) graph.WriteStats { return graph.WriteStats{Created: n} })
			// On the general path, each mixed batch follows a batch that
			// changed nothing (which sets the store's hint to it).
			settle := func() {
				if r.again {
					writeFirst(func(n int) graph.WriteStats { return graph.WriteStats{Unchanged: n} })
				}
			}
			settle()
			importer := graph.WriteOptions{Role: graph.RoleImporter}
			asSource := src
			asSource.ID = p + "company:3"
			res, err := db.WriteEntities(ctx, []graph.Entity{
				ent("company:1", graph.KindCompany, "C1", map[string]graph.Value{"jurisdiction": graph.StringValue("KH")}),
				ent("company:2", graph.KindCompany, "C2", nil),
				ent("person:n", graph.KindPerson, "N", nil),
				ent("person:n", graph.KindPerson, "N", map[string]graph.Value{"nationality": graph.StringValue("KH")}),
				ent("victim:v", graph.KindVictim, "Pseudo", map[string]graph.Value{"age": graph.IntValue(31)}),
				ent("victim:v", graph.KindVictim, "Pseudo", map[string]graph.Value{"nationality": graph.StringValue("ID")}),
			}, importer)
			if err != nil {
				t.Fatal(err)
			}
			checkResults(t, res, []wantResult{{graph.OutcomeUpdated, ""}, {graph.OutcomeUnchanged, ""}, {graph.OutcomeCreated, ""},
				{graph.OutcomeCreated, ""}, {graph.OutcomeRefused, "properties.age: "}, {graph.OutcomeUpdated, ""}})
			asSourceToo := asSource
			asSourceToo.ID = p + "person:m"
			settle()
			res, err = db.WriteEntities(ctx, []graph.Entity{ent("person:m", graph.KindPerson, "M", nil), asSourceToo,
				ent("company:4", graph.KindCompany, "C4", nil)}, importer)
			if err != nil {
				t.Fatal(err)
			}
			checkResults(t, res, []wantResult{{graph.OutcomeCreated, ""}, {graph.OutcomeRefused, "kinds: "}, {graph.OutcomeCreated, ""}})
			// Every record of company:3, a stored entity, is refused:
			// nothing of it is written on either path.
			settle()
			res, err = db.WriteEntities(ctx, []graph.Entity{asSource, ent("company:5", graph.KindCompany, "C5", nil)}, importer)
			if err != nil {
				t.Fatal(err)
			}
			checkResults(t, res, []wantResult{{graph.OutcomeRefused, "kinds: "}, {graph.OutcomeCreated, ""}})
			settle()
			res, err = db.WriteRelationships(ctx, []graph.Relationship{
				rel(graph.RelOwns, "company:1", "company:2", nil),
				rel(graph.RelOwns, "company:1", "company:3", map[string]graph.Value{"share_pct": graph.FloatValue(51)}),
				rel(graph.RelOwns, "company:2", "company:3", nil),
				rel(graph.RelOwns, "company:2", "company:3", map[string]graph.Value{"share_pct": graph.FloatValue(10)}),
				rel(graph.RelDirects, "person:n", "company:4", nil),
				rel(graph.RelOwns, "person:n", "company:ghost", nil),
				rel(graph.RelPartOf, "company:1", "person:n", nil),
			}, importer)
			if err != nil {
				t.Fatal(err)
			}
			checkResults(t, res, []wantResult{{graph.OutcomeUnchanged, ""}, {graph.OutcomeUpdated, ""}, {graph.OutcomeCreated, ""},
				{graph.OutcomeCreated, ""}, {graph.OutcomeCreated, ""}, {graph.OutcomeRefused, "to: references"}, {graph.OutcomeRefused, "from: PART_OF"}})
			snapshots[r.name] = neo4jtest.Snapshot(t, db, p)
		})
	}
	a, b := snapshots["first-load path"], snapshots["general path"]
	if len(snapshots) < 2 {
		return // a run was skipped or failed, and said so
	}
	if len(a) == 0 || !slices.Equal(a, b) {
		t.Errorf("the two paths built different graphs:\nfirst-load %s\ngeneral    %s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
}
