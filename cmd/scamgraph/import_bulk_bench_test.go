package main_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/bench"
	"github.com/scamgraph/scamgraph/internal/generate"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// BenchmarkBulkFirstLoad measures a first load of the generator's graph
// (BULK_BENCH_SCALE entities, default 100000) both ways, from the same
// NDJSON to a database ready to serve (schema and indexes online): the
// transactional importer into the emptied database at NEO4J_TEST_URI, and
// import --bulk into a new data dir. Runs alternate (T B B T … for
// BULK_BENCH_RUNS runs each, default 1: T B); every run's graph is
// digested (bench.GraphDigest; the bulk-built store is started on its own
// for that, not timed). Wall and CPU seconds are reported: the CPU of the
// bulk command with its JVMs, and of the importer plus the Neo4j server
// (BULK_BENCH_NEO4J_PIDFILE) for the transactional side. It EMPTIES the database at NEO4J_TEST_URI, so it
// runs only with BULK_BENCH=1. docs/benchmarks.md, "Bulk first load".
//
//	BULK_BENCH=1 BULK_BENCH_SCALE=100000 BULK_BENCH_NEO4J_PIDFILE=$D/pid go test ./cmd/scamgraph -run '^$' -bench BulkFirstLoad -benchtime 1x -timeout 3h -v
func BenchmarkBulkFirstLoad(b *testing.B) {
	if os.Getenv("BULK_BENCH") != "1" {
		b.Skip("set BULK_BENCH=1: this benchmark empties the database at NEO4J_TEST_URI")
	}
	scale, runs := envInt(b, "BULK_BENCH_SCALE", 100000), envInt(b, "BULK_BENCH_RUNS", 1)
	db := neo4jtest.Open(b)
	cfg := neo4jtest.Config(b)
	ctx := context.Background()
	bin := filepath.Join(b.TempDir(), "scamgraph")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	work := os.Getenv("BULK_BENCH_WORK")
	if work == "" {
		work = b.TempDir()
	}
	data := filepath.Join(work, fmt.Sprintf("gen-%d", scale))
	if _, err := os.Stat(filepath.Join(data, "ndjson")); err != nil {
		counts, err := generate.WriteAll(generate.Config{Entities: scale, Seed: 1}, data, []string{"ndjson"})
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("generated %+v", counts)
	}
	input := filepath.Join(data, "ndjson")
	env := []string{"NEO4J_URI=" + cfg.URI, "NEO4J_USER=" + cfg.User, "NEO4J_PASSWORD=" + cfg.Password, "LOG_LEVEL=warn",
		"NEO4J_SH=" + repoFile(b, "scripts", "neo4j.sh")}
	// run returns the wall seconds and the CPU seconds of the command and
	// every process it waited for (the bulk path's JVMs).
	run := func(args ...string) (float64, float64) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = nil, &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
		return time.Since(start).Seconds(), (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	}
	// The transactional side's CPU is the importer's and the Neo4j
	// server's (BULK_BENCH_NEO4J_PIDFILE: the pidfile of the Neo4j at
	// NEO4J_TEST_URI), read from /proc.
	serverCPU := func() float64 {
		f := os.Getenv("BULK_BENCH_NEO4J_PIDFILE")
		if f == "" {
			return 0
		}
		pid, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		stat, err := os.ReadFile("/proc/" + strings.TrimSpace(string(pid)) + "/stat")
		if err != nil {
			b.Fatal(err)
		}
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
		ut, _ := strconv.ParseFloat(fields[11], 64) // utime, stime: fields 14 and 15 of stat
		st, _ := strconv.ParseFloat(fields[12], 64)
		return (ut + st) / 100 // USER_HZ
	}
	transactional := func() (float64, float64, string) {
		// DeleteAll works in batches; on a loaded machine one may time
		// out, and the next goes on where it stopped.
		for try := 1; ; try++ {
			_, err := db.DeleteAll(ctx)
			if err == nil {
				break
			}
			if try == 20 {
				b.Fatal(err)
			}
			b.Logf("empty the database (try %d): %v", try, err)
		}
		if err := db.ApplySchema(ctx); err != nil {
			b.Fatal(err)
		}
		before := serverCPU()
		secs, cpu := run("import", "--quiet", input)
		cpu += serverCPU() - before
		d, err := bench.GraphDigest(ctx, db)
		if err != nil {
			b.Fatal(err)
		}
		return secs, cpu, d
	}
	bulk := func() (float64, float64, string) {
		dir, err := os.MkdirTemp(work, "bulk-store-")
		if err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(dir)
		secs, cpu := run("import", "--quiet", "--bulk", "--data-dir", dir, input)
		d := digestStore(b, dir, cfg.Password)
		return secs, cpu, d
	}
	b.ResetTimer()
	for range b.N {
		var tSecs, bSecs, tCPU, bCPU []float64
		var order string
		digests := map[string]bool{}
		for r := range runs {
			for _, isBulk := range []bool{r%2 == 1, r%2 == 0} {
				if isBulk {
					s, c, d := bulk()
					bSecs, bCPU, order, digests[d] = append(bSecs, s), append(bCPU, c), order+"B", true
					b.Logf("bulk run: %.1f s wall, %.1f s CPU, digest %s", s, c, d)
				} else {
					s, c, d := transactional()
					tSecs, tCPU, order, digests[d] = append(tSecs, s), append(tCPU, c), order+"T", true
					b.Logf("transactional run: %.1f s wall, %.1f s CPU (importer and server), digest %s", s, c, d)
				}
			}
		}
		tm, bm := medianOf(tSecs), medianOf(bSecs)
		var load [3]float64
		if raw, err := os.ReadFile("/proc/loadavg"); err == nil {
			for i, f := range strings.Fields(string(raw))[:3] {
				load[i], _ = strconv.ParseFloat(f, 64)
			}
		}
		tc, bc := medianOf(tCPU), medianOf(bCPU)
		b.Logf("| %d entities | transactional %.1f s wall, %.1f s CPU (runs %v, %v) | bulk %.1f s wall, %.1f s CPU (runs %v, %v) | wall ratio %.2f×, CPU ratio %.2f× | order %s | same digest %v | %d cores, load %.1f %.1f %.1f |",
			scale, tm, tc, tSecs, tCPU, bm, bc, bSecs, bCPU, tm/bm, tc/bc, order, len(digests) == 1, runtime.NumCPU(), load[0], load[1], load[2])
		if len(digests) != 1 {
			b.Errorf("the runs built different graphs: digests %v", digests)
		}
		b.ReportMetric(tm/bm, "speedup")
	}
}

