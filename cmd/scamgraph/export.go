package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/scamgraph/scamgraph/export"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/config"
)

const exportUsage = `Usage: scamgraph export --format FORMAT [flags]

Writes the graph (or part of it) in a format other tools read; the
mapping of each format is in docs/export.md. The graph is read a page at
a time and written as it is read: memory stays flat on any size.

Formats:
  ftm          FollowTheMoney entities, one JSON object a line (Aleph,
               OpenSanctions tools, followthemoney itself)
  gexf         GEXF 1.3 for Gephi (dynamic: since/until and event dates
               drive Gephi's timeline)
  graphml      GraphML with typed keys (yEd, Cytoscape desktop, networkx)
  csv          nodes.csv and edges.csv for spreadsheets (formula cells
               neutralised)
  neo4j-admin  nodes.csv and relationships.csv for
               neo4j-admin database import full (command in docs/export.md)

ftm, gexf and graphml write one file: --out FILE, or stdout. csv and
neo4j-admin write two: --out DIR (created), --out FILE.zip, or a zip
archive on stdout.

Flags:
`

const exportExamples = `
Examples:
  scamgraph export --format gexf --out network.gexf
  scamgraph export --format ftm --kind person,company --as-of 2025-10-14 > entities.ftm.json
  scamgraph export --format graphml --from person:chen-zhi --depth 2 --out chen-zhi.graphml
  scamgraph export --format neo4j-admin --out import/
  scamgraph export --format csv --redact --out shareable.zip   # victims as readers see them

Exit status: 0 written; 1 a failure; 2 bad usage.
`

func exportCmd(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "", "ftm, gexf, graphml, csv or neo4j-admin (required)")
	asOfFlag := fs.String("as-of", "", "only what was known and true on this date (YYYY-MM-DD)")
	kinds := fs.String("kind", "", "only entities of these kinds, comma-separated (person,company,…)")
	from := fs.String("from", "", "only entities within --depth hops of this entity id")
	depth := fs.Int("depth", 0, fmt.Sprintf("hops from --from, 1 to %d (default %d)", graph.MaxExportDepth, graph.DefaultExportDepth))
	prefix := fs.String("id-prefix", "", "only entities whose id starts with this (ftm: for what came from FollowTheMoney)")
	out := fs.String("out", "", "FILE (one-file formats), DIR or FILE.zip (csv, neo4j-admin); default stdout")
	redact := fs.Bool("redact", false, "victims' personal fields as readers see them (for sharing outside the team)")
	asJSON := fs.Bool("json", false, "print what was written as JSON on stdout (needs --out)")
	quiet := fs.Bool("quiet", false, "no progress output")
	if help, err := parseFlags(fs, args, stdout, stderr, "export", exportUsage, exportExamples); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("export: unexpected argument %q (the output goes to --out)", fs.Arg(0))
	}
	f, ok := graph.ParseExportFormat(*format)
	if !ok {
		fs.Usage()
		return usageError("export: --format must be one of ftm, gexf, graphml, csv, neo4j-admin")
	}
	q := graph.ExportQuery{Format: f, From: *from, Depth: *depth, Prefix: *prefix, Role: graph.RoleAdmin}
	if *redact {
		q.Role = graph.RoleReader
	}
	if *asOfFlag != "" {
		d, err := graph.ParseDate(*asOfFlag)
		if err != nil {
			return usageError("export: --as-of: %v", err)
		}
		q.AsOf = &d
	}
	for _, k := range strings.Split(*kinds, ",") {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		kind, ok := graph.ParseKind(k)
		if !ok {
			return usageError("export: --kind: %q is not a kind (%s)", k, graph.KindNames(graph.AllKinds()))
		}
		q.Kinds = append(q.Kinds, kind)
	}
	if _, err := q.Normalize(); err != nil {
		return usageError("export: --%v", err)
	}
	if *asJSON && *out == "" {
		return usageError("export: --json needs --out (stdout holds the export)")
	}

	db, err := openDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())

	sink, closeOut, err := openSink(f, *out, stdout)
	if err != nil {
		return err
	}
	var progress export.Progress
	if !*quiet {
		last := time.Now()
		progress = func(ents, rels int) {
			if time.Since(last) >= 2*time.Second {
				last = time.Now()
				fmt.Fprintf(stderr, "export: %d entities, %d relationships\n", ents, rels)
			}
		}
	}
	start := time.Now()
	st, err := export.Run(ctx, db, q, sink, progress)
	if cerr := sink.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if cerr := closeOut(); cerr != nil && err == nil {
		err = cerr
	}
	if err != nil {
		return &exitError{code: 1, msg: "export: " + err.Error()}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			export.Stats
			Out     string  `json:"out"`
			Seconds float64 `json:"seconds"`
		}{st, *out, time.Since(start).Seconds()})
	}
	if !*quiet {
		fmt.Fprintf(stderr, "export: %s: %d entities, %d relationships in %s\n", f, st.Entities, st.Relationships, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// openSink is where the export goes: a file or stdout for one-file
// formats; a directory, a .zip file or a zip on stdout for the others.
func openSink(f graph.ExportFormat, out string, stdout io.Writer) (export.Sink, func() error, error) {
	none := func() error { return nil }
	if out == "" || out == "-" {
		if export.SingleFile(f) {
			return export.StreamSink(stdout), none, nil
		}
		if isTerminal(stdout) {
			return nil, nil, usageError("export: %s writes several files: give --out DIR or --out FILE.zip (or redirect stdout)", f)
		}
		return export.ZipSink(stdout), none, nil
	}
	if !export.SingleFile(f) && !strings.HasSuffix(strings.ToLower(out), ".zip") {
		s, err := export.DirSink(out)
		return s, none, err
	}
	file, err := os.Create(out)
	if err != nil {
		return nil, nil, fmt.Errorf("export: %w", err)
	}
	if export.SingleFile(f) {
		return export.StreamSink(file), file.Close, nil
	}
	return export.ZipSink(file), file.Close, nil
}
