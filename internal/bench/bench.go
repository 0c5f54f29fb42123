// Package bench measures scamgraph against Neo4j's own baselines on one
// embedded Neo4j, in one run: our importer against LOAD CSV … IN
// TRANSACTIONS of the same rows, and every API query against the same
// Cypher called through the driver (the graph/neo4jdb method the handler
// calls, with the domain query the handler builds from the URL, written
// beside the URL in each case). The API measured is the handler the caller
// passes in: cmd/scamgraph-bench passes the one `scamgraph serve` builds.
// Each figure is reported beside its baseline; on a shared, noisy machine
// the ratios are the figures to quote.
package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/generate"
)

// DefaultBatch is the importer's default batch size (IMPORT_BATCH_SIZE).
const DefaultBatch = 5000

// Config says what to measure.
type Config struct {
	Scale       int      // entities in the main graph
	Seed        int64    // generator seed
	WorkDir     string   // generated data goes here (reused when present)
	Bin         string   // the scamgraph binary, run as the importer
	Env         []string // NEO4J_* settings for the importer subprocess
	Requests    int      // measured requests per query case and side
	Clients     []int    // concurrency levels (default 1 and 8)
	BatchSizes  []int    // the importer batch-size sweep
	LoadSeconds int      // the throughput run's length
	SkipImport  bool     // reuse the loaded graph, measure queries only
	ImportRuns  int      // runs of each side at Scale, order alternating, medians compared (default 1)
	ScaleOnly   bool     // measure import memory at Scale only, not also at Scale/4 and Scale/2
	Hey         string   // the hey binary: when set, throughput is also measured with it
	// Handler is the API measured, served on loopback: the handler `scamgraph
	// serve` builds over the same database, rate limits lifted.
	Handler http.Handler
	// RequestTimeout is the driver side's deadline for one call
	// (DefaultRequestTimeout when 0): the handler's HTTP_REQUEST_TIMEOUT.
	RequestTimeout time.Duration
	Log            io.Writer
	// Done, when set, receives each part of the result as soon as it is
	// measured (the import, then the queries with the throughput), so a
	// long run that is stopped keeps what it measured.
	Done func(part Result)
}

// Result is everything measured.
type Result struct {
	Date       string        `json:"date"`
	Machine    string        `json:"machine"`
	Scale      int           `json:"scale"`
	Import     *ImportResult `json:"import,omitempty"`
	Queries    []QueryResult `json:"queries"`
	Throughput *Throughput   `json:"throughput,omitempty"`
}

// ImportResult compares our importer with LOAD CSV on the same rows.
type ImportResult struct {
	Entities        int       `json:"entities"`
	Relationships   int       `json:"relationships"`    // typed relationships + MENTIONED_IN
	LoadCSVSeconds  float64   `json:"load_csv_seconds"` // the median of LoadCSVRuns
	ImporterSeconds float64   `json:"importer_seconds"` // the median of ImporterRuns
	LoadCSVRuns     []float64 `json:"load_csv_runs"`    // seconds of each run, in the order run
	ImporterRuns    []float64 `json:"importer_runs"`
	Order           string    `json:"order"` // the order the runs went in: L = LOAD CSV, I = importer
	Ratio           float64   `json:"ratio"` // LOAD CSV time / importer time: > 1 means we are faster
	NodesPerSec     float64   `json:"nodes_per_sec"`
	RelsPerSec      float64   `json:"relationships_per_sec"`
	// Digests are the graph digest (GraphDigest) after each run, in the
	// order run; SameGraph says every run of both sides built the same
	// graph, property for property.
	Digests   []string `json:"digests"`
	SameGraph bool     `json:"same_graph"`
	// Reimport is the importer run again on the same rows over the graph
	// its last run built: nothing may change.
	Reimport *ReimportResult `json:"reimport,omitempty"`
	Sweep    []SweepPoint    `json:"batch_sweep"`
	Memory   []MemoryPoint   `json:"memory"`
}

// ReimportResult is a re-import of unchanged data.
type ReimportResult struct {
	Seconds float64 `json:"seconds"`
	// Ratio is Seconds over the first import's median (ImporterSeconds).
	Ratio float64 `json:"ratio"`
	// Writes are the entities and relationships the importer reported
	// created or updated (0 when nothing changed).
	Writes int `json:"writes"`
	// SameGraph: the digest after it equals the one before.
	SameGraph bool `json:"same_graph"`
}

