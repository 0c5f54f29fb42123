package importer_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// jsonLine renders one record as an NDJSON line.
func jsonLine(t testing.TB, rec map[string]any) string {
	t.Helper()
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func entityLine(t testing.TB, id string, kinds []string, name string, aliases, sources []string, props map[string]any) string {
	return jsonLine(t, map[string]any{"record": "entity", "id": id, "kinds": kinds, "name": name,
		"aliases": aliases, "sources": sources, "properties": props})
}

func relationshipLine(t testing.TB, typ, from, to, evidence string, sources []string, props map[string]any) string {
	return jsonLine(t, map[string]any{"record": "relationship", "type": typ, "from": from, "to": to,
		"evidence": evidence, "sources": sources, "properties": props})
}

func sourceLine(t testing.TB, id string) string {
	return entityLine(t, id, []string{"source"}, "Report "+id, nil, nil,
		map[string]any{"publisher": "AFP", "published": "2026-01-19", "source_type": "news"})
}

func lines(l ...string) string { return strings.Join(l, "\n") + "\n" }

func exportOne(t *testing.T, db *neo4jdb.DB, id string) (graph.Entity, []graph.Relationship) {
	t.Helper()
	var ent graph.Entity
	var rels []graph.Relationship
	err := db.Export(ctxT(t), id, func(e graph.Entity, r []graph.Relationship) error {
		if e.ID == id {
			ent, rels = e, r
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ent, rels
}

// TestImportConcurrentMergesKeepTheUnion runs rounds of concurrent imports
// that each add their own source, alias, property, relationship source and
// relationship property to the same two entities and the relationship
// between them: every round must end in the union the merge rules promise,
// and the reports must add up (one creation, the rest updates).
func TestImportConcurrentMergesKeepTheUnion(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	const rounds, writers = 50, 3
	evidences := []string{"allegation", "media_report", "charge"}
	for round := range rounds {
		p := fmt.Sprintf("%sr%d:", prefix, round)
		e, f := p+"person:e", p+"company:f"
		files := make([]string, writers)
		for w := range writers {
			src := fmt.Sprintf("%ssource:%d", p, w)
			files[w] = write(t, t.TempDir(), "w.ndjson", lines(
				sourceLine(t, src),
				entityLine(t, e, []string{"person"}, "E", []string{fmt.Sprintf("alias-%d", w)}, []string{src},
					map[string]any{fmt.Sprintf("p%d", w): w}),
				entityLine(t, f, []string{"company"}, "F", nil, []string{src}, nil),
				relationshipLine(t, "ASSOCIATE_OF", e, f, evidences[w], []string{src}, map[string]any{fmt.Sprintf("q%d", w): w}),
			))
		}
		reps := make([]importer.Report, writers)
		errs := make([]error, writers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				reps[w], errs[w] = importer.New(db, importer.Options{}).ImportPaths(ctxT(t), []string{files[w]})
			}()
		}
		close(start)
		wg.Wait()
		for w, err := range errs {
			if err != nil {
				t.Fatalf("round %d writer %d: %v", round, w, err)
			}
		}
		var ents, rels graph.WriteStats
		for _, r := range reps {
			ents.Add(r.Entities)
			rels.Add(r.Relationships)
		}
		// Sources: 3 created. E and F: created once each, then E is
		// updated by each later writer (its own alias) and F by its source.
		if want := (graph.WriteStats{Created: writers + 2, Updated: 2 * (writers - 1)}); ents != want {
			t.Errorf("round %d: entity reports add up to %+v, want %+v", round, ents, want)
		}
		if want := (graph.WriteStats{Created: 1, Updated: writers - 1}); rels != want {
			t.Errorf("round %d: relationship reports add up to %+v, want %+v", round, rels, want)
		}
		got, out := exportOne(t, db, e)
		var wantAliases, wantSources, wantProps, wantRelProps []string
		for w := range writers {
			wantAliases = append(wantAliases, fmt.Sprintf("alias-%d", w))
			wantSources = append(wantSources, fmt.Sprintf("%ssource:%d", p, w))
			wantProps = append(wantProps, fmt.Sprintf("p%d", w))
			wantRelProps = append(wantRelProps, fmt.Sprintf("q%d", w))
		}
		if !reflect.DeepEqual(got.Aliases, wantAliases) || !reflect.DeepEqual(got.Sources, wantSources) ||
			!reflect.DeepEqual(slices.Sorted(maps.Keys(got.Properties)), wantProps) {
			t.Errorf("round %d: entity %+v, want aliases %v, sources %v, properties %v", round, got, wantAliases, wantSources, wantProps)
		}
		var assoc []graph.Relationship
		for _, r := range out {
			if r.Type == graph.RelAssociateOf {
				assoc = append(assoc, r)
			}
		}
		if len(assoc) != 1 {
			t.Fatalf("round %d: %d ASSOCIATE_OF relationships, want 1", round, len(assoc))
		}
		r := assoc[0]
		if !reflect.DeepEqual(r.Sources, wantSources) || r.Evidence != graph.EvidenceCharge ||
			!reflect.DeepEqual(slices.Sorted(maps.Keys(r.Properties)), wantRelProps) {
			t.Errorf("round %d: relationship %+v, want sources %v, evidence charge, properties %v", round, r, wantSources, wantRelProps)
		}
		if t.Failed() {
			return
		}
	}
}

// guesses returns a right and a wrong guess of a stored value of type vt.
func guesses(vt graph.ValueType, stored any) (right, wrong any) {
	switch vt {
	case graph.TypeInt:
		return stored, stored.(int) + 1
	case graph.TypeBool:
		return stored, !stored.(bool)
	case graph.TypeDate:
		return stored, "1999-01-01"
	case graph.TypeStrings:
		return stored, []string{"wrong guess"}
	}
	return stored, "wrong guess"
}

// personalValue is a value of type vt for a stored victim's field.
func personalValue(vt graph.ValueType) any {
	switch vt {
	case graph.TypeInt:
		return 31
	case graph.TypeBool:
		return true
	case graph.TypeDate:
		return "1995-03-04"
	case graph.TypeStrings:
		return []string{"stored secret"}
	}
	return "Kampung Rahasia"
}

// comparable strips what differs between two imports of different files
// whatever the graph holds (names, checksums, durations).
func comparableReport(rep importer.Report, err error) string {
	var reasons []string
	for _, p := range rep.Problems {
		reasons = append(reasons, fmt.Sprintf("%d: %s", p.Line, p.Reason))
	}
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	return fmt.Sprintf("entities %+v relationships %+v rejected %d written %v problems %q err %q",
		rep.Entities, rep.Relationships, rep.Rejected, rep.Written, reasons, msg)
}

// TestImportDoesNotRevealHiddenVictimFields: an importer (who may not see a
// victim's personal fields) must get the very same answer, dry run or not,
// whether it guesses a stored hidden field right or wrong, for every field
// marked personal, the real name, the aliases, the description, a free
// property and a free property of a relationship touching the victim; and
// it must change nothing. The admin may write them.
func TestImportDoesNotRevealHiddenVictimFields(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	src, victim, compound := prefix+"source:a", prefix+"victim:v1", prefix+"compound:c"
	stored := map[string]any{"pseudonym": "Pseudo One", "nationality": "ID", "description": "stored story", "note": "stored note"}
	var personal []string
	for k, spec := range graph.PropertySpecs {
		if spec.Personal {
			personal = append(personal, k)
			stored[k] = personalValue(spec.Type)
		}
	}
	sort.Strings(personal)
	if len(personal) == 0 {
		t.Fatal("no property is marked personal")
	}
	setup := write(t, t.TempDir(), "setup.ndjson", lines(
		sourceLine(t, src),
		entityLine(t, victim, []string{"victim"}, "Real Name", []string{"Nick"}, []string{src}, stored),
		entityLine(t, compound, []string{"compound"}, "Compound C", nil, []string{src}, nil),
		relationshipLine(t, "HELD_AT", victim, compound, "allegation", []string{src}, map[string]any{"injuries": "stored injuries"}),
	))
	if _, err := importDir(t, db, importer.Options{}, setup); err != nil {
		t.Fatal(err)
	}
	snap := neo4jtest.Snapshot(t, db, prefix)

	type guess struct {
		name         string
		right, wrong string // the lines
	}
	victimWith := func(name string, aliases []string, props map[string]any) string {
		return entityLine(t, victim, []string{"victim"}, name, aliases, []string{src}, props)
	}
	var cases []guess
	for _, k := range append(personal, "description", "note") {
		vt := graph.TypeString
		if spec, ok := graph.PropertySpecs[k]; ok {
			vt = spec.Type
		}
		r, w := guesses(vt, stored[k])
		cases = append(cases, guess{"property " + k,
			victimWith("Pseudo One", nil, map[string]any{k: r}),
			victimWith("Pseudo One", nil, map[string]any{k: w})})
	}
	cases = append(cases,
		guess{"real name", victimWith("Real Name", nil, nil), victimWith("Wrong Name", nil, nil)},
		guess{"alias", victimWith("Pseudo One", []string{"Nick"}, nil), victimWith("Pseudo One", []string{"Wrong"}, nil)},
		guess{"relationship property",
			relationshipLine(t, "HELD_AT", victim, compound, "allegation", []string{src}, map[string]any{"injuries": "stored injuries"}),
			relationshipLine(t, "HELD_AT", victim, compound, "allegation", []string{src}, map[string]any{"injuries": "wrong"})},
	)
	for _, tc := range cases {
		for _, dry := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s dry %v", tc.name, dry), func(t *testing.T) {
				opts := importer.Options{Role: graph.RoleImporter, DryRun: dry}
				right := comparableReport(importDir(t, db, opts, write(t, t.TempDir(), "g.ndjson", lines(tc.right))))
				wrong := comparableReport(importDir(t, db, opts, write(t, t.TempDir(), "g.ndjson", lines(tc.wrong))))
				if right != wrong {
					t.Errorf("a right guess answers\n  %s\na wrong one\n  %s", right, wrong)
				}
				if !strings.Contains(right, "rejected 1") {
					t.Errorf("the record was not refused: %s", right)
				}
				if got := neo4jtest.Snapshot(t, db, prefix); !reflect.DeepEqual(got, snap) {
					t.Error("the graph changed")
				}
			})
		}
	}
	t.Run("importer may add a source under the pseudonym", func(t *testing.T) {
		src2 := prefix + "source:b"
		rep, err := importDir(t, db, importer.Options{Role: graph.RoleImporter}, write(t, t.TempDir(), "ok.ndjson", lines(
			sourceLine(t, src2),
			entityLine(t, victim, []string{"victim"}, "Pseudo One", nil, []string{src2}, map[string]any{"nationality": "ID"}),
		)))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Entities != (graph.WriteStats{Created: 1, Updated: 1}) {
			t.Errorf("entities %+v, want the source created and the victim updated", rep.Entities)
		}
		got, _ := exportOne(t, db, victim)
		if got.Name != "Real Name" || !reflect.DeepEqual(got.Aliases, []string{"Nick"}) || len(got.Sources) != 2 {
			t.Errorf("victim %+v: want the real name kept, no new alias, two sources", got)
		}
	})
	t.Run("importer may not make an individual a cohort", func(t *testing.T) {
		// A cohort's name is shown to every role: the real name would be.
		before := neo4jtest.Snapshot(t, db, prefix)
		for _, dry := range []bool{true, false} {
			rep, err := importDir(t, db, importer.Options{Role: graph.RoleImporter, DryRun: dry}, write(t, t.TempDir(), "c.ndjson", lines(
				victimWith("Pseudo One", nil, map[string]any{"cohort": true}))))
			if !errors.Is(err, importer.ErrRejected) || len(rep.Problems) != 1 || !strings.HasPrefix(rep.Problems[0].Reason, "properties.cohort: ") {
				t.Errorf("dry %v: err %v, problems %v", dry, err, rep.Problems)
			}
		}
		if got := neo4jtest.Snapshot(t, db, prefix); !reflect.DeepEqual(got, before) {
			t.Error("the graph changed")
		}
	})
	t.Run("importer may make a stored person a victim under its name", func(t *testing.T) {
		pid := prefix + "person:w"
		if _, err := importDir(t, db, importer.Options{}, write(t, t.TempDir(), "p.ndjson", lines(
			entityLine(t, pid, []string{"person"}, "Witness W", nil, []string{src}, nil)))); err != nil {
			t.Fatal(err)
		}
		rep, err := importDir(t, db, importer.Options{Role: graph.RoleImporter}, write(t, t.TempDir(), "w.ndjson", lines(
			entityLine(t, pid, []string{"victim"}, "Witness W", nil, []string{src}, map[string]any{"nationality": "KH"}))))
		if err != nil || rep.Entities.Updated != 1 {
			t.Fatalf("err %v, report %+v", err, rep)
		}
	})
	t.Run("admin may write personal fields", func(t *testing.T) {
		rep, err := importDir(t, db, importer.Options{Role: graph.RoleAdmin, DryRun: true},
			write(t, t.TempDir(), "a.ndjson", lines(cases[0].wrong)))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Entities.Updated != 1 {
			t.Errorf("entities %+v, want 1 updated", rep.Entities)
		}
	})
	t.Run("importer may write personal fields of its own new victim", func(t *testing.T) {
		rep, err := importDir(t, db, importer.Options{Role: graph.RoleImporter, BatchSize: 1}, write(t, t.TempDir(), "n.ndjson", lines(
			entityLine(t, prefix+"victim:new", []string{"victim"}, "Another Name", []string{"N"}, []string{src}, map[string]any{personal[0]: stored[personal[0]]}),
			entityLine(t, prefix+"victim:new", []string{"victim"}, "Another Name", []string{"M"}, []string{src}, map[string]any{"description": "more"}),
		)))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Entities.Created != 1 || rep.Rejected != 0 {
			t.Errorf("report %+v", rep)
		}
	})
}

