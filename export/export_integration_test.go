package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/export"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// tool finds a checker the export tests need (scripts/export-deps.sh
// installs them): missing, the test fails under CI and is skipped
// elsewhere, saying how to install it.
func tool(t *testing.T, path string) string {
	t.Helper()
	if p, err := exec.LookPath(path); err == nil {
		return p
	}
	msg := path + " not found: run scripts/export-deps.sh (make test does)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func venvPython(t *testing.T) string {
	t.Helper()
	venv := os.Getenv("SCAMGRAPH_VENV")
	if venv == "" {
		home, _ := os.UserHomeDir()
		venv = filepath.Join(home, ".cache", "scamgraph", "venv")
	}
	return tool(t, filepath.Join(venv, "bin", "python"))
}

// loadSample imports data/sample under prefix (as the CLI does) and
// removes it, and its import runs, when the test ends.
func loadSample(t *testing.T, db *neo4jdb.DB, prefix string) {
	t.Helper()
	neo4jtest.Cleanup(t, db, prefix)
	dir := neo4jtest.PrefixedCopy(t, neo4jtest.SampleDir(t), prefix)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := importer.New(db, importer.Options{}).ImportPaths(ctx, []string{dir})
	if err != nil {
		t.Fatalf("import sample: %v", err)
	}
	t.Cleanup(func() {
		var ids []string
		for _, f := range rep.Files {
			ids = append(ids, "'"+f.RunID+"'")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := db.RunScript(ctx, []string{"MATCH (r:ImportRun) WHERE r.id IN [" + strings.Join(ids, ",") + "] DELETE r"}); err != nil {
			t.Errorf("delete import runs: %v", err)
		}
	})
}

// fixture writes the shared fixture plus a victim with personal fields and
// a company whose name is a spreadsheet formula.
func fixture(t *testing.T) (*neo4jdb.DB, neo4jtest.Fixture) {
	t.Helper()
	db := neo4jtest.Open(t)
	f := neo4jtest.NewFixture(neo4jtest.Prefix(t))
	f.Entities = append(f.Entities,
		graph.Entity{ID: f.ID("victim-ana"), Kinds: []graph.Kind{graph.KindVictim}, Name: "Ana Real-Name",
			Sources: []string{f.ID("source-b")}, Properties: map[string]graph.Value{
				"age": graph.IntValue(23), "origin": graph.StringValue("Surabaya"), "nationality": graph.StringValue("ID")}},
		graph.Entity{ID: f.ID("formula-co"), Kinds: []graph.Kind{graph.KindCompany}, Name: `=HYPERLINK("http://x.example","y")`,
			Sources: []string{f.ID("source-a")}, Properties: map[string]graph.Value{}},
	)
	f.Relationships = append(f.Relationships, graph.Relationship{
		ID: graph.RelationshipID(f.ID("victim-ana"), graph.RelHeldAt, f.ID("compound"), ""), Type: graph.RelHeldAt,
		From: f.ID("victim-ana"), To: f.ID("compound"), Evidence: graph.EvidenceAllegation, Sources: []string{f.ID("source-b")},
		Properties: map[string]graph.Value{"injuries": graph.StringValue("broken arm")}})
	neo4jtest.Cleanup(t, db, f.Prefix)
	neo4jtest.Write(t, db, f.Entities, f.Relationships)
	return db, f
}

// run exports q into a directory and returns it.
func run(t *testing.T, db *neo4jdb.DB, q graph.ExportQuery) (string, export.Stats) {
	t.Helper()
	dir := t.TempDir()
	sink, err := export.DirSink(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := export.Run(ctx, db, q, sink, nil)
	if err == nil {
		err = sink.Close()
	}
	if err != nil {
		t.Fatalf("export %+v: %v", q, err)
	}
	return dir, st
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExport runs the export checks below over one fixture and one copy
// of the sample data.
func TestExport(t *testing.T) {
	db, f := fixture(t)
	sample := neo4jtest.Prefix(t)
	loadSample(t, db, sample)
	for _, tc := range []struct {
		name string
		test func(*testing.T, *neo4jdb.DB, neo4jtest.Fixture, string)
	}{
		{"FtM passes followthemoney", testFtMPassesFollowTheMoney},
		{"GEXF valid against its schema", testGEXFValidAgainstSchema},
		{"formats", testFormats},
		{"filters", testFilters},
		{"victims redacted", testRedactsVictims},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, db, f, sample) })
	}
}

