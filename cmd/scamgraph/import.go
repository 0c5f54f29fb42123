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
	"strings"
	"time"

	"github.com/scamgraph/scamgraph/cmd/internal/wiring"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/config"
)

const importUsage = `Usage: scamgraph import [flags] PATH…

Imports investigation reports written as import files into the graph.
PATH is a .ndjson/.jsonl/.csv file or a directory of them (read in lexical
order, as one unit). The format is in docs/import-format.md.

It also reads what investigators already hold:
  --format ftm   FollowTheMoney entities, one per line (OpenSanctions'
                 entities.ftm.json, Aleph exports); *.ftm.json and
                 *.ftm.jsonl are found by name without the flag.
                 Mapping: docs/import-ftm.md.
  --format icij  a directory of ICIJ Offshore Leaks CSV files
                 (nodes-*.csv, relationships.csv). Mapping:
                 docs/import-icij.md.

Every record is validated first; a bad record is reported as
file:line: reason. By default any bad record means nothing is written and
the exit status is 1. Importing the same files again changes nothing.

A first load into an empty database can go through Neo4j's own batch
importer instead (--bulk, docs/import-bulk.md): the same validation, the
same graph, built offline. --out DIR writes the neo4j-admin files (for
neo4j-admin database import full on a stopped server); --data-dir DIR
also builds the store of the embedded Neo4j's data dir DIR (which must
not be running) and applies the schema. A database holding anything is
refused.

Flags:
`

const importExamples = `
Examples:
  scamgraph import data/sample
  scamgraph import --dry-run new-report.ndjson      # show what would change
  scamgraph import --skip-bad --json leak.csv | jq .problems
  scamgraph import --dry-run entities.ftm.json         # an OpenSanctions export
  scamgraph import --format icij offshore-leaks-csv/   # ICIJ's bulk CSV files
  scamgraph import --resolve --dry-run ofac.ndjson     # which records are entities we hold?
  scamgraph import --map ids.txt uk-list.ndjson        # ids.txt: "uk:12345 person:chen-zhi" per line
  scamgraph import --bulk --data-dir .data/neo4j big/  # a first load, before Neo4j starts on .data/neo4j
  scamgraph import --bulk --out import/ big/           # files for neo4j-admin database import full

Exit status: 0 imported; 1 bad records or a failure; 2 bad usage.
`

