package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/generate"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// bulkEdges are records that exercise the bulk path's CSV and merging:
// repeated ids (merged as the transactional store merges them), list
// items holding ";" and quotes, line breaks, an empty string, a key stored
// as an int on one entity and a string on another, floats, booleans,
// lists and partial dates.
const bulkEdges = `{"record":"entity","id":"person:chen-zhi","kinds":["tycoon"],"name":"Chen Zhi","aliases":["陈志","Vincent; \"CZ\"","  spaced  "],"sources":["source:rfa-2024-05-indians-freed"],"properties":{"extent":3,"note":"","ratio":0.1,"flag":true,"tags":["a; b","c\nd"],"first_seen":"2024-05"}}
{"record":"entity","id":"company:zz-tricky","kinds":["company"],"name":"Tricky \"Co\"\nLine two","sources":["source:rfa-2024-05-indians-freed","source:afp-2026-01-indonesians-released"],"properties":{"extent":"about two","description":"multi\r\nline, with , commas and \\ backslash"}}
{"record":"relationship","type":"OPERATES","from":"person:chen-zhi","to":"compound:chen-zhi-scam-operations-cambodia","key":"","evidence":"charge","since":"2019","until":null,"sources":["source:rfa-2024-05-indians-freed"],"properties":{"extent":2}}
{"record":"relationship","type":"OWNS","from":"person:ly-kuong","to":"company:zz-tricky","key":"k; \"1\"","evidence":"allegation","since":"2020-03-04","until":"2021","sources":["source:afp-2026-01-indonesians-released"],"properties":{"share":0.25}}
`

