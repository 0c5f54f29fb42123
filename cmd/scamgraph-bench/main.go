// Command scamgraph-bench measures scamgraph against Neo4j's own baselines
// on the Neo4j at NEO4J_URI, WHICH IT EMPTIES FIRST. It is a command of its
// own, not a subcommand of the service binary, so that nothing an operator
// runs against a real database can wipe it by a slip of the keyboard.
// `make bench SCALE=N` builds it and runs it on a throwaway embedded Neo4j.
//
// The API it measures is the handler `scamgraph serve` builds
// (cmd/internal/wiring: audit log, metrics, guards), rate limits lifted;
// the importer it measures is bin/scamgraph import, run as a subprocess.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/joho/godotenv"

	"github.com/scamgraph/scamgraph/cmd/internal/wiring"
	"github.com/scamgraph/scamgraph/internal/bench"
	"github.com/scamgraph/scamgraph/internal/config"
	"github.com/scamgraph/scamgraph/internal/metrics"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			if ue != "" {
				fmt.Fprintln(os.Stderr, "scamgraph-bench:", string(ue))
			}
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "scamgraph-bench:", err)
		os.Exit(1)
	}
}

// usageError is a bad command line (exit status 2).
type usageError string

func (e usageError) Error() string { return string(e) }

const usage = `Usage: scamgraph-bench [flags]

Measures scamgraph against Neo4j's own baselines.

  WARNING: it EMPTIES the Neo4j at NEO4J_URI (every node, relationship and
  API key) before it loads its generated graph. Point it only at a
  throwaway database: make bench starts one of its own on a free port.

What it measures, each beside its baseline, on the same database:

  import   bin/scamgraph import vs LOAD CSV ... IN TRANSACTIONS of the same
           generated rows into an empty database with the same constraints:
           each side warmed up on its own first, then --import-runs of each
           in counterbalanced order (I L L I), medians compared, the graph
           of every run digested (property for property) and compared;
           then a re-import of the same rows over the loaded graph (time,
           writes, digest unchanged); a batch-size sweep; the importer's
           peak RSS at three input sizes
  queries  p50/p99 of each API query vs the same domain query through the
           driver, at 1 and 8 concurrent clients. The API is the handler
           scamgraph serve builds (audit log, metrics, key checks), with
           rate limits lifted. Each side warms up on its own; the side
           measured first alternates from block to block of requests;
           errors are counted per side and void that row's ratios
  load     requests/s with 8 clients over a mix of routes, through the API
           and through the driver (halves ordered API, driver, driver, API);
           with --hey, the API again from hey: 8 processes of one client,
           one request of the mix each

Settings come from the environment, after loading .env when present, as
for scamgraph serve: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE,
LOG_LEVEL and the API's settings, except that the rate limits are lifted,
HTTP_REQUEST_TIMEOUT is --request-timeout and the audit log goes to
--work-dir/audit.log (emptied at the start). Tables go to stdout as they
are measured (Markdown, as docs/benchmarks.md keeps them), progress to
stderr; --json prints one JSON document at the end instead.

Flags:
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("scamgraph-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scale := fs.Int("scale", 100000, "entities in the generated graph (at least 1000)")
	seed := fs.Int64("seed", 42, "generator seed")
	work := fs.String("work-dir", ".data/bench", "where generated data and the audit log are kept (data reused across runs)")
	requests := fs.Int("requests", 200, "measured requests per query, per side and concurrency")
	loadSecs := fs.Int("load-seconds", 15, "length of the throughput run")
	queriesOnly := fs.Bool("queries-only", false, "skip the import benchmarks and query the graph as loaded (nothing is emptied)")
	importRuns := fs.Int("import-runs", 2, "runs of LOAD CSV and of the importer at --scale, in counterbalanced order (2: I L L I); medians compared")
	scaleOnly := fs.Bool("scale-only", false, "import only at --scale: no sweep, no memory points at a quarter and half of it")
	hey := fs.String("hey", "", "path of a `hey` binary (github.com/rakyll/hey; make bench builds it from go.mod's tool):\nthe throughput run is repeated with it as an outside load generator")
	sweep := fs.String("sweep", "1000,5000,20000", "comma-separated batch sizes for the sweep (run at a quarter of --scale)")
	importer := fs.String("scamgraph", "", "the scamgraph binary run as the importer (default: scamgraph beside this binary)")
	timeout := fs.Duration("request-timeout", bench.DefaultRequestTimeout, "deadline of one measured call, on both sides (the API's HTTP_REQUEST_TIMEOUT)")
	asJSON := fs.Bool("json", false, "print the result as one JSON document instead of tables (for scripts)")
	cpuProfile := fs.String("cpuprofile", "", "write a Go CPU profile of this process (the API as served and the driver side) to `FILE`\n(read it with go tool pprof bin/scamgraph-bench FILE)")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
		fmt.Fprint(stderr, "\nExamples:\n  make bench SCALE=100000                       # a throwaway Neo4j, then this\n"+
			"  NEO4J_URI=bolt://127.0.0.1:7700 bin/scamgraph-bench --scale 2000 --requests 20 --json\n")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError(err.Error())
	}
	if fs.NArg() > 0 {
		return usageError(fmt.Sprintf("takes no arguments, got %q (see --help)", fs.Args()))
	}
	if *scale < 1000 {
		return usageError("--scale must be at least 1000")
	}
	if *requests < 1 || *loadSecs < 1 || *importRuns < 1 || *timeout <= 0 {
		return usageError("--requests, --load-seconds, --import-runs and --request-timeout must be positive")
	}
	var sizes []int
	for _, f := range strings.Split(*sweep, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 100000 {
			return usageError("--sweep takes batch sizes from 1 to 100000, comma-separated")
		}
		sizes = append(sizes, n)
	}
	bin, err := importerBinary(*importer)
	if err != nil {
		return err
	}
	absWork, err := filepath.Abs(*work)
	if err != nil {
		return err
	}
	if err := godotenv.Load(); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read .env: %w", err)
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return usageError(err.Error())
	}
	// The API as served, but for the rate limits (they would measure
	// themselves) and the deadline, which both sides share.
	cfg.RateLimitRPS, cfg.RateLimitIPRPS, cfg.RateLimitBurst = 1e6, 1e6, 1_000_000
	cfg.RequestTimeout = *timeout
	// The service's log as configured (make bench sets LOG_LEVEL=warn,
	// which leaves out the access log's line per request).
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))

	m := metrics.New()
	db, err := wiring.OpenDB(ctx, cfg, logger, m)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	if err := db.ApplySchema(ctx); err != nil {
		return err
	}
	auditPath := filepath.Join(absWork, "audit.log")
	if err := os.Remove(auditPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	auditLog, closeAudit, err := wiring.OpenAuditLog(auditPath, stderr)
	if err != nil {
		return err
	}
	defer closeAudit()
	stopProfile, err := wiring.StartCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	handler := wiring.MainHandler(cfg, wiring.NewAPI(cfg, db, m, logger, auditLog), m)

	res, err := bench.Run(ctx, db, bench.Config{
		Scale: *scale, Seed: *seed, WorkDir: absWork, Bin: bin,
		Env: []string{"NEO4J_URI=" + cfg.Neo4jURI, "NEO4J_USER=" + cfg.Neo4jUser,
			"NEO4J_PASSWORD=" + cfg.Neo4jPassword, "NEO4J_DATABASE=" + cfg.Neo4jDatabase, "LOG_LEVEL=warn"},
		Requests: *requests, LoadSeconds: *loadSecs, BatchSizes: sizes, ScaleOnly: *scaleOnly, SkipImport: *queriesOnly, ImportRuns: *importRuns,
		Hey: *hey, Log: stderr, Handler: handler, RequestTimeout: *timeout,
		Done: func(part bench.Result) {
			if !*asJSON {
				bench.WriteMarkdown(stdout, part) // each part as soon as it is measured
			}
		},
	})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return nil
}

// importerBinary is the scamgraph binary to run as the importer: the
// flag's, or scamgraph in this binary's directory (bin/).
func importerBinary(flagged string) (string, error) {
	p := flagged
	if p == "" {
		self, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("find own binary: %w", err)
		}
		p = filepath.Join(filepath.Dir(self), "scamgraph")
	}
	st, err := os.Stat(p)
	if err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		return "", usageError(fmt.Sprintf("no scamgraph binary at %s to run as the importer (make build, or --scamgraph PATH)", p))
	}
	return filepath.Abs(p)
}
