package importer_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func importDir(t *testing.T, db *neo4jdb.DB, opts importer.Options, paths ...string) (importer.Report, error) {
	t.Helper()
	return importer.New(db, opts).ImportPaths(ctxT(t), paths)
}

func TestImportSampleIsIdempotent(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	dir := neo4jtest.PrefixedCopy(t, neo4jtest.SampleDir(t), prefix)

	first, err := importDir(t, db, importer.Options{BatchSize: 7}, dir)
	if err != nil {
		t.Fatalf("first import: %v", err)
	}
	if first.Entities.Created == 0 || first.Relationships.Created == 0 || first.Rejected != 0 {
		t.Fatalf("first import report: %+v", first)
	}
	snap := neo4jtest.Snapshot(t, db, prefix)

	tests := []struct {
		name string
		opts importer.Options
	}{
		{"second import changes nothing", importer.Options{BatchSize: 1000}},
		{"dry run reports no changes", importer.Options{DryRun: true}},
		{"small batches change nothing", importer.Options{BatchSize: 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := importDir(t, db, tc.opts, dir)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Changes() != 0 {
				t.Errorf("changes = %d, want 0: %+v", rep.Changes(), rep)
			}
			if rep.Entities.Unchanged != first.Entities.Created || rep.Relationships.Unchanged != first.Relationships.Created {
				t.Errorf("unchanged = %+v/%+v, want %d/%d", rep.Entities, rep.Relationships, first.Entities.Created, first.Relationships.Created)
			}
			if got := neo4jtest.Snapshot(t, db, prefix); !reflect.DeepEqual(got, snap) {
				t.Error("the graph changed")
			}
		})
	}
	t.Run("every import run is recorded", func(t *testing.T) {
		run, err := db.ImportRun(ctxT(t), first.Files[0].RunID)
		if err != nil {
			t.Fatal(err)
		}
		if run.Status != "succeeded" || run.Checksum != first.Files[0].Checksum || run.FinishedAt == nil {
			t.Errorf("run = %+v", run)
		}
	})
	t.Run("mentions link entities to sources", func(t *testing.T) {
		found := false
		for _, line := range snap {
			if strings.Contains(line, `"type":"MENTIONED_IN"`) && strings.Contains(line, `"from":"person:ly-kuong"`) {
				found = true
			}
		}
		if !found {
			t.Error("no MENTIONED_IN from Ly Kuong to his source")
		}
	})
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// fixture returns valid lines under prefix p: a source, a tycoon, a
// compound and the relationship between them.
func fixture(p string) []string {
	return []string{
		fmt.Sprintf(`{"record":"entity","id":"%ssource:a","kinds":["source"],"name":"A","properties":{"publisher":"AFP","published":"2026-01-19","source_type":"news"}}`, p),
		fmt.Sprintf(`{"record":"entity","id":"%sperson:ly","kinds":["tycoon"],"name":"Ly Kuong","sources":["%ssource:a"]}`, p, p),
		fmt.Sprintf(`{"record":"entity","id":"%scompound:x","kinds":["compound"],"name":"Compound X","sources":["%ssource:a"]}`, p, p),
		fmt.Sprintf(`{"record":"relationship","type":"OPERATES","from":"%sperson:ly","to":"%scompound:x","evidence":"charge","sources":["%ssource:a"]}`, p, p, p),
	}
}

func TestImportRefusesMalformedFiles(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	good := strings.Join(fixture(prefix), "\n") + "\n"
	tests := []struct {
		name     string
		file     string
		content  string
		wantLine int
	}{
		{"truncated JSON", "t.ndjson", good + `{"record":"entity","id":"` + prefix + `x","kin`, 5},
		{"binary garbage", "g.ndjson", good + "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\n", 5},
		{"5 MB line", "big.ndjson", good + `{"record":"entity","id":"` + prefix + `big","kinds":["person"],"name":"` + strings.Repeat("x", 5<<20) + `","sources":["` + prefix + `source:a"]}` + "\n", 5},
		{"BOM with CRLF mid-file", "bom.ndjson", strings.ReplaceAll(good, "\n", "\r\n") + "\uFEFF" + fixture(prefix)[1] + "\r\n", 5},
		{"unterminated CSV quote", "q.csv", "id,kinds,name,sources\n" + prefix + "person:z,person,\"Zed,," + prefix + "source:a\n", 2},
		{"non-object lines", "n.ndjson", good + "[\"an\",\"array\"]\n42\n", 5},
		{"unknown reference", "r.ndjson", good + fmt.Sprintf(`{"record":"relationship","type":"OWNS","from":"%sperson:ly","to":"%scompany:ghost","evidence":"allegation","sources":["%ssource:a"]}`, prefix, prefix, prefix) + "\n", 5},
		{"fact without a source", "s.ndjson", good + fmt.Sprintf(`{"record":"entity","id":"%sperson:anon","kinds":["person"],"name":"Anon"}`, prefix) + "\n", 5},
		{"unknown kind", "k.ndjson", good + fmt.Sprintf(`{"record":"entity","id":"%sx","kinds":["pirate"],"name":"X","sources":["%ssource:a"]}`, prefix, prefix) + "\n", 5},
		{"bad date", "d.ndjson", good + fmt.Sprintf(`{"record":"relationship","type":"HELD_AT","from":"%sperson:ly","to":"%scompound:x","evidence":"allegation","since":"2026-02-30","sources":["%ssource:a"]}`, prefix, prefix, prefix) + "\n", 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := write(t, t.TempDir(), tc.file, tc.content)
			rep, err := importDir(t, db, importer.Options{}, path)
			if !errors.Is(err, importer.ErrRejected) {
				t.Fatalf("err = %v, want ErrRejected", err)
			}
			if len(rep.Problems) == 0 {
				t.Fatal("no problem reported")
			}
			want := fmt.Sprintf("%s:%d: ", path, tc.wantLine)
			if got := rep.Problems[0].String(); !strings.HasPrefix(got, want) {
				t.Errorf("problem %q, want prefix %q", got, want)
			}
			if snap := neo4jtest.Snapshot(t, db, prefix); len(snap) != 0 {
				t.Errorf("graph changed: %d items under the prefix", len(snap))
			}
		})
	}
}

