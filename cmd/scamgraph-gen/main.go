// Command scamgraph-gen writes a seeded synthetic scam-network graph for
// load tests and benchmarks, in scamgraph's import format, as LOAD CSV
// input and as neo4j-admin import files. It needs no database. It is a
// command of its own, not a subcommand of the service binary: the tools
// that are not the service (this generator, scamgraph-bench) stay out of
// it.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/scamgraph/scamgraph/internal/generate"
)

const generateUsage = `Usage: scamgraph-gen [flags] --out DIR

Writes a synthetic scam-network graph for load tests and benchmarks. It
needs no database and no settings. The graph looks like the real one:
countries, hub provinces, ministries and a few landmark reports are
super-nodes; companies form ownership chains of 4 to 6 layers (offshore
shells in the middle) up to a tycoon; compounds are operated by companies or
tycoons and protected by officials; victim cohorts are held at and released
from compounds; raids, arrests, charges, sanctions and repatriations from
2015 to 2026 have subjects and the agencies that conducted them. Every
entity and relationship cites 1 to 3 sources.

Ids are gen:<kind>:<n>. The same --seed and --entities always give
byte-identical files. Memory stays small at any size.

Output, one subdirectory of --out per format:
  ndjson/   entities.ndjson (sources first) and relationships.ndjson,
            for "scamgraph import DIR/ndjson"
  loadcsv/  entities.csv, rels-<TYPE>.csv and load.cypher, a LOAD CSV
            baseline that builds the same graph
  admin/    nodes.csv, relationships.csv, mentions.csv and README.txt,
            for "neo4j-admin database import full"

Flags:
`

const generateExamples = `
Examples:
  scamgraph-gen --out /tmp/g10k --entities 10000
  scamgraph-gen --out /tmp/g1m --entities 1000000 --seed 7 --formats ndjson,admin
  scamgraph-gen --out /tmp/dense --entities 50000 --rels-per-entity 6 --json
  scamgraph import /tmp/g10k/ndjson          # then load it (bin/scamgraph)

Exit status: 0 written; 1 a write failed; 2 bad usage.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(os.Stderr, "scamgraph-gen:", string(ue))
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "scamgraph-gen:", err)
		os.Exit(1)
	}
}

// usageError is a bad command line (exit status 2).
type usageError string

func (e usageError) Error() string { return string(e) }

func usagef(format string, args ...any) error { return usageError(fmt.Sprintf(format, args...)) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("scamgraph-gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "directory to write into (created if missing; files in it are overwritten)")
	entities := fs.Int("entities", 10000, fmt.Sprintf("entities to generate, sources included (at least %d)", generate.MinEntities))
	seed := fs.Int64("seed", 1, "random seed; the same seed and size give the same files")
	rpe := fs.Float64("rels-per-entity", 3, "relationships per entity, derived MENTIONED_IN links not counted")
	formats := fs.String("formats", strings.Join(generate.Formats, ","), "comma-separated output formats: ndjson, loadcsv, admin")
	asJSON := fs.Bool("json", false, "print the counts as JSON on stdout (for scripts)")
	quiet := fs.Bool("quiet", false, "no progress output")
	fs.Usage = func() {
		fmt.Fprint(stderr, generateUsage)
		fs.PrintDefaults()
		fmt.Fprint(stderr, generateExamples)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError(err.Error())
	}
	switch {
	case fs.NArg() > 0:
		return usagef("unexpected argument %q (use --out DIR)", fs.Arg(0))
	case *out == "":
		fs.Usage()
		return usagef("--out DIR is required")
	case *entities < generate.MinEntities:
		return usagef("--entities must be at least %d", generate.MinEntities)
	case *rpe <= 0 || *rpe > 50:
		return usagef("--rels-per-entity must be above 0 and at most 50")
	}
	var fl []string
	for _, f := range strings.Split(*formats, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !slices.Contains(generate.Formats, f) {
			return usagef("unknown format %q (want %s)", f, strings.Join(generate.Formats, ", "))
		}
		fl = append(fl, f)
	}
	if len(fl) == 0 {
		return usagef("--formats names no format")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	cfg := generate.Config{Entities: *entities, Seed: *seed, RelsPerEntity: *rpe}
	start := time.Now()
	if !*quiet && *entities >= 100000 {
		last := time.Time{}
		cfg.Progress = func(phase string, done, total int) {
			if now := time.Now(); now.Sub(last) >= 2*time.Second || done == total {
				last = now
				fmt.Fprintf(stderr, "generate: %s %d/%d (%s)\n", phase, done, total, now.Sub(start).Round(100*time.Millisecond))
			}
		}
	}
	counts, err := generate.WriteAll(cfg, *out, fl)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			generate.Counts
			Seed    int64    `json:"seed"`
			Out     string   `json:"out"`
			Formats []string `json:"formats"`
			Seconds float64  `json:"seconds"`
		}{counts, *seed, *out, fl, time.Since(start).Seconds()})
	}
	fmt.Fprintf(stdout, "wrote %d entities, %d relationships (+%d MENTIONED_IN) to %s [%s] in %s\n",
		counts.Entities, counts.Relationships, counts.Mentions, *out, strings.Join(fl, ","), time.Since(start).Round(time.Millisecond))
	return nil
}