// SweepPoint is one batch size's import speed.
type SweepPoint struct {
	BatchSize  int     `json:"batch_size"`
	Records    int     `json:"records"`
	Seconds    float64 `json:"seconds"`
	RowsPerSec float64 `json:"rows_per_sec"`
}

// MemoryPoint is the importer's peak RSS at one input size.
type MemoryPoint struct {
	Entities int     `json:"entities"`
	Records  int     `json:"records"`
	PeakMiB  float64 `json:"peak_rss_mib"`
	Seconds  float64 `json:"seconds"`
}

// step logs a line of progress.
func (c Config) step(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, "bench: "+format+"\n", args...)
	}
}

// Run measures everything Config asks for.
func Run(ctx context.Context, db *neo4jdb.DB, cfg Config) (Result, error) {
	if len(cfg.Clients) == 0 {
		cfg.Clients = []int{1, 8}
	}
	if len(cfg.BatchSizes) == 0 {
		cfg.BatchSizes = []int{1000, DefaultBatch, 20000}
	}
	if cfg.Requests <= 0 {
		cfg.Requests = 200
	}
	if cfg.LoadSeconds <= 0 {
		cfg.LoadSeconds = 15
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	res := Result{Date: time.Now().UTC().Format("2006-01-02"), Machine: machine(), Scale: cfg.Scale}
	if !cfg.SkipImport {
		imp, err := runImport(ctx, db, cfg)
		if err != nil {
			return res, err
		}
		res.Import = &imp
		if cfg.Done != nil {
			cfg.Done(Result{Date: res.Date, Machine: res.Machine, Scale: res.Scale, Import: &imp})
		}
	} else {
		// The graph as loaded, whatever --scale says.
		st, err := db.Stats(ctx, graph.StatsQuery{})
		if err != nil {
			return res, fmt.Errorf("bench: count the loaded graph: %w", err)
		}
		res.Scale = st.Entities
	}
	qs, tp, err := runQueries(ctx, db, cfg)
	if err != nil {
		return res, err
	}
	res.Queries, res.Throughput = qs, tp
	if cfg.Done != nil {
		cfg.Done(Result{Date: res.Date, Machine: res.Machine, Scale: res.Scale, Queries: qs, Throughput: tp})
	}
	return res, nil
}

// dataset generates (or reuses) the data for n entities.
func dataset(cfg Config, n int) (string, generate.Counts, error) {
	dir := filepath.Join(cfg.WorkDir, fmt.Sprintf("seed%d-n%d", cfg.Seed, n))
	gcfg := generate.Config{Entities: n, Seed: cfg.Seed, RelsPerEntity: 3}
	if _, err := os.Stat(filepath.Join(dir, "done")); err == nil {
		// Counting is cheap: regenerate to io.Discard for the counts.
		counts, err := generate.WriteNDJSON(gcfg, io.Discard, io.Discard)
		return dir, counts, err
	}
	cfg.step("generating %d entities into %s", n, dir)
	counts, err := generate.WriteAll(gcfg, dir, []string{"ndjson", "loadcsv"})
	if err != nil {
		return "", counts, fmt.Errorf("generate %d: %w", n, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "done"), nil, 0o644); err != nil {
		return "", counts, err
	}
	return dir, counts, nil
}

func runImport(ctx context.Context, db *neo4jdb.DB, cfg Config) (ImportResult, error) {
	var out ImportResult
	sizes := []int{max(cfg.Scale/4, generate.MinEntities), max(cfg.Scale/2, generate.MinEntities), cfg.Scale}
	// Input sizes for the memory curve; the smallest also hosts the sweep.
	smaller := sizes[:2]
	if cfg.ScaleOnly {
		smaller = nil
	}
	for i, n := range smaller {
		dir, counts, err := dataset(cfg, n)
		if err != nil {
			return out, err
		}
		batches := []int{DefaultBatch}
		if i == 0 {
			batches = cfg.BatchSizes
			if !slices.Contains(batches, DefaultBatch) {
				batches = append(batches, DefaultBatch) // the memory curve's first point
			}
		}
		for _, bs := range batches {
			secs, rss, _, err := importOnce(ctx, db, cfg, filepath.Join(dir, "ndjson"), bs, true)
			if err != nil {
				return out, err
			}
			records := counts.Entities + counts.Relationships
			if i == 0 {
				out.Sweep = append(out.Sweep, SweepPoint{BatchSize: bs, Records: records, Seconds: secs, RowsPerSec: float64(records) / secs})
			}
			if bs == DefaultBatch {
				out.Memory = append(out.Memory, MemoryPoint{Entities: n, Records: records, PeakMiB: rss, Seconds: secs})
			}
		}
	}
	dir, counts, err := dataset(cfg, cfg.Scale)
	if err != nil {
		return out, err
	}
	out.Entities = counts.Entities
	out.Relationships = counts.Relationships + counts.Mentions

	// Each side warms up on its own (JIT, plan cache, connection pool) on
	// the smallest data set before any run is timed: otherwise the side run
	// first pays for both.
	wdir, _, err := dataset(cfg, generate.MinEntities)
	if err != nil {
		return out, err
	}
	cfg.step("warm-up of both import sides at %d entities (not timed)", generate.MinEntities)
	if _, err := loadCSVOnce(ctx, db, cfg, filepath.Join(wdir, "loadcsv")); err != nil {
		return out, err
	}
	if _, _, _, err := importOnce(ctx, db, cfg, filepath.Join(wdir, "ndjson"), DefaultBatch, true); err != nil {
		return out, err
	}

	// Baseline: LOAD CSV of the same rows into an empty database with
	// the same constraints and indexes. The runs go in counterbalanced
	// order (with 2 runs each: I L L I; the last run is always ours, so
	// its graph stays loaded for the re-import and the queries), the
	// medians are compared, and the graph each run built is digested.
	runs := max(cfg.ImportRuns, 1)
	var rss float64
	out.SameGraph = true
	for r := range runs {
		loadFirst := (runs-1-r)%2 == 0
		for _, load := range []bool{loadFirst, !loadFirst} {
			var secs float64
			if load {
				if secs, err = loadCSVOnce(ctx, db, cfg, filepath.Join(dir, "loadcsv")); err != nil {
					return out, err
				}
				out.LoadCSVRuns, out.Order = append(out.LoadCSVRuns, secs), out.Order+"L"
			} else {
				var peak float64
				if secs, peak, _, err = importOnce(ctx, db, cfg, filepath.Join(dir, "ndjson"), DefaultBatch, true); err != nil {
					return out, err
				}
				out.ImporterRuns, out.Order, rss = append(out.ImporterRuns, secs), out.Order+"I", max(rss, peak)
			}
			d, err := GraphDigest(ctx, db)
			if err != nil {
				return out, err
			}
			if len(out.Digests) > 0 && d != out.Digests[0] {
				cfg.step("WARNING: run %d (%s) built graph %s, the first run %s", len(out.Digests)+1, out.Order[len(out.Order)-1:], d, out.Digests[0])
				out.SameGraph = false
			}
			out.Digests = append(out.Digests, d)
		}
	}
	loadSecs, secs := median(out.LoadCSVRuns), median(out.ImporterRuns)
	out.LoadCSVSeconds, out.ImporterSeconds = loadSecs, secs
	out.Ratio = loadSecs / secs
	out.NodesPerSec = float64(out.Entities) / secs
	out.RelsPerSec = float64(out.Relationships) / secs
	out.Memory = append(out.Memory, MemoryPoint{Entities: cfg.Scale, Records: counts.Entities + counts.Relationships, PeakMiB: rss, Seconds: secs})

	// Re-import of the same rows over the graph the last run built.
	before := out.Digests[len(out.Digests)-1]
	rsecs, _, rep, err := importOnce(ctx, db, cfg, filepath.Join(dir, "ndjson"), DefaultBatch, false)
	if err != nil {
		return out, err
	}
	after, err := GraphDigest(ctx, db)
	if err != nil {
		return out, err
	}
	out.Reimport = &ReimportResult{Seconds: rsecs, Ratio: rsecs / secs, Writes: rep.Writes(), SameGraph: after == before}
	return out, nil
}

// loadCSVOnce empties the database and runs the LOAD CSV baseline on dir.
func loadCSVOnce(ctx context.Context, db *neo4jdb.DB, cfg Config, dir string) (float64, error) {
	if _, err := db.DeleteAll(ctx); err != nil {
		return 0, err
	}
	if err := db.ApplySchema(ctx); err != nil {
		return 0, err
	}
	cfg.step("LOAD CSV baseline: %s", dir)
	return loadCSV(ctx, db, dir)
}

// median of a few run times.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// importReport is the part of `scamgraph import --json` the harness reads.
type importReport struct {
	Entities      graph.WriteStats `json:"entities"`
	Relationships graph.WriteStats `json:"relationships"`
}

// Writes are the entities and relationships created or updated.
func (r importReport) Writes() int { return r.Entities.Changes() + r.Relationships.Changes() }

// importOnce runs the importer binary on dir (into an emptied database
// when empty is set), returning wall seconds, the process's peak RSS in
// MiB and its report.
func importOnce(ctx context.Context, db *neo4jdb.DB, cfg Config, dir string, batch int, empty bool) (float64, float64, importReport, error) {
	var rep importReport
	if empty {
		if _, err := db.DeleteAll(ctx); err != nil {
			return 0, 0, rep, err
		}
	}
	cfg.step("importer: %s, batch size %d, into %s database", dir, batch, map[bool]string{true: "an empty", false: "the loaded"}[empty])
	cmd := exec.CommandContext(ctx, cfg.Bin, "import", "--quiet", "--json", "--batch-size", fmt.Sprint(batch), dir)
	cmd.Env = append(os.Environ(), cfg.Env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, rep, fmt.Errorf("importer on %s: %w\n%s", dir, err, stderr.String())
	}
	secs := time.Since(start).Seconds()
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		return 0, 0, rep, fmt.Errorf("importer on %s: read its --json report: %w", dir, err)
	}
	rss := 0.0
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = float64(ru.Maxrss) / 1024 // Linux reports KiB
	}
	return secs, rss, rep, nil
}

