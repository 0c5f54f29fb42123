package importer_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// countingStore is the real store, with the ids asked of StoredEntities
// counted.
type countingStore struct {
	graph.ImportStore
	mu     sync.Mutex
	lookup map[string]int
}

func (s *countingStore) StoredEntities(ctx context.Context, ids []string) (map[string]graph.Entity, error) {
	s.mu.Lock()
	for _, id := range ids {
		s.lookup[id]++
	}
	s.mu.Unlock()
	return s.ImportStore.StoredEntities(ctx, ids)
}

// TestImportCheckReadsEachReferenceOnce: the check pass reads an entity
// that records only point at (a stored hub at the end of many
// relationships, a source they all cite) once per import, not once per
// batch, and still decides each record against it: a missing end is
// refused in every batch it appears in, a stored end's kinds refuse a
// relationship batches after the end was first read, and a record's own
// stored entity is read in its batch.
func TestImportCheckReadsEachReferenceOnce(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	id := func(s string) string { return prefix + s }
	src := id("source:a")
	setup := write(t, t.TempDir(), "setup.ndjson", lines(
		sourceLine(t, src),
		entityLine(t, id("company:hub"), []string{"company"}, "Hub Co", nil, []string{src}, nil),
		entityLine(t, id("person:stored"), []string{"person"}, "Stored P", nil, []string{src}, nil),
	))
	if _, err := importDir(t, db, importer.Options{}, setup); err != nil {
		t.Fatal(err)
	}
	rel := func(typ, from, to string) string {
		return relationshipLine(t, typ, id(from), id(to), "media_report", []string{src}, nil)
	}
	var in []string
	for i := range 6 {
		in = append(in, entityLine(t, id(fmt.Sprintf("person:%d", i)), []string{"person"}, fmt.Sprintf("P %d", i), nil, []string{src}, nil))
	}
	for i := range 6 {
		in = append(in, rel("DIRECTS", fmt.Sprintf("person:%d", i), "company:hub"))
	}
	in = append(in,
		rel("DIRECTS", "person:stored", "company:hub"),                                                            // line 13: fine
		rel("DIRECTS", "person:0", "company:gone"),                                                                // line 14: a missing end
		rel("OWNS", "person:1", "company:hub"),                                                                    // line 15: fine
		rel("DIRECTS", "person:2", "company:gone"),                                                                // line 16: the same missing end, a batch later
		rel("HELD_AT", "person:stored", "company:hub"),                                                            // line 17: HELD_AT starts at a victim; the stored end is a person
		entityLine(t, id("person:stored"), []string{"person"}, "Stored P", []string{"S. P."}, []string{src}, nil), // line 18: its own entity
	)
	snap := neo4jtest.Snapshot(t, db, prefix)
	store := &countingStore{ImportStore: db, lookup: map[string]int{}}
	rep, err := importer.New(store, importer.Options{BatchSize: 2}).ImportPaths(ctxT(t), []string{write(t, t.TempDir(), "in.ndjson", lines(in...))})
	if !errors.Is(err, importer.ErrRejected) {
		t.Fatalf("err %v, want the import refused", err)
	}
	got := map[int]string{}
	for _, p := range rep.Problems {
		got[p.Line] = p.Reason
	}
	want := map[int]string{14: `references "` + id("company:gone"), 16: `references "` + id("company:gone"), 17: "from: HELD_AT"}
	if len(got) != len(want) {
		t.Errorf("problems %v, want lines 14, 16 and 17", rep.Problems)
	}
	for line, reason := range want {
		if !strings.Contains(got[line], reason) {
			t.Errorf("line %d: %q, want %q", line, got[line], reason)
		}
	}
	for _, tc := range []struct {
		id   string
		want int
	}{
		{src, 1},                 // cited by every record
		{id("company:hub"), 1},   // the end of 9 relationships in 5 batches
		{id("company:gone"), 1},  // missing: read once, refused twice
		{id("person:0"), 1},      // its own record's batch
		{id("person:stored"), 2}, // pointed at first, then its own record, read whole
	} {
		if n := store.lookup[tc.id]; n != tc.want {
			t.Errorf("%s read %d times, want %d", tc.id, n, tc.want)
		}
	}
	if after := neo4jtest.Snapshot(t, db, prefix); !reflect.DeepEqual(after, snap) {
		t.Error("the graph changed")
	}
}