// digestStore starts Neo4j on a bulk-built data dir, digests its graph and stops it.
func digestStore(b *testing.B, dir, password string) string {
	script := repoFile(b, "scripts", "neo4j.sh")
	port, err := exec.Command(script, "freeport").Output()
	if err != nil {
		b.Fatal(err)
	}
	pid := filepath.Join(dir, "pid")
	cmd := exec.Command(script, "start", "--data-dir", dir, "--port", strings.TrimSpace(string(port)), "--pidfile", pid, "--log", filepath.Join(dir, "out"))
	cmd.Env = append(os.Environ(), "NEO4J_PASSWORD="+password, "NEO4J_START_TIMEOUT=900")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	uri, err := cmd.Output()
	if err != nil {
		b.Fatalf("start Neo4j on the bulk-built store: %v\n%s", err, stderr.String())
	}
	defer func() { _ = exec.Command(script, "stop", "--pidfile", pid).Run() }()
	db, err := neo4jdb.Open(neo4jdb.Config{URI: strings.TrimSpace(string(uri)), User: "neo4j", Password: password, Database: "neo4j"})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close(context.Background())
	ctx := context.Background()
	if err := db.WaitReady(ctx, 250*time.Millisecond); err != nil {
		b.Fatal(err)
	}
	d, err := bench.GraphDigest(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

func envInt(b *testing.B, key string, def int) int {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive number", key, v)
	}
	return n
}

func medianOf(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
