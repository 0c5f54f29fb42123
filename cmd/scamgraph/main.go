// Command scamgraph is the scamgraph service and its tools: it serves the
// investigator API, imports reports into the graph and applies the schema.
//
//	scamgraph serve                 serve the API (HTTP_ADDR, default 127.0.0.1:8080)
//	scamgraph import [flags] PATH…  import NDJSON/CSV files or directories
//	scamgraph export --format F     export as FtM, GEXF, GraphML, CSV or neo4j-admin CSV
//	scamgraph migrate               apply the schema (constraints, indexes)
//	scamgraph merge KEEP ID…        merge duplicates; --undo, --show, --not-same
//	scamgraph triage FILE           triage a new report against the graph
//	scamgraph version
//
// Settings come from the environment, after loading .env if present (the
// real environment wins); see .env.example.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/joho/godotenv"

	"github.com/scamgraph/scamgraph/internal/config"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.msg != "" {
				fmt.Fprintln(os.Stderr, "scamgraph:", ee.msg)
			}
			os.Exit(ee.code)
		}
		fmt.Fprintln(os.Stderr, "scamgraph:", err)
		os.Exit(1)
	}
}

// exitError carries an exit status; msg may be empty when the command has
// already said what went wrong.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageError(format string, args ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

// parseFlags gives fs the usage text of a subcommand (usage, the flags,
// then examples) and parses args. help says -h or --help was asked for: the
// usage is then printed on stdout (to be piped into grep or less) and the
// command ends without error. A bad flag is a usage error naming the
// command, with the flag package's message and the usage on stderr.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer, name, usage, examples string) (help bool, err error) {
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	defer fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), examples)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, werr := stdout.Write(buf.Bytes())
			return true, werr
		}
		_, _ = stderr.Write(buf.Bytes())
		return false, usageError("%s: %v", name, err)
	}
	return false, nil
}

const usage = `scamgraph: a graph of the networks behind Southeast Asia's scam compounds.

Usage:
  scamgraph serve                  serve the investigator API on HTTP_ADDR
  scamgraph import [flags] PATH…   import NDJSON/CSV files or directories
  scamgraph export --format F      export as ftm, gexf, graphml, csv or neo4j-admin
  scamgraph migrate                apply the schema (idempotent)
  scamgraph keys create|list|revoke  manage API keys and their roles
  scamgraph merge [flags] KEEP ID…  merge duplicates (--undo, --show, --not-same)
  scamgraph triage [flags] FILE    which known entities a new report names; a draft import file
  scamgraph version                print the version
  scamgraph help [COMMAND]         help for a command

Settings come from environment variables, after loading .env from the
working directory when present (variables already set win). See
.env.example for every variable and its default. Examples:

  scamgraph import data/sample                 # load the sample reports
  scamgraph import --dry-run report.ndjson     # what would change?
  NEO4J_URI=neo4j+s://xxxx.databases.neo4j.io scamgraph serve

Benchmarks are a command of their own, bin/scamgraph-bench (make bench),
because they empty the database they run on.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if err := godotenv.Load(); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read .env: %w", err)
	}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError("")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "--help":
		if len(rest) > 0 {
			return run(ctx, []string{rest[0], "--help"}, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return nil
	case "version", "--version":
		fmt.Fprintln(stdout, "scamgraph", version)
		return nil
	case "bench":
		// Gone from the service binary: it empties the database.
		return usageError("bench is a command of its own: bin/scamgraph-bench (make bench), which EMPTIES the database it is pointed at")
	case "generate":
		// Gone from the service binary: tools that are not the service are commands of their own.
		return usageError("generate is a command of its own: bin/scamgraph-gen (make tools)")
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	logger := newLogger(cfg, stderr)
	switch cmd {
	case "serve":
		return serve(ctx, cfg, logger, rest, stdout, stderr)
	case "import":
		return importCmd(ctx, cfg, logger, rest, stdout, stderr)
	case "export":
		return exportCmd(ctx, cfg, logger, rest, stdout, stderr)
	case "migrate":
		return migrate(ctx, cfg, logger, rest, stdout, stderr)
	case "keys":
		return keysCmd(ctx, cfg, logger, rest, stdout, stderr)
	case "merge":
		return mergeCmd(ctx, cfg, logger, rest, stdout, stderr)
	case "triage":
		return triageCmd(ctx, cfg, logger, rest, stdout, stderr)
	}
	fmt.Fprint(stderr, usage)
	return usageError("unknown command %q", cmd)
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
