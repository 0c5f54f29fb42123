package importer_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestSanctionsImportDuplicatesMergeAndUndo is the matching issue's
// end-to-end case: the report's person:chen-zhi (data/sample), then an
// OpenSanctions-style FtM file whose OFAC and UK records name him "CHEN Zhi"
// and "Zhi CHEN". Both records are proposed as his duplicates, above a
// different man with a similar name; merging them leaves one Chen Zhi that
// carries both sanctions, the Prince Holding Group links and both datasets'
// sources; the old ids resolve to him; undo restores the three exactly.
func TestSanctionsImportDuplicatesMergeAndUndo(t *testing.T) {
	db := neo4jtest.Open(t)
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)

	sample := neo4jtest.PrefixedCopy(t, neo4jtest.SampleDir(t), p)
	// A different man with a similar name, born elsewhere, from the same
	// report's source.
	other := filepath.Join(t.TempDir(), "namesake.ndjson")
	line := `{"record":"entity","id":"P:person:chen-zhihao","kinds":["person"],"name":"Chen Zhihao","sources":["P:source:afp-2026-01-indonesians-released"],"properties":{"birth_country":"TW"}}` + "\n"
	if err := os.WriteFile(other, []byte(strings.ReplaceAll(line, "P:", p)), 0o600); err != nil {
		t.Fatal(err)
	}
	if rep, err := importDir(t, db, importer.Options{}, sample, other); err != nil {
		t.Fatalf("import sample: %v %+v", err, rep.Problems)
	}
	if rep, err := importDir(t, db, importer.Options{IDNamespace: p}, "testdata/ftm/prince-group.ftm.json"); err != nil {
		t.Fatalf("import FtM: %v %+v", err, rep.Problems)
	}

	keep := p + "person:chen-zhi"
	ofac, uk, namesake := p+"ftm:ofac-chen-zhi", p+"ftm:gb-fcdo-chen-zhi", p+"person:chen-zhihao"

	t.Run("both records are proposed, above the namesake", func(t *testing.T) {
		res, err := db.Match(ctxT(t), graph.MatchQuery{ID: keep, Limit: 10, Role: graph.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		rank, match := map[string]int{}, map[string]bool{}
		for i, c := range res.Candidates {
			rank[c.Entity.ID], match[c.Entity.ID] = i+1, c.Match
			t.Logf("%d %s %q %.3f match=%v", i+1, c.Entity.ID, c.Entity.Name, c.Score, c.Match)
		}
		for _, id := range []string{ofac, uk} {
			if rank[id] == 0 {
				t.Fatalf("%s is not proposed as a duplicate of %s", id, keep)
			}
			// Above the threshold, not only first: "Zhi CHEN" (UK, nationality
			// KH) once scored 0.63 against a Chen Zhi born in CN.
			if !match[id] {
				t.Errorf("%s is proposed below the match threshold", id)
			}
			if match[namesake] {
				t.Errorf("the namesake %s counts as a match", namesake)
			}
			if r := rank[namesake]; r != 0 && r < rank[id] {
				t.Errorf("the namesake ranks %d, above %s (%d)", r, id, rank[id])
			}
		}
		if rank[ofac] > 2 || rank[uk] > 2 {
			t.Errorf("the two sanctions records rank %d and %d, want the first two", rank[ofac], rank[uk])
		}
	})

	before := neo4jtest.Snapshot(t, db, p)
	rec, err := db.Merge(ctxT(t), graph.MergeRequest{Keep: keep, Merge: []string{ofac, uk}, Reason: "OFAC and UK designations of the same man", By: "test"})
	if err != nil {
		t.Fatalf("merge: %v", err)
	}

	t.Run("one Chen Zhi carries the sanctions, the companies and the sources", func(t *testing.T) {
		d, err := db.Entity(ctxT(t), graph.EntityQuery{ID: keep})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []string{"CHEN Zhi", "Zhi CHEN"} {
			if !slices.Contains(d.Entity.Aliases, a) {
				t.Errorf("kept entity lacks alias %q: %v", a, d.Entity.Aliases)
			}
		}
		for _, s := range []string{p + "source:ftm:us_ofac_sdn", p + "source:ftm:gb_fcdo_sanctions", p + "source:afp-2026-01-indonesians-released"} {
			if !slices.Contains(d.Entity.Sources, s) {
				t.Errorf("kept entity lacks source %s: %v", s, d.Entity.Sources)
			}
		}
		sub, err := db.Neighbors(ctxT(t), graph.NeighborsQuery{ID: keep, Depth: 1, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range sub.Edges {
			if e.From != keep && e.To != keep {
				continue
			}
			other := e.To
			if other == keep {
				other = e.From
			}
			if e.From == ofac || e.To == ofac || e.From == uk || e.To == uk {
				t.Errorf("a relationship still hangs on a merged id: %s %s %s", e.From, e.Type, e.To)
			}
			switch {
			case e.Type == graph.RelSubjectOf && strings.Contains(other, "sanction"):
				count["sanctions"]++
			case strings.Contains(other, "prince-holding-group"):
				count["prince "+string(e.Type)]++
			}
		}
		if count["sanctions"] < 2 {
			t.Errorf("kept entity is SUBJECT_OF %d sanctions, want both designations (edges %v)", count["sanctions"], count)
		}
		if count["prince OWNS"] == 0 || count["prince DIRECTS"] == 0 {
			t.Errorf("kept entity's Prince Holding Group links: %v, want OWNS and DIRECTS", count)
		}
	})

	t.Run("old ids resolve to the kept entity", func(t *testing.T) {
		for _, id := range []string{ofac, uk} {
			to, merged, err := db.Resolve(ctxT(t), id)
			if err != nil || !merged || to != keep {
				t.Errorf("Resolve(%s) = %s, %v, %v; want %s", id, to, merged, err, keep)
			}
			if _, err := db.Entity(ctxT(t), graph.EntityQuery{ID: id}); graph.ErrorCode(err) != graph.CodeNotFound {
				t.Errorf("merged %s still readable as an entity: %v", id, err)
			}
		}
	})

	t.Run("undo restores the three", func(t *testing.T) {
		if _, err := db.UndoMerge(ctxT(t), rec.ID, "test"); err != nil {
			t.Fatalf("undo: %v", err)
		}
		after := neo4jtest.Snapshot(t, db, p)
		if !slices.Equal(before, after) {
			for i := 0; i < max(len(before), len(after)); i++ {
				var b, a string
				if i < len(before) {
					b = before[i]
				}
				if i < len(after) {
					a = after[i]
				}
				if a != b {
					t.Fatalf("graph after undo differs from before the merge at line %d:\nbefore %s\nafter  %s", i, b, a)
				}
			}
		}
		for _, id := range []string{keep, ofac, uk} {
			if _, err := db.Entity(ctxT(t), graph.EntityQuery{ID: id}); err != nil {
				t.Errorf("%s after undo: %v", id, err)
			}
		}
	})
}

// TestResolveReadsFTM: --resolve reads FtM files before the import proper,
// which needs their reference index; without it the resolve pass panicked
// (Schemathesis: POST /v1/imports?format=ftm&resolve=true answered 500).
func TestResolveReadsFTM(t *testing.T) {
	db := neo4jtest.Open(t)
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	png := filepath.Join(t.TempDir(), "not-ftm.ftm.json")
	if err := os.WriteFile(png, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		file    string
		wantErr bool
	}{
		{"sanctions file", "testdata/ftm/prince-group.ftm.json", false},
		{"binary file", png, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := importDir(t, db, importer.Options{IDNamespace: p, Resolve: true, DryRun: true, SkipBad: true}, tc.file)
			if tc.wantErr {
				if err == nil && len(rep.Problems) == 0 {
					t.Fatalf("a binary file imported without a problem: %+v", rep)
				}
				if err != nil && graph.ErrorCode(err) != graph.CodeInvalid {
					t.Fatalf("error %v (code %s), want an invalid-input error", err, graph.ErrorCode(err))
				}
				return
			}
			if err != nil {
				t.Fatalf("import: %v %+v", err, rep.Problems)
			}
			if rep.Entities.Created == 0 {
				t.Errorf("dry run would create nothing: %+v", rep)
			}
		})
	}
}
