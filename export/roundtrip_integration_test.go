package export_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

func importFTM(t *testing.T, db *neo4jdb.DB, ns string, paths ...string) importer.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := importer.New(db, importer.Options{IDNamespace: ns}).ImportPaths(ctx, paths)
	if err != nil {
		t.Fatalf("import %v: %v %+v", paths, err, rep.Problems)
	}
	t.Cleanup(func() {
		var ids []string
		for _, f := range rep.Files {
			ids = append(ids, "'"+f.RunID+"'")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = db.RunScript(ctx, []string{"MATCH (r:ImportRun) WHERE r.id IN [" + strings.Join(ids, ",") + "] DELETE r"})
	})
	return rep
}

// TestFtMRoundTrip imports the FtM import's fixtures (an OpenSanctions
// style Prince Group slice and a file of every mapped schema), exports
// what they made as FtM, imports the export into an empty namespace and
// compares the two graphs: the same entities, relationships, properties
// and sources (neo4jtest.Snapshot), so the export is the inverse of the
// import.
func TestFtMRoundTrip(t *testing.T) {
	db := neo4jtest.Open(t)
	first, second := neo4jtest.Prefix(t), neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, first)
	neo4jtest.Cleanup(t, db, second)
	fixtures := []string{"../importer/testdata/ftm/prince-group.ftm.json", "../importer/testdata/ftm/every-schema.ftm.jsonl"}
	importFTM(t, db, first, fixtures...)
	want := neo4jtest.Snapshot(t, db, first)
	if len(want) < 20 {
		t.Fatalf("the fixtures made only %d facts", len(want))
	}

	dir, st := run(t, db, graph.ExportQuery{Format: graph.ExportFtM, Prefix: first, Namespace: first})
	importFTM(t, db, second, filepath.Join(dir, "entities.ftm.json"))
	got := neo4jtest.Snapshot(t, db, second)

	gotSet := map[string]bool{}
	for _, g := range got {
		gotSet[g] = true
	}
	wantSet := map[string]bool{}
	for _, w := range want {
		wantSet[w] = true
		if !gotSet[w] {
			t.Errorf("lost or changed by the round trip:\n  %s", w)
		}
	}
	for _, g := range got {
		if !wantSet[g] {
			t.Errorf("made by the round trip:\n  %s", g)
		}
	}
	if t.Failed() {
		t.Logf("export: %+v\n%s", st, read(t, filepath.Join(dir, "entities.ftm.json")))
	}
}