// TestImportCheckInlineOrAgain: the validate pass decides the records
// against the graph as it reads them, when what it reads later cannot
// change a decision; a later record that gives a decided id a new kind,
// or more forward and missing references than a batch, sends every
// record through the check pass again. Either way the decisions are those
// of the whole input: the lines refused are the same.
func TestImportCheckInlineOrAgain(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	id := func(s string) string { return prefix + s }
	src := id("source:a")
	org := func(i string, kinds ...string) string {
		return entityLine(t, id(i), append([]string{"organization"}, kinds...), "O "+i, nil, []string{src}, map[string]any{"org_type": "ngo"})
	}
	company := func(i string) string {
		return entityLine(t, id(i), []string{"company"}, "C "+i, nil, []string{src}, nil)
	}
	rel := func(typ, from, to string) string {
		return relationshipLine(t, typ, id(from), id(to), "media_report", []string{src}, nil)
	}
	setup := write(t, t.TempDir(), "setup.ndjson", lines(sourceLine(t, src), org("org:stored"), company("company:stored")))
	if _, err := importDir(t, db, importer.Options{}, setup); err != nil {
		t.Fatal(err)
	}
	snap := neo4jtest.Snapshot(t, db, prefix)
	tests := []struct {
		name   string
		lines  []string
		bad    []int  // the refused lines
		probe  string // the id of an entity record no other record points at
		passes int    // how many times the check read it: 1 decided inline, 2 checked again
	}{
		{"in order", []string{company("company:x"), org("org:y"), rel("PART_OF", "org:y", "org:stored"), rel("PART_OF", "company:x", "org:y")},
			[]int{4}, "company:x", 1},
		{"a forward reference waits for the end", []string{rel("PART_OF", "org:later", "org:stored"), rel("OWNS", "company:x", "company:stored"), company("company:x"), org("org:later"), company("company:p")},
			nil, "company:p", 1},
		{"a missing reference waits and is refused", []string{rel("OWNS", "company:gone", "company:stored"), company("company:x"), org("org:y")},
			[]int{1}, "company:x", 1},
		{"the graph's own kinds given again", []string{rel("PART_OF", "org:stored", "org:y"), org("org:y"), org("org:stored"), company("company:x")},
			nil, "company:x", 1},
		{"a later record adds a kind a decision used", []string{company("company:x"), org("org:y"), rel("PART_OF", "company:x", "org:y"), rel("OWNS", "company:x", "company:stored"), org("company:x", "company")},
			nil, "org:y", 2},
		{"a stored entity gets a kind after a decision", []string{rel("PART_OF", "company:stored", "org:stored"), company("company:x"), org("company:stored", "company")},
			nil, "company:x", 2},
		{"more forward references than a batch", []string{rel("OWNS", "company:gone1", "company:stored"), rel("OWNS", "company:gone2", "company:stored"), rel("OWNS", "company:gone3", "company:stored"), company("company:x")},
			[]int{1, 2, 3}, "company:x", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := &countingStore{ImportStore: db, lookup: map[string]int{}}
			rep, err := importer.New(store, importer.Options{BatchSize: 2, DryRun: true}).ImportPaths(ctxT(t), []string{write(t, t.TempDir(), "in.ndjson", lines(tc.lines...))})
			var got []int
			for _, p := range rep.Problems {
				got = append(got, p.Line)
			}
			if !reflect.DeepEqual(got, tc.bad) {
				t.Errorf("refused lines %v (%v), want %v", got, rep.Problems, tc.bad)
			}
			if (len(tc.bad) > 0) != errors.Is(err, importer.ErrRejected) {
				t.Errorf("err %v", err)
			}
			if n := store.lookup[id(tc.probe)]; n != tc.passes {
				t.Errorf("%s read %d times, want %d", tc.probe, n, tc.passes)
			}
			if after := neo4jtest.Snapshot(t, db, prefix); !reflect.DeepEqual(after, snap) {
				t.Error("the graph changed")
			}
		})
	}
}