// loadCSV serves dir on loopback (file URLs are disabled in our Neo4j, as
// in production) and runs its load.cypher, timing it.
func loadCSV(ctx context.Context, db *neo4jdb.DB, dir string) (float64, error) {
	script, err := os.ReadFile(filepath.Join(dir, "load.cypher"))
	if err != nil {
		return 0, fmt.Errorf("read load.cypher: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dir)), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	base := "http://" + ln.Addr().String() + "/"
	stmts := SplitStatements(strings.ReplaceAll(string(script), "'file:///", "'"+base))
	start := time.Now()
	if err := db.RunScript(ctx, stmts); err != nil {
		return 0, err
	}
	return time.Since(start).Seconds(), nil
}

// SplitStatements splits a Cypher script on semicolons that end a line,
// dropping // comment lines.
func SplitStatements(script string) []string {
	var out, cur []string
	for _, line := range strings.Split(script, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "//") {
			continue
		}
		cur = append(cur, line)
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(strings.Join(cur, "\n")), ";"))
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, strings.Join(cur, "\n"))
	}
	return out
}

// percentile returns the p-th percentile (0..100) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p / 100 * float64(len(sorted)-1))
	return sorted[i]
}

func sortDurations(d []time.Duration) {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
}

func machine() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s, %d cores, %s/%s, %s", host, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
}