func TestImportSkipBad(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	lines := append(fixture(prefix), `not json`,
		fmt.Sprintf(`{"record":"relationship","type":"HELD_AT","from":"%svictim:gone","to":"%scompound:x","evidence":"allegation","sources":["%ssource:a"]}`, prefix, prefix, prefix))
	path := write(t, t.TempDir(), "mixed.ndjson", strings.Join(lines, "\n")+"\n")
	rep, err := importDir(t, db, importer.Options{SkipBad: true}, path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rejected != 2 || len(rep.Problems) != 2 {
		t.Fatalf("rejected %d, problems %v", rep.Rejected, rep.Problems)
	}
	if rep.Problems[0].Line != 5 || rep.Problems[1].Line != 6 {
		t.Errorf("problem lines = %d, %d", rep.Problems[0].Line, rep.Problems[1].Line)
	}
	if rep.Entities.Created != 3 || rep.Relationships.Created != 1 {
		t.Errorf("created %+v / %+v", rep.Entities, rep.Relationships)
	}
}

func TestImportMergesLaterReports(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	dir := t.TempDir()
	first := write(t, dir, "1.ndjson", strings.Join(fixture(prefix), "\n")+"\n")
	if _, err := importDir(t, db, importer.Options{}, first); err != nil {
		t.Fatal(err)
	}
	later := []string{
		fmt.Sprintf(`{"record":"entity","id":"%ssource:b","kinds":["source"],"name":"B","properties":{"publisher":"RFA","published":"2026-02-01","source_type":"news"}}`, prefix),
		fmt.Sprintf(`{"record":"entity","id":"%sperson:ly","kinds":["official"],"name":"Ly Kuong","aliases":["Oknha Ly Kuong"],"sources":["%ssource:b"],"properties":{"nationality":"KH"}}`, prefix, prefix),
		fmt.Sprintf(`{"record":"relationship","type":"OPERATES","from":"%sperson:ly","to":"%scompound:x","evidence":"conviction","since":"2019","sources":["%ssource:b"]}`, prefix, prefix, prefix),
	}
	rep, err := importDir(t, db, importer.Options{}, write(t, dir, "2.ndjson", strings.Join(later, "\n")+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Entities.Created != 1 || rep.Entities.Updated != 1 || rep.Relationships.Updated != 1 {
		t.Errorf("report %+v / %+v", rep.Entities, rep.Relationships)
	}
	var ly graph.Entity
	var op graph.Relationship
	err = db.Export(ctxT(t), prefix+"person:ly", func(e graph.Entity, rels []graph.Relationship) error {
		ly = e
		for _, r := range rels {
			if r.Type == graph.RelOperates {
				op = r
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"kinds merged", reflect.DeepEqual(ly.Kinds, []graph.Kind{graph.KindOfficial, graph.KindTycoon})},
		{"alias added", reflect.DeepEqual(ly.Aliases, []string{"Oknha Ly Kuong"})},
		{"sources merged", len(ly.Sources) == 2},
		{"property added", ly.Properties["nationality"].S == "KH"},
		{"evidence upgraded", op.Evidence == graph.EvidenceConviction},
		{"since added", op.Since != nil && op.Since.String() == "2019-01-01"},
		{"relationship sources merged", len(op.Sources) == 2},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !c.ok {
				t.Errorf("entity %+v relationship %+v", ly, op)
			}
		})
	}
}

func TestImportLinksSourcesWhateverTheOrder(t *testing.T) {
	db := neo4jtest.Open(t)
	tests := []struct {
		name  string
		order []int // indexes into fixture(prefix)
	}{
		{"sources first", []int{0, 1, 2, 3}},
		{"source after the entities that cite it", []int{1, 2, 3, 0}},
		{"relationship first", []int{3, 1, 0, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prefix := neo4jtest.Prefix(t)
			neo4jtest.Cleanup(t, db, prefix)
			fx := fixture(prefix)
			var lines []string
			for _, i := range tc.order {
				lines = append(lines, fx[i])
			}
			path := write(t, t.TempDir(), "order.ndjson", strings.Join(lines, "\n")+"\n")
			if _, err := importDir(t, db, importer.Options{BatchSize: 2}, path); err != nil {
				t.Fatal(err)
			}
			mentions := 0
			for _, l := range neo4jtest.Snapshot(t, db, prefix) {
				if strings.Contains(l, `"type":"MENTIONED_IN"`) {
					mentions++
				}
			}
			if mentions != 2 {
				t.Errorf("MENTIONED_IN links = %d, want 2 (tycoon and compound to the source)", mentions)
			}
		})
	}
}