// testFtMPassesFollowTheMoney exports the sample data and the
// fixture as FtM and has followthemoney (the reference implementation,
// from PyPI) load and validate every line and resolve every reference
// (testdata/ftm_check.py).
func testFtMPassesFollowTheMoney(t *testing.T, db *neo4jdb.DB, f neo4jtest.Fixture, sample string) {
	python := venvPython(t)
	for _, tc := range []struct {
		name string
		q    graph.ExportQuery
		min  int
	}{
		{"sample data", graph.ExportQuery{Format: graph.ExportFtM, Prefix: sample}, 140},
		{"fixture", graph.ExportQuery{Format: graph.ExportFtM, Prefix: f.Prefix}, 250},
		{"fixture without sources (proof left out)", graph.ExportQuery{Format: graph.ExportFtM, Prefix: f.Prefix,
			Kinds: []graph.Kind{graph.KindPerson, graph.KindCompany, graph.KindEvent}}, 5},
		{"fixture from chen, redacted", graph.ExportQuery{Format: graph.ExportFtM, Prefix: f.Prefix, From: f.ID("chen"), Depth: 2, Role: graph.RoleReader}, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, st := run(t, db, tc.q)
			file := filepath.Join(dir, "entities.ftm.json")
			if n := strings.Count(read(t, file), "\n"); n < tc.min {
				t.Fatalf("%d lines, want at least %d (%+v)", n, tc.min, st)
			}
			out, err := exec.Command(python, "testdata/ftm_check.py", file).CombinedOutput()
			if err != nil {
				t.Fatalf("followthemoney refuses the export: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), "entities valid") {
				t.Fatalf("checker said: %s", out)
			}
		})
	}
}

// testGEXFValidAgainstSchema validates the GEXF export with xmllint
// against the official GEXF 1.3 XSD (testdata/gexf-1.3, from
// github.com/gephi/gexf).
func testGEXFValidAgainstSchema(t *testing.T, db *neo4jdb.DB, f neo4jtest.Fixture, sample string) {
	xmllint := tool(t, "xmllint")
	for _, prefix := range []string{sample, f.Prefix} {
		dir, st := run(t, db, graph.ExportQuery{Format: graph.ExportGEXF, Prefix: prefix})
		file := filepath.Join(dir, "graph.gexf")
		out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/gexf-1.3/gexf.xsd", file).CombinedOutput()
		if err != nil {
			t.Fatalf("GEXF is not valid GEXF 1.3: %v\n%s", err, out)
		}
		body := read(t, file)
		if got := strings.Count(body, "<node "); got != st.Entities || st.Entities == 0 {
			t.Errorf("%d nodes written, %d counted", got, st.Entities)
		}
		if got := strings.Count(body, "<edge "); got != st.Relationships || st.Relationships == 0 {
			t.Errorf("%d edges written, %d counted", got, st.Relationships)
		}
	}
}

func csvRows(t *testing.T, path string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(read(t, path)))
	r.FieldsPerRecord = 0
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func column(t *testing.T, rows [][]string, name, id string) string {
	t.Helper()
	for i, h := range rows[0] {
		if h != name {
			continue
		}
		for _, r := range rows[1:] {
			if r[0] == id {
				return r[i]
			}
		}
		t.Fatalf("no row %s", id)
	}
	t.Fatalf("no column %s in %v", name, rows[0])
	return ""
}

// testFormats checks each format's layout on the fixture: GraphML
// well-formed with typed keys, the CSV files (formulas neutralised), the
// neo4j-admin headers, and that every format holds every entity and
// relationship once.
func testFormats(t *testing.T, db *neo4jdb.DB, f neo4jtest.Fixture, _ string) {
	entities, rels := len(f.Entities), len(f.Relationships)
	for _, e := range f.Entities {
		rels += len(e.Sources) // MENTIONED_IN, derived from sources
	}
	for _, tc := range []struct {
		format graph.ExportFormat
		check  func(t *testing.T, dir string)
	}{
		{graph.ExportGraphML, func(t *testing.T, dir string) {
			body := read(t, filepath.Join(dir, "graph.graphml"))
			dec := xml.NewDecoder(strings.NewReader(body))
			for {
				_, err := dec.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("GraphML is not well-formed: %v", err)
				}
			}
			for _, want := range []string{`attr.name="count" attr.type="long"`, `attr.name="cohort" attr.type="boolean"`, `edgedefault="directed"`} {
				if !strings.Contains(body, want) {
					t.Errorf("GraphML lacks %s", want)
				}
			}
			if n := strings.Count(body, "<node "); n != entities {
				t.Errorf("%d nodes, want %d", n, entities)
			}
		}},
		{graph.ExportCSV, func(t *testing.T, dir string) {
			nodes, edges := csvRows(t, filepath.Join(dir, "nodes.csv")), csvRows(t, filepath.Join(dir, "edges.csv"))
			if len(nodes)-1 != entities || len(edges)-1 != rels {
				t.Errorf("%d node rows, %d edge rows; want %d, %d", len(nodes)-1, len(edges)-1, entities, rels)
			}
			if got := column(t, nodes, "name", f.ID("formula-co")); !strings.HasPrefix(got, "'=") {
				t.Errorf("formula name written as %q, not neutralised", got)
			}
			if got := column(t, nodes, "kinds", f.ID("chen")); got != "official;tycoon" {
				t.Errorf("kinds %q", got)
			}
		}},
		{graph.ExportNeo4jAdmin, func(t *testing.T, dir string) {
			nodes, edges := csvRows(t, filepath.Join(dir, "nodes.csv")), csvRows(t, filepath.Join(dir, "relationships.csv"))
			wantN := []string{"id:ID", ":LABEL", "name", "aliases:string[]", "sources:string[]"}
			wantE := []string{":START_ID", ":END_ID", ":TYPE", "id", "key", "evidence", "evidence_rank:long", "since:date", "until:date", "sources:string[]"}
			if strings.Join(nodes[0][:5], ",") != strings.Join(wantN, ",") || strings.Join(edges[0][:10], ",") != strings.Join(wantE, ",") {
				t.Errorf("headers %v / %v", nodes[0], edges[0])
			}
			if !strings.Contains(strings.Join(nodes[0], ","), "count:long") || !strings.Contains(strings.Join(nodes[0], ","), "cohort:boolean") {
				t.Errorf("property columns untyped: %v", nodes[0])
			}
			if got := column(t, nodes, ":LABEL", f.ID("chen")); got != "Entity;Official;Person;Tycoon" {
				t.Errorf("labels %q", got)
			}
			if got := column(t, nodes, "name", f.ID("formula-co")); !strings.HasPrefix(got, "=") {
				t.Errorf("neo4j-admin must keep values exactly, got %q", got)
			}
			if len(nodes)-1 != entities || len(edges)-1 != rels {
				t.Errorf("%d node rows, %d relationship rows; want %d, %d", len(nodes)-1, len(edges)-1, entities, rels)
			}
		}},
	} {
		t.Run(string(tc.format), func(t *testing.T) {
			dir, st := run(t, db, graph.ExportQuery{Format: tc.format, Prefix: f.Prefix})
			if st.Entities != entities || st.Relationships != rels {
				t.Errorf("stats %+v, want %d entities, %d relationships", st, entities, rels)
			}
			tc.check(t, dir)
		})
	}
}

