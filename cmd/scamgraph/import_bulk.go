package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/scamgraph/scamgraph/importer"
)

// bulkFlags are import's flags for a first load (docs/import-bulk.md).
type bulkFlags struct {
	out     string // where the neo4j-admin files go
	dataDir string // the embedded launcher's data dir whose store is built
}

// bulkImport validates paths as a transactional import into an empty
// graph would, writes the neo4j-admin files and, with --data-dir, builds
// the embedded launcher's store from them (scripts/neo4j.sh bulk-import).
func bulkImport(ctx context.Context, b bulkFlags, paths []string, opts importer.Options, asJSON, quiet bool, stdout, stderr io.Writer) error {
	if b.out == "" && b.dataDir == "" {
		return usageError("import: --bulk needs --out DIR (the neo4j-admin files) or --data-dir DIR (the embedded Neo4j's data dir, built offline), or both")
	}
	if b.dataDir != "" {
		// Refuse a database that holds anything before reading the input.
		if err := runBulkScript(ctx, quiet, stderr, "--check", "--data-dir", b.dataDir); err != nil {
			return &exitError{code: 1, msg: err.Error()}
		}
	}
	out, keep := b.out, true
	if out == "" {
		// Beside the store, on the same disk; removed once the store is built.
		if err := os.MkdirAll(b.dataDir, 0o755); err != nil {
			return err
		}
		tmp, err := os.MkdirTemp(b.dataDir, "bulk-import-")
		if err != nil {
			return err
		}
		out, keep = tmp, false
		defer os.RemoveAll(tmp)
	}
	start := time.Now()
	rep, res, err := importer.Bulk(ctx, paths, opts, out)
	summary := struct {
		importer.Report
		Bulk        importer.BulkResult `json:"bulk"`
		DataDir     string              `json:"data_dir,omitempty"`
		StoreBuilt  bool                `json:"store_built"`
		FilesKept   bool                `json:"files_kept"`
		WallSeconds float64             `json:"wall_seconds"`
		OK          bool                `json:"ok"`
		Error       string              `json:"error,omitempty"`
	}{Report: rep, Bulk: res, DataDir: b.dataDir, FilesKept: keep}
	if err == nil && b.dataDir != "" {
		err = buildStore(ctx, b.dataDir, out, quiet, stderr)
		summary.StoreBuilt = err == nil
	}
	summary.WallSeconds, summary.OK = time.Since(start).Seconds(), err == nil
	if err != nil {
		summary.Error = err.Error()
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if eerr := enc.Encode(summary); eerr != nil {
			return fmt.Errorf("write report: %w", eerr)
		}
	} else {
		printReport(stdout, rep, err)
		if err == nil {
			fmt.Fprintf(stdout, "bulk: %d nodes, %d relationships in %d files", res.Nodes, res.Relationships, len(res.Files))
			if keep {
				fmt.Fprintf(stdout, " in %s", out)
			}
			fmt.Fprintln(stdout)
			switch {
			case b.dataDir != "":
				fmt.Fprintf(stdout, "bulk: store built in %s with the schema (start Neo4j on it: scripts/neo4j.sh start --data-dir %s ...)\n", b.dataDir, b.dataDir)
			default:
				fmt.Fprintf(stdout, "bulk: load them into a stopped, empty Neo4j with\n  neo4j-admin database import full neo4j @%s\nthen start it and run scamgraph migrate (docs/import-bulk.md)\n", res.Args)
			}
		}
	}
	printNotes(stderr, rep)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	return nil
}

// buildStore runs scripts/neo4j.sh bulk-import: Neo4j's batch importer and
// our schema, offline, on dataDir.
func buildStore(ctx context.Context, dataDir, files string, quiet bool, stderr io.Writer) error {
	return runBulkScript(ctx, quiet, stderr, "--data-dir", dataDir, "--from", files)
}

// runBulkScript runs scripts/neo4j.sh bulk-import with args.
func runBulkScript(ctx context.Context, quiet bool, stderr io.Writer, args ...string) error {
	script, err := neo4jScript()
	if err != nil {
		return err
	}
	dataDir := args[slices.Index(args, "--data-dir")+1]
	cmd := exec.CommandContext(ctx, script, append([]string{"bulk-import"}, args...)...)
	var tail bytes.Buffer
	cmd.Stdout = io.Discard
	if quiet {
		cmd.Stderr = &tail
	} else {
		cmd.Stderr = io.MultiWriter(stderr, &tail)
	}
	if err := cmd.Run(); err != nil {
		msg := lastLines(tail.String(), 1)
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 5 { // refused: not empty, or in use
			return fmt.Errorf("bulk: %s", strings.TrimPrefix(msg, "neo4j-bulk: "))
		}
		return fmt.Errorf("bulk: building the store in %s failed (%v): %s", dataDir, err, lastLines(tail.String(), 5))
	}
	return nil
}

// neo4jScript finds scripts/neo4j.sh: NEO4J_SH, else beside the binary's
// checkout (bin/scamgraph -> scripts/neo4j.sh), else the working
// directory's.
func neo4jScript() (string, error) {
	if s := os.Getenv("NEO4J_SH"); s != "" {
		return s, nil
	}
	var tried []string
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), "..", "scripts", "neo4j.sh")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		tried = append(tried, p)
	}
	p := filepath.Join("scripts", "neo4j.sh")
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	tried = append(tried, p)
	return "", fmt.Errorf("bulk: --data-dir needs scripts/neo4j.sh (the embedded Neo4j's script); not found at %s: set NEO4J_SH", strings.Join(tried, " or "))
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
