package export_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// importTool finds what running Neo4j's own importer (`neo4j-admin
// database import`) takes: java and the jars of org.neo4j:neo4j-import-tool
// and org.neo4j:neo4j-command-line (5.26.30, our Neo4j's version), which
// the embedded launcher's build (scripts/neo4j.sh build, run by make test)
// copies into tools/neo4j-embedded/target/lib. Missing, the test fails under
// CI and is skipped elsewhere.
func importTool(t *testing.T) (java, classpath string) {
	t.Helper()
	missing := func(what string) {
		msg := what + ": run scripts/neo4j.sh build (make test does)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	java = os.Getenv("JAVA")
	if java == "" && os.Getenv("JAVA_HOME") != "" {
		java = filepath.Join(os.Getenv("JAVA_HOME"), "bin", "java")
	}
	if java == "" {
		// As scripts/neo4j.sh finds the java it runs Neo4j with.
		var err error
		if java, err = exec.LookPath("java"); err != nil {
			java = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"
			if _, err := os.Stat(java); err != nil {
				missing("no java found (need Java 17+; set JAVA_HOME)")
			}
		}
	}
	lib := filepath.Join(filepath.Dir(neo4jtest.SampleDir(t)), "..", "tools", "neo4j-embedded", "target", "lib")
	for _, jar := range []string{"neo4j-import-tool-5.26.30.jar", "neo4j-command-line-5.26.30.jar"} {
		if _, err := os.Stat(filepath.Join(lib, jar)); err != nil {
			missing(filepath.Join(lib, jar) + " not found")
		}
	}
	return java, filepath.Join(lib, "*")
}

var importedRe = regexp.MustCompile(`(\d+) nodes\s*,?\s*(\d+) relationships\s*,?\s*(\d+) properties`)

// TestNeo4jAdminLayoutLoads: the neo4j-admin export is loadable by Neo4j's
// own importer. The fixture (with a victim's personal fields, a name that
// is a spreadsheet formula, and a description holding a line break, quotes
// and commas) is exported, then `neo4j-admin database import full` (the
// same code, run as org.neo4j.cli.AdminTool) builds a new store from it in
// a temporary NEO4J_HOME, refusing any bad entry (--bad-tolerance=0,
// --strict); its report must count exactly the nodes and relationships
// exported and one property per non-empty cell.
func TestNeo4jAdminLayoutLoads(t *testing.T) {
	java, classpath := importTool(t)
	db, f := fixture(t)
	neo4jtest.Write(t, db, []graph.Entity{{ID: f.ID("multiline-co"), Kinds: []graph.Kind{graph.KindCompany}, Name: `Multi "Line", Ltd`,
		Aliases: []string{"ML, Ltd", `"Quoted"`}, Sources: []string{f.ID("source-a")},
		Properties: map[string]graph.Value{"description": graph.StringValue("first line,\nsecond \"line\"")}}}, nil)
	dir, st := run(t, db, graph.ExportQuery{Format: graph.ExportNeo4jAdmin, Prefix: f.Prefix})
	nodes, rels := csvRows(t, filepath.Join(dir, "nodes.csv")), csvRows(t, filepath.Join(dir, "relationships.csv"))
	// One property per non-empty cell but the label, start, end and type
	// columns (id:ID is also stored as the property id).
	props := 0
	for _, table := range [][][]string{nodes, rels} {
		for _, row := range table[1:] {
			for i, cell := range row {
				switch table[0][i] {
				case ":LABEL", ":START_ID", ":END_ID", ":TYPE":
					continue
				}
				if cell != "" {
					props++
				}
			}
		}
	}

	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, "conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "conf", "neo4j.conf"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, java, "-Xmx384m", "-XX:+UseSerialGC", "-cp", classpath, "org.neo4j.cli.AdminTool",
		"database", "import", "full",
		"--nodes="+filepath.Join(dir, "nodes.csv"), "--relationships="+filepath.Join(dir, "relationships.csv"),
		"--multiline-fields=true", "--overwrite-destination=true", "--bad-tolerance=0", "--strict=true",
		"--threads=2", "--max-off-heap-memory=256m", "--high-parallel-io=off",
		"--report-file="+filepath.Join(home, "import.report"), "neo4j")
	cmd.Env = append(os.Environ(), "NEO4J_HOME="+home, "NEO4J_CONF="+filepath.Join(home, "conf"))
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("neo4j-admin database import: %s", time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("neo4j-admin database import refused the export: %v\n%s", err, out)
	}
	m := importedRe.FindSubmatch(out)
	if m == nil {
		t.Fatalf("no \"Imported: N nodes, M relationships, P properties\" in:\n%s", out)
	}
	got := [3]int{}
	for i := range got {
		got[i], _ = strconv.Atoi(string(m[i+1]))
	}
	if want := [3]int{st.Entities, st.Relationships, props}; got != want {
		t.Errorf("imported %d nodes, %d relationships, %d properties; exported %d, %d, %d\n%s",
			got[0], got[1], got[2], want[0], want[1], want[2], out)
	}
	if b, err := os.ReadFile(filepath.Join(home, "import.report")); err == nil && len(b) > 0 {
		t.Errorf("bad entries reported:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(home, "data", "databases", "neo4j")); err != nil {
		t.Errorf("no store written: %v", err)
	}
}