// TestImportChecksKindsAgainstTheGraph: the kind rules hold against the
// stored entities and across the records of one import, and every
// relationship joins the endpoint kinds its type lists; each refusal is a
// per-line problem and nothing is written.
func TestImportChecksKindsAgainstTheGraph(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	src := prefix + "source:a"
	id := func(s string) string { return prefix + s }
	person := func(i string) string {
		return entityLine(t, id(i), []string{"person"}, "P "+i, nil, []string{src}, nil)
	}
	org := func(i string) string {
		return entityLine(t, id(i), []string{"organization"}, "O "+i, nil, []string{src}, map[string]any{"org_type": "ngo"})
	}
	setup := write(t, t.TempDir(), "setup.ndjson", lines(
		sourceLine(t, src), person("person:p"), org("org:a"), org("org:b"),
		entityLine(t, id("company:c"), []string{"company"}, "C", nil, []string{src}, nil),
		entityLine(t, id("person:t"), []string{"tycoon"}, "T", nil, []string{src}, nil),
	))
	if _, err := importDir(t, db, importer.Options{}, setup); err != nil {
		t.Fatal(err)
	}
	snap := neo4jtest.Snapshot(t, db, prefix)
	rel := func(typ, from, to string) string {
		return relationshipLine(t, typ, id(from), id(to), "media_report", []string{src}, nil)
	}
	tests := []struct {
		name    string
		lines   []string
		line    int    // the refused line; 0 when all are accepted
		problem string // in its reason
	}{
		{"a stored person cannot become a source", []string{sourceLine(t, id("person:p"))}, 1, "kinds: "},
		{"a stored source cannot become a person", []string{person("source:a")}, 1, "kinds: "},
		{"one import cannot make a source a person", []string{sourceLine(t, id("x:new")), person("x:new")}, 2, "a source cannot also be another kind"},
		{"PART_OF from a company", []string{rel("PART_OF", "company:c", "org:a")}, 1, "from: PART_OF must start at a organization"},
		{"PART_OF to a person", []string{rel("PART_OF", "org:a", "person:p")}, 1, "to: PART_OF must end at a organization"},
		{"HELD_AT from a person", []string{rel("HELD_AT", "person:p", "company:c")}, 1, "from: HELD_AT"},
		{"kinds given in the same import count", []string{rel("DIRECTS", "x:later", "company:c"), person("x:later")}, 0, ""},
		{"PART_OF between organisations", []string{rel("PART_OF", "org:a", "org:b")}, 0, ""},
		{"a tycoon is a person", []string{rel("OWNS", "person:t", "company:c")}, 0, ""},
		{"SUBJECT_OF needs an event", []string{rel("SUBJECT_OF", "person:p", "org:a")}, 1, "to: SUBJECT_OF must end at a event"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := importDir(t, db, importer.Options{DryRun: true}, write(t, t.TempDir(), "k.ndjson", lines(tc.lines...)))
			if tc.line == 0 {
				if err != nil || rep.Rejected != 0 {
					t.Fatalf("err %v, problems %v", err, rep.Problems)
				}
				return
			}
			if !errors.Is(err, importer.ErrRejected) || len(rep.Problems) != 1 {
				t.Fatalf("err %v, problems %v: want one refused line", err, rep.Problems)
			}
			if p := rep.Problems[0]; p.Line != tc.line || !strings.Contains(p.Reason, tc.problem) {
				t.Errorf("problem %v, want line %d with %q", p, tc.line, tc.problem)
			}
			if got := neo4jtest.Snapshot(t, db, prefix); !reflect.DeepEqual(got, snap) {
				t.Error("the graph changed")
			}
		})
	}
}

