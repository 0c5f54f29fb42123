package importer_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestImportICIJ imports an ICIJ directory in the current node_id layout
// and one in the older _id/_start/_end/_type layout: typed relationships,
// one source per sourceID, candidate matches kept as POSSIBLY_SAME_AS, and
// a second import changes nothing.
func TestImportICIJ(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	opts := importer.Options{Format: importer.FormatICIJ, IDNamespace: prefix}
	dirs := []string{"testdata/icij/current", "testdata/icij/older"}
	first, err := importDir(t, db, opts, dirs...)
	if err != nil {
		t.Fatalf("import: %v %+v", err, first.Problems)
	}
	g := load(t, db, prefix)
	kinds := map[string]graph.Kind{
		"icij:10000001": graph.KindCompany,  // entity
		"icij:12000001": graph.KindPerson,   // officer with a person's name
		"icij:12000002": graph.KindCompany,  // officer named ... NOMINEES LIMITED
		"icij:12000004": graph.KindCompany,  // THE BEARER
		"icij:11000001": graph.KindCompany,  // intermediary ... SERVICES LTD.
		"icij:14000001": graph.KindLocation, // address
		"icij:85000001": graph.KindCompany,  // other
		"icij:20000001": graph.KindCompany,  // older layout
		"icij:22000001": graph.KindPerson,
		"icij:24000001": graph.KindLocation,
	}
	for id, k := range kinds {
		t.Run("kind of "+id, func(t *testing.T) {
			if e, ok := g.ents[id]; !ok || !slices.Equal(e.Kinds, []graph.Kind{k}) {
				t.Errorf("got %+v, want kind %s", e, k)
			}
		})
	}
	t.Run("one source per sourceID", func(t *testing.T) {
		var got []string
		for id, e := range g.ents {
			if e.HasKind(graph.KindSource) {
				got = append(got, id+"@"+e.Properties["published"].S)
			}
		}
		slices.Sort(got)
		want := []string{"source:icij:bahamas-leaks@2016-09-21", "source:icij:offshore-leaks@2013-04-04",
			"source:icij:panama-papers@2016-04-03", "source:icij:pandora-papers-aleman-cordero-galindo-lee-alcogal@2021-10-03",
			"source:icij:paradise-papers-appleby@2017-11-05"}
		if !slices.Equal(got, want) {
			t.Errorf("sources %v, want %v", got, want)
		}
	})
	rels := []struct {
		id       string
		evidence graph.Evidence
	}{
		{"icij:12000001-[OWNS]->icij:10000001#shareholder-of@2006-03-23", graph.EvidenceRecord},
		{"icij:12000001-[DIRECTS]->icij:10000001#director-of@2006-03-23", graph.EvidenceRecord},
		{"icij:12000002-[CONTROLS]->icij:10000001#director-of@2006-04-01", graph.EvidenceRecord},
		{"icij:11000001-[LINKED_TO]->icij:10000001#intermediary-of", graph.EvidenceRecord},
		{"icij:10000001-[LOCATED_IN]->icij:14000001#registered-address", graph.EvidenceRecord},
		{"icij:12000001-[LOCATED_IN]->icij:14000002#registered-address", graph.EvidenceRecord},
		{"icij:12000003-[LINKED_TO]->icij:10000002#secretary-of@2010-02-02", graph.EvidenceRecord},
		{"icij:12000001-[POSSIBLY_SAME_AS]->icij:12000003#same-name-as", graph.EvidenceMediaReport},
		{"icij:22000001-[DIRECTS]->icij:20000001#president-of@1999-05-05", graph.EvidenceRecord},
		{"icij:20000001-[LOCATED_IN]->icij:24000001#registered-address", graph.EvidenceRecord},
		{"icij:22000001-[POSSIBLY_SAME_AS]->icij:22000002#similar", graph.EvidenceMediaReport},
	}
	for _, want := range rels {
		t.Run(want.id, func(t *testing.T) {
			r, ok := g.rels[want.id]
			if !ok {
				t.Fatal("not imported")
			}
			if r.Evidence != want.evidence || len(r.Sources) != 1 || !strings.HasPrefix(r.Sources[0], prefix+"source:icij:") {
				t.Errorf("got %+v", r)
			}
		})
	}
	t.Run("the officer's and the entity's two records are not merged", func(t *testing.T) {
		if g.ents["icij:12000001"].Name == "" || g.ents["icij:12000003"].Name == "" {
			t.Error("both officers should stay")
		}
	})
	snap := neo4jtest.Snapshot(t, db, prefix)
	t.Run("second import changes nothing", func(t *testing.T) {
		rep, err := importDir(t, db, opts, dirs...)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Changes() != 0 {
			t.Errorf("changes %d: %+v %+v", rep.Changes(), rep.Entities, rep.Relationships)
		}
		if got := neo4jtest.Snapshot(t, db, prefix); !reflect.DeepEqual(got, snap) {
			t.Error("the graph changed")
		}
	})
}

func TestImportICIJRefusesBadFiles(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	rep, err := importDir(t, db, importer.Options{Format: importer.FormatICIJ, IDNamespace: prefix}, "testdata/icij-bad")
	if !errors.Is(err, importer.ErrRejected) || rep.Written {
		t.Fatalf("err %v written %v", err, rep.Written)
	}
	want := []string{
		"testdata/icij-bad/nodes-officers.csv:3: node_id: is required",
		"testdata/icij-bad/nodes-officers.csv:4: CSV: unterminated or misplaced quote",
		`testdata/icij-bad/relationships.csv:2: references "` + prefix + `icij:39999999", which is neither in the input nor in the graph`,
		"testdata/icij-bad/relationships.csv:3: node_id_end: a relationship needs both ends",
	}
	var got []string
	for _, p := range rep.Problems {
		got = append(got, p.String())
	}
	slices.Sort(got)
	if len(got) != len(want) {
		t.Fatalf("problems %q", got)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %q, want %q", got[i], want[i])
		}
	}
	if snap := neo4jtest.Snapshot(t, db, prefix); len(snap) != 0 {
		t.Errorf("a refused directory wrote %d lines", len(snap))
	}
}