func importCmd(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dryRun := fs.Bool("dry-run", false, "validate and report what would be created and updated; write nothing")
	skipBad := fs.Bool("skip-bad", false, "import the good records even when some are bad (bad ones are still reported)")
	batch := fs.Int("batch-size", cfg.ImportBatchSize, "records per write transaction")
	asJSON := fs.Bool("json", false, "print the report as JSON on stdout (for scripts)")
	quiet := fs.Bool("quiet", false, "no progress output")
	format := fs.String("format", "", "read every PATH as this format: ndjson, csv, ftm or icij (default: from each file's name)")
	sourceDate := fs.String("source-date", "", "publication date (YYYY-MM-DD) of the sources of FtM datasets or ICIJ leaks whose records give none")
	resolve := fs.Bool("resolve", false, "match each new entity against the graph: a shared strong identifier (registration, passport ...) lands it on the stored entity; other likely matches are listed as candidates to review (never merged on a name alone)")
	mapFile := fs.String("map", "", "a file of `import-id stored-id` lines: records of the import id land on the stored entity (merge without review)")
	bulk := fs.Bool("bulk", false, "a first load into an empty database through Neo4j's batch importer (needs --out or --data-dir; docs/import-bulk.md)")
	var bf bulkFlags
	fs.StringVar(&bf.out, "out", "", "with --bulk: write the neo4j-admin files (CSV, import.args, schema.cypher) into this new or empty `DIR`")
	fs.StringVar(&bf.dataDir, "data-dir", "", "with --bulk: build the store of the embedded Neo4j's data `DIR` (Neo4j stopped) and apply the schema")
	cpuProfile := fs.String("cpuprofile", "", "write a Go CPU profile of the import to `FILE` (read it with go tool pprof bin/scamgraph FILE)")
	if help, err := parseFlags(fs, args, stdout, stderr, "import", importUsage, importExamples); help || err != nil {
		return err
	}
	stopProfile, err := wiring.StartCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError("import: name at least one file or directory")
	}
	if *batch < 1 || *batch > 100000 {
		return usageError("import: --batch-size must be from 1 to 100000")
	}
	f := importer.Format(strings.ToLower(*format))
	switch f {
	case "", importer.FormatNDJSON, importer.FormatCSV, importer.FormatFTM, importer.FormatICIJ:
	default:
		return usageError("import: --format must be ndjson, csv, ftm or icij, not %q", *format)
	}
	var srcDate graph.Date
	if *sourceDate != "" {
		d, err := graph.ParseDate(*sourceDate)
		if err != nil {
			return usageError("import: --source-date: %v", err)
		}
		srcDate = d
	}
	var idMap map[string]string
	if *mapFile != "" {
		mf, err := os.Open(*mapFile)
		if err != nil {
			return usageError("import: --map: %v", err)
		}
		idMap, err = graph.ParseIDMap(mf)
		mf.Close()
		if err != nil {
			return usageError("import: --map %s: %v", *mapFile, err)
		}
	}
	if !*bulk && (bf.out != "" || bf.dataDir != "") {
		return usageError("import: --out and --data-dir go with --bulk")
	}
	if *bulk && (*dryRun || *resolve || *mapFile != "") {
		return usageError("import: --bulk builds a new graph: --dry-run, --resolve and --map need one to compare with (validate with --dry-run without --bulk)")
	}
	if *bulk {
		var progress importer.Progress
		if !*quiet {
			progress = importer.NewProgress(stderr, isTerminal(stderr), 5*time.Second)
		}
		return bulkImport(ctx, bf, fs.Args(), importer.Options{
			BatchSize: *batch, SkipBad: *skipBad, DryRun: *dryRun, Progress: progress, Logger: logger,
			Format: f, SourceDate: srcDate, Resolve: *resolve, Map: idMap,
		}, *asJSON, *quiet, stdout, stderr)
	}
	db, err := openDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	if !*dryRun {
		if err := db.ApplySchema(ctx); err != nil {
			return err
		}
	}
	var progress importer.Progress
	if !*quiet {
		progress = importer.NewProgress(stderr, isTerminal(stderr), 5*time.Second)
	}
	// No Role: the CLI runs as the operator, who may write every field
	// (docs/security.md, "Imports and victims").
	im := importer.New(db, importer.Options{
		BatchSize: *batch, SkipBad: *skipBad, DryRun: *dryRun, Progress: progress, Logger: logger,
		Format: f, SourceDate: srcDate,
		Resolve: *resolve, Map: idMap,
	})
	rep, err := im.ImportPaths(ctx, fs.Args())
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		out := struct {
			importer.Report
			OK    bool   `json:"ok"`
			Error string `json:"error,omitempty"`
		}{Report: rep, OK: err == nil}
		if err != nil {
			out.Error = err.Error()
		}
		if eerr := enc.Encode(out); eerr != nil {
			return fmt.Errorf("write report: %w", eerr)
		}
	} else {
		printReport(stdout, rep, err)
	}
	printNotes(stderr, rep)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	return nil
}

// printNotes writes a report's problems, resolutions, candidates and
// warnings to stderr.
func printNotes(stderr io.Writer, rep importer.Report) {
	for _, p := range rep.Problems {
		fmt.Fprintln(stderr, p.String())
	}
	if rep.Rejected > len(rep.Problems) {
		fmt.Fprintf(stderr, "… and %d more bad records\n", rep.Rejected-len(rep.Problems))
	}
	for _, r := range rep.Resolved {
		fmt.Fprintln(stderr, "resolved: "+r.String())
	}
	for _, c := range rep.Candidates {
		for _, m := range c.Candidates {
			fmt.Fprintf(stderr, "candidate: %s:%d: %s (%q) may be %s (%q), score %.2f\n", c.File, c.Line, c.ID, c.Name, m.ID, m.Name, m.Score.Score)
		}
	}
	for _, p := range rep.Warnings {
		fmt.Fprintln(stderr, "warning: "+p.String())
	}
	if rep.Duplicates > len(rep.Warnings) {
		fmt.Fprintf(stderr, "… and %d more duplicates\n", rep.Duplicates-len(rep.Warnings))
	}
}

func printReport(w io.Writer, rep importer.Report, err error) {
	verb := "imported"
	switch {
	case errors.Is(err, importer.ErrRejected):
		verb = "REJECTED (nothing written)"
	case err != nil:
		verb = "FAILED"
	case rep.DryRun:
		verb = "dry run (nothing written)"
	}
	fmt.Fprintf(w, "%s: %d files, %d records, %d rejected, in %s\n", verb, len(rep.Files), rep.Records, rep.Rejected, rep.Duration.Round(time.Millisecond))
	fmt.Fprintf(w, "%-14s %8s %8s %10s\n", "", "created", "updated", "unchanged")
	fmt.Fprintf(w, "%-14s %8d %8d %10d\n", "entities", rep.Entities.Created, rep.Entities.Updated, rep.Entities.Unchanged)
	fmt.Fprintf(w, "%-14s %8d %8d %10d\n", "relationships", rep.Relationships.Created, rep.Relationships.Updated, rep.Relationships.Unchanged)
	fmt.Fprintf(w, "changes: %d (each entity and relationship counted once; %d duplicate records merged)\n", rep.Changes(), rep.Duplicates)
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