// kindIDs samples ids of a kind, failing when there are none.
func kindIDs(ctx context.Context, db *neo4jdb.DB, k graph.Kind, n int) ([]string, error) {
	ids, err := db.SampleIDs(ctx, k, n)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("no %s entities in the graph to query", k)
	}
	return ids, nil
}

// GraphDigest is a SHA-256 over the whole graph in domain terms: every
// entity in id order (kinds, name, aliases, sources, properties) with the
// relationships that start at it (type, ends, key, evidence, dates,
// sources, properties), MENTIONED_IN included; only the created_at and
// updated_at timestamps are left out, and the lists that are sets in the
// domain (kinds, aliases, sources: merges take their union) are sorted, so
// LOAD CSV's file order and the importer's union order digest alike. Two
// loads with the same digest built the same graph, property for property.
func GraphDigest(ctx context.Context, db *neo4jdb.DB) (string, error) {
	h := sha256.New()
	enc := json.NewEncoder(h)
	set := func(xs []string) []string { return slices.Sorted(slices.Values(xs)) }
	err := db.Export(ctx, "", func(e graph.Entity, out []graph.Relationship) error {
		e.Kinds = slices.Sorted(slices.Values(e.Kinds))
		e.Aliases, e.Sources = set(e.Aliases), set(e.Sources)
		if err := enc.Encode(e); err != nil {
			return err
		}
		for _, r := range out {
			r.Sources = set(r.Sources)
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("bench: digest the graph: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
