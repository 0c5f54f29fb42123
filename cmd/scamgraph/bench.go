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
	"path/filepath"
	"strconv"
	"strings"

	"github.com/scamgraph/scamgraph/internal/bench"
	"github.com/scamgraph/scamgraph/internal/config"
)

const benchUsage = `Usage: scamgraph bench [flags]

Measures scamgraph against Neo4j's own baselines on the Neo4j at NEO4J_URI,
which it EMPTIES first: use a throwaway database (make bench starts one).

  import   our importer vs LOAD CSV ... IN TRANSACTIONS of the same generated
           rows into an empty database with the same constraints; a batch-size
           sweep; the importer's peak RSS at three input sizes
  queries  p50/p99 of each API query vs the same call through the driver, at
           1 and 8 concurrent clients
  load     API requests/s on loopback with 8 clients, errors counted

Flags:
`

func benchCmd(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scale := fs.Int("scale", 100000, "entities in the generated graph")
	seed := fs.Int64("seed", 42, "generator seed")
	work := fs.String("work-dir", ".data/bench", "where generated data is kept (reused across runs)")
	requests := fs.Int("requests", 200, "measured requests per query, per side and concurrency")
	loadSecs := fs.Int("load-seconds", 15, "length of the throughput run")
	queriesOnly := fs.Bool("queries-only", false, "skip the import benchmarks and query the graph as loaded")
	scaleOnly := fs.Bool("scale-only", false, "import only at --scale: no sweep, no memory points at a quarter and half of it")
	hey := fs.String("hey", "", "path of a `hey` binary (github.com/rakyll/hey; make bench builds it from go.mod's tool):\nthe throughput run is repeated with it as an outside load generator")
	sweep := fs.String("sweep", "1000,5000,20000", "comma-separated batch sizes for the sweep (run at a quarter of --scale)")
	asJSON := fs.Bool("json", false, "print the result as JSON instead of tables")
	fs.Usage = func() {
		fmt.Fprint(stderr, benchUsage)
		fs.PrintDefaults()
		fmt.Fprint(stderr, "\nExample:\n  make bench SCALE=100000\n")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError("bench: %v", err)
	}
	if *scale < 1000 {
		return usageError("bench: --scale must be at least 1000")
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("bench: find own binary: %w", err)
	}
	db, err := openDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	if err := db.ApplySchema(ctx); err != nil {
		return err
	}
	var sizes []int
	for _, f := range strings.Split(*sweep, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 100000 {
			return usageError("bench: --sweep takes batch sizes from 1 to 100000, comma-separated")
		}
		sizes = append(sizes, n)
	}
	absWork, err := filepath.Abs(*work)
	if err != nil {
		return err
	}
	res, err := bench.Run(ctx, db, bench.Config{
		Scale: *scale, Seed: *seed, WorkDir: absWork, Bin: self,
		Env: []string{"NEO4J_URI=" + cfg.Neo4jURI, "NEO4J_USER=" + cfg.Neo4jUser,
			"NEO4J_PASSWORD=" + cfg.Neo4jPassword, "NEO4J_DATABASE=" + cfg.Neo4jDatabase, "LOG_LEVEL=warn"},
		Requests: *requests, LoadSeconds: *loadSecs, BatchSizes: sizes, ScaleOnly: *scaleOnly, SkipImport: *queriesOnly, Hey: *hey, Log: stderr,
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