// TestImportCountsDistinctRecords: an id repeated in one file (across
// batches) or across files is counted once, dry run or not, and each
// repetition is reported as a warning with its line.
func TestImportCountsDistinctRecords(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	src, e, f := prefix+"source:a", prefix+"person:e", prefix+"company:f"
	const repeats = 450
	var body []string
	body = append(body, sourceLine(t, src))
	for i := range repeats {
		body = append(body, entityLine(t, e, []string{"person"}, "E", []string{fmt.Sprintf("a%d", i%3)}, []string{src}, nil))
	}
	body = append(body, entityLine(t, f, []string{"company"}, "F", nil, []string{src}, nil))
	for range repeats {
		body = append(body, relationshipLine(t, "ASSOCIATE_OF", e, f, "allegation", []string{src}, nil))
	}
	dir := t.TempDir()
	one := write(t, dir, "1.ndjson", lines(body...))
	two := write(t, t.TempDir(), "2.ndjson", lines(body[:2]...))
	for _, dry := range []bool{true, false} {
		t.Run(fmt.Sprintf("dry %v", dry), func(t *testing.T) {
			rep, err := importDir(t, db, importer.Options{DryRun: dry, BatchSize: 5}, one, two)
			if err != nil {
				t.Fatal(err)
			}
			if want := (graph.WriteStats{Created: 3}); rep.Entities != want {
				t.Errorf("entities %+v, want %+v", rep.Entities, want)
			}
			if want := (graph.WriteStats{Created: 1}); rep.Relationships != want {
				t.Errorf("relationships %+v, want %+v", rep.Relationships, want)
			}
			if want := (graph.WriteStats{Created: 3}); rep.Files[0].Entities != want {
				t.Errorf("first file's entities %+v, want %+v", rep.Files[0].Entities, want)
			}
			// The second file repeats the source and E: each is one distinct
			// entity of that file (unchanged, or created in a dry run).
			if n := rep.Files[1].Entities; n.Created+n.Updated+n.Unchanged != 2 {
				t.Errorf("second file's entities %+v, want 2 distinct", n)
			}
			if want := 2*(repeats-1) + 2; rep.Duplicates != want || len(rep.Warnings) != min(want, 1000) {
				t.Errorf("duplicates %d (%d warnings), want %d", rep.Duplicates, len(rep.Warnings), want)
			}
			if w := rep.Warnings[0]; w.Line != 3 || !strings.Contains(w.Reason, "first at "+one+":2") {
				t.Errorf("first warning %v, want line 3 pointing at line 2", w)
			}
		})
	}
}