// testFilters: each filter changes what is exported.
func testFilters(t *testing.T, db *neo4jdb.DB, f neo4jtest.Fixture, _ string) {
	asOf, _ := graph.ParseDate("2020-01-01")
	count := func(q graph.ExportQuery) export.Stats {
		q.Format, q.Prefix = graph.ExportCSV, f.Prefix
		_, st := run(t, db, q)
		return st
	}
	all := count(graph.ExportQuery{})
	for _, tc := range []struct {
		name string
		q    graph.ExportQuery
		want func(export.Stats) bool
	}{
		{"kind person", graph.ExportQuery{Kinds: []graph.Kind{graph.KindPerson}}, func(s export.Stats) bool { return s.Entities == 4 }},
		{"as_of 2020 leaves out what source B reported", graph.ExportQuery{AsOf: &asOf}, func(s export.Stats) bool {
			return s.Entities < all.Entities && s.Relationships < all.Relationships
		}},
		{"from chen depth 1", graph.ExportQuery{From: f.ID("chen"), Depth: 1}, func(s export.Stats) bool { return s.Entities == 4 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if st := count(tc.q); !tc.want(st) {
				t.Errorf("got %+v (all: %+v)", st, all)
			}
		})
	}
	_, err := export.Check(context.Background(), db, graph.ExportQuery{Format: graph.ExportFtM, From: f.ID("nobody")})
	if graph.ErrorCode(err) != graph.CodeNotFound {
		t.Errorf("unknown from: %v, want not_found", err)
	}
}

// testRedactsVictims: for a role that may not see victims'
// personal fields, no format carries them; analysts see them.
func testRedactsVictims(t *testing.T, db *neo4jdb.DB, f neo4jtest.Fixture, _ string) {
	secrets := []string{"Ana Real-Name", "Surabaya", "broken arm"}
	for _, format := range graph.ExportFormats() {
		for _, role := range []graph.Role{graph.RoleReader, graph.RoleAnalyst} {
			if role == graph.RoleAnalyst && format != graph.ExportFtM && format != graph.ExportCSV {
				continue // what analysts see is the same in every format; one each way keeps the test short
			}
			t.Run(string(format)+"/"+string(role), func(t *testing.T) {
				var buf bytes.Buffer
				sink := export.ZipSink(&buf)
				_, err := export.Run(context.Background(), db, graph.ExportQuery{Format: format, Prefix: f.Prefix, Role: role}, sink, nil)
				if err == nil {
					err = sink.Close()
				}
				if err != nil {
					t.Fatal(err)
				}
				all := unzip(t, buf.Bytes())
				for _, s := range secrets {
					if strings.Contains(all, s) != role.SeesVictimPersonal() {
						t.Errorf("%q in the %s export for %s: %v", s, format, role, strings.Contains(all, s))
					}
				}
				if !strings.Contains(all, "Indonesian workers") {
					t.Error("the victim cohort is missing")
				}
			})
		}
	}
}

func unzip(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(&out, r); err != nil {
			t.Fatal(err)
		}
		r.Close()
	}
	return out.String()
}