// TestImportBulk loads the same files (the sample, a generated graph,
// an FtM file and records full of edge cases) through the bulk path into
// a new data dir and through the transactional importer into the test
// database: the bulk-built store, started with the embedded launcher,
// holds the same graph, fact for fact, with the schema; a transactional
// import over it changes nothing; a second bulk load into it is refused;
// a bad file is refused with its file:line and writes nothing.
func TestImportBulk(t *testing.T) {
	db := neo4jtest.Open(t)
	cfg := neo4jtest.Config(t)
	bin := binary(t)
	env := append(neo4jEnv(t), "NEO4J_SH="+repoFile(t, "scripts", "neo4j.sh"), "NEO4J_HEAP=512m", "NEO4J_BULK_OFF_HEAP=512m")
	t0 := time.Now()
	defer func() { t.Logf("in all %s", time.Since(t0).Round(time.Millisecond)) }()
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)

	gen := t.TempDir()
	if _, err := generate.WriteAll(generate.Config{Entities: 1500, Seed: 3, RelsPerEntity: 3}, gen, []string{"ndjson"}); err != nil {
		t.Fatal(err)
	}
	sample := neo4jtest.PrefixedCopy(t, neo4jtest.SampleDir(t), prefix)
	edges := filepath.Join(t.TempDir(), "zz-edges.ndjson")
	if err := os.WriteFile(edges, []byte(bulkEdges), 0o644); err != nil {
		t.Fatal(err)
	}
	edgesDir := neo4jtest.PrefixedCopy(t, filepath.Dir(edges), prefix)
	// FtM lines, their ids and dataset carrying the prefix (without its
	// colon, which dataset names may not hold).
	uniq := strings.TrimSuffix(prefix, ":")
	neo4jtest.Cleanup(t, db, "ftm:"+prefix)
	neo4jtest.Cleanup(t, db, "source:ftm:"+uniq)
	ftm := filepath.Join(t.TempDir(), "entities.ftm.json")
	ftmBody := fmt.Sprintf(`{"id":"%[1]so1","schema":"Ownership","properties":{"owner":["%[1]sp"],"asset":["%[1]sc"]},"datasets":["%[2]s"],"first_seen":"2025-10-14"}
{"id":"%[1]sp","schema":"Person","properties":{"name":["CHEN Zhi"],"alias":["Vincent; Chen"]},"datasets":["%[2]s"],"first_seen":"2025-10-14"}
{"id":"%[1]sc","schema":"Company","properties":{"name":["PRINCE HOLDING GROUP"]},"datasets":["%[2]s"],"first_seen":"2025-10-14"}
`, prefix, uniq)
	if err := os.WriteFile(ftm, []byte(ftmBody), 0o644); err != nil {
		t.Fatal(err)
	}
	inputs := []string{sample, neo4jtest.PrefixedCopy(t, filepath.Join(gen, "ndjson"), prefix), edgesDir, ftm}
	args := func(extra ...string) []string {
		return append(append([]string{"import", "--quiet", "--json"}, extra...), inputs...)
	}

	t.Run("a bad file is refused with file:line and nothing is written", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.ndjson")
		body := strings.SplitN(bulkEdges, "\n", 2)[0] + "\n" + `{"record":"entity","id":"person:x","kinds":["nobody"],"name":"X","sources":["source:afp-2026-01-indonesians-released"]}` + "\n"
		if err := os.WriteFile(bad, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		dataDir, out := t.TempDir(), filepath.Join(t.TempDir(), "files")
		r := runCLI(t, bin, env, "import", "--quiet", "--bulk", "--out", out, "--data-dir", dataDir, sample, bad)
		if r.code != 1 || !strings.Contains(r.stderr, bad+":2: ") {
			t.Fatalf("exit %d, stderr %s; want 1 and %s:2: reason", r.code, r.stderr, bad)
		}
		for _, dir := range []string{out, filepath.Join(dataDir, "data")} {
			if ents, _ := os.ReadDir(dir); len(ents) > 0 {
				t.Errorf("%s holds %d entries after a refused load", dir, len(ents))
			}
		}
	})

	// The transactional import into the test database, then the bulk load.
	began := time.Now()
	step := func(what string) {
		t.Logf("%s: %s", what, time.Since(began).Round(time.Millisecond))
		began = time.Now()
	}
	tx := runCLI(t, bin, env, args()...)
	step("transactional import")
	if tx.code != 0 {
		t.Fatalf("transactional import: exit %d: %s", tx.code, tx.stderr)
	}
	var txRep struct {
		Files []struct {
			RunID string `json:"run_id"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(tx.stdout), &txRep); err != nil {
		t.Fatal(err)
	}
	for _, f := range txRep.Files {
		if !strings.HasPrefix(f.RunID, "run-") || strings.ContainsAny(f.RunID, "'\\") {
			t.Fatalf("odd run id %q", f.RunID)
		}
		t.Cleanup(func() {
			if err := db.RunScript(context.Background(), []string{"MATCH (r:ImportRun {id: '" + f.RunID + "'}) DELETE r"}); err != nil {
				t.Errorf("delete import run: %v", err)
			}
		})
	}
	dataDir := t.TempDir()
	bulk := runCLI(t, bin, env, args("--bulk", "--data-dir", dataDir)...)
	step("bulk load")
	if bulk.code != 0 {
		t.Fatalf("bulk import: exit %d: %s\n%s", bulk.code, bulk.stdout, bulk.stderr)
	}
	var rep struct {
		Files []struct {
			RunID string `json:"run_id"`
		} `json:"files"`
		StoreBuilt bool `json:"store_built"`
		Bulk       struct {
			Nodes int `json:"nodes"`
		} `json:"bulk"`
	}
	if err := json.Unmarshal([]byte(bulk.stdout), &rep); err != nil || !rep.StoreBuilt || len(rep.Files) != len(txRep.Files) {
		t.Fatalf("bulk report: %v: %s", err, bulk.stdout)
	}
	if ents, _ := filepath.Glob(filepath.Join(dataDir, "bulk-import-*")); len(ents) > 0 {
		t.Errorf("the bulk files were left in %s: %v", dataDir, ents)
	}

	// The bulk-built store, served by the embedded launcher.
	bulkDB := startStore(t, dataDir, cfg.Password)
	step("start Neo4j on it")
	for _, p := range []string{prefix, "ftm:" + prefix, "source:ftm:" + uniq} {
		got, want := neo4jtest.Snapshot(t, bulkDB, p), neo4jtest.Snapshot(t, db, p)
		if len(want) == 0 || p == prefix && len(want) < 1500 {
			t.Fatalf("the transactional import holds only %d items under %s", len(want), p)
		}
		if !reflect.DeepEqual(got, want) {
			diff(t, got, want)
		}
	}
	step("compare")
	ctx := context.Background()
	t.Run("the schema is applied: the full-text index answers", func(t *testing.T) {
		page, err := bulkDB.Search(ctx, graph.SearchQuery{Text: "chen zhi", Limit: 3})
		found := false
		for _, h := range page.Hits {
			found = found || h.ID == prefix+"person:chen-zhi"
		}
		if err != nil || !found {
			t.Fatalf("search: %v, %+v", err, page)
		}
	})
	t.Run("the import runs are recorded", func(t *testing.T) {
		for _, f := range rep.Files {
			run, err := bulkDB.ImportRun(ctx, f.RunID)
			if err != nil || run.Status != "succeeded" || run.Entities.Created+run.Relationships.Created == 0 && run.Records > 0 {
				t.Errorf("run %s: %v, %+v", f.RunID, err, run)
			}
		}
	})
	t.Run("a transactional import over the bulk-built graph changes nothing", func(t *testing.T) {
		bulkEnv := append(env, "NEO4J_URI="+bulkURI)
		r := runCLI(t, bin, bulkEnv, args()...)
		var again struct {
			Entities, Relationships graph.WriteStats
		}
		if err := json.Unmarshal([]byte(r.stdout), &again); r.code != 0 || err != nil {
			t.Fatalf("exit %d, %v: %s", r.code, err, r.stderr)
		}
		if again.Entities.Changes()+again.Relationships.Changes() != 0 {
			t.Errorf("re-import changed %+v entities, %+v relationships", again.Entities, again.Relationships)
		}
	})
	step("checks")
	stopStore(t, dataDir)
	step("stop")

	t.Run("a second bulk load into the loaded data dir is refused", func(t *testing.T) {
		r := runCLI(t, bin, env, args("--bulk", "--data-dir", dataDir)...)
		if r.code != 1 || !strings.Contains(r.stderr, "not empty") {
			t.Fatalf("exit %d, stderr %s; want 1 and a refusal naming a non-empty database", r.code, r.stderr)
		}
	})
}

// bulkURI is the Bolt address of the store startStore started.
var bulkURI string

// startStore starts the embedded launcher on dataDir (stopped when the
// test ends) and connects to it.
func startStore(t *testing.T, dataDir, password string) *neo4jdb.DB {
	t.Helper()
	script := repoFile(t, "scripts", "neo4j.sh")
	port, err := exec.Command(script, "freeport").Output()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(script, "start", "--data-dir", dataDir, "--port", strings.TrimSpace(string(port)),
		"--pidfile", filepath.Join(dataDir, "pid"), "--log", filepath.Join(dataDir, "out"))
	cmd.Env = append(os.Environ(), "NEO4J_PASSWORD="+password, "NEO4J_HEAP=512m", "NEO4J_START_TIMEOUT=900")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("start Neo4j on the bulk-built store: %v\n%s", err, stderr.String())
	}
	t.Cleanup(func() { stopStore(t, dataDir) })
	bulkURI = strings.TrimSpace(string(out))
	db, err := neo4jdb.Open(neo4jdb.Config{URI: bulkURI, User: "neo4j", Password: password, Database: "neo4j"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := db.WaitReady(ctx, 250*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	return db
}

func stopStore(t *testing.T, dataDir string) {
	t.Helper()
	pid := filepath.Join(dataDir, "pid")
	if _, err := os.Stat(pid); err != nil {
		return
	}
	if out, err := exec.Command(repoFile(t, "scripts", "neo4j.sh"), "stop", "--pidfile", pid).CombinedOutput(); err != nil {
		t.Errorf("stop Neo4j: %v: %s", err, out)
	}
}

// repoFile is a path in the repository, from this package's directory.
func repoFile(tb testing.TB, parts ...string) string {
	tb.Helper()
	p, err := filepath.Abs(filepath.Join(append([]string{"..", ".."}, parts...)...))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// diff reports the first lines where two snapshots differ.
func diff(t *testing.T, got, want []string) {
	t.Helper()
	in := func(l []string) map[string]bool {
		m := map[string]bool{}
		for _, s := range l {
			m[s] = true
		}
		return m
	}
	g, w := in(got), in(want)
	n := 0
	for _, s := range want {
		if !g[s] && n < 5 {
			t.Errorf("only the transactional import holds %s", s)
			n++
		}
	}
	for _, s := range got {
		if !w[s] && n < 10 {
			t.Errorf("only the bulk load holds %s", s)
			n++
		}
	}
	t.Errorf("the bulk-built graph differs from the transactional import's: %d items, want %d", len(got), len(want))
}
