package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/internal/generate"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// binary builds bin/scamgraph once per test run.
func binary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "scamgraph")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, bin string, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Dir = t.TempDir() // no .env there
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return result{code, so.String(), se.String()}
}

func neo4jEnv(t *testing.T) []string {
	cfg := neo4jtest.Config(t)
	return []string{"NEO4J_URI=" + cfg.URI, "NEO4J_USER=" + cfg.User, "NEO4J_PASSWORD=" + cfg.Password, "LOG_LEVEL=warn"}
}

func TestCLIUsage(t *testing.T) {
	bin := binary(t)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"no command", nil, 2, "Usage:"},
		{"help", []string{"help"}, 0, "scamgraph import"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"import help teaches", []string{"import", "--help"}, 0, "Examples:"},
		{"import without paths", []string{"import"}, 2, "name at least one file"},
		{"bad flag", []string{"import", "--nope", "x"}, 2, "flag provided but not defined"},
		{"import help names the FtM and ICIJ formats", []string{"import", "--help"}, 0, "--format icij"},
		{"unknown import format", []string{"import", "--format", "xml", "x"}, 2, "--format must be ndjson, csv, ftm or icij"},
		{"bad source date", []string{"import", "--source-date", "soon", "x"}, 2, "--source-date"},
		{"import help offers a CPU profile", []string{"import", "--help"}, 0, "-cpuprofile FILE"},
		{"cpu profile that cannot be written", []string{"import", "--cpuprofile", "/nonexistent-dir/x.prof", "x"}, 1, "cpu profile"},
		{"malformed setting named", []string{"import", "x"}, 2, "NEO4J_URI"},
		{"bench is not a subcommand", []string{"bench", "--scale", "1000"}, 2, "bin/scamgraph-bench"},
		{"generate is not a subcommand", []string{"generate", "--out", "/tmp/x"}, 2, "bin/scamgraph-gen"},
		{"serve help names /metrics", []string{"serve", "--help"}, 0, "METRICS_ADDR"},
		{"export help teaches", []string{"export", "--help"}, 0, "neo4j-admin database import full"},
		{"export without a format", []string{"export"}, 2, "--format must be one of"},
		{"unknown export format", []string{"export", "--format", "xlsx"}, 2, "--format must be one of"},
		{"export depth without from", []string{"export", "--format", "ftm", "--depth", "2"}, 2, "depth: needs from"},
		{"export bad kind", []string{"export", "--format", "gexf", "--kind", "dragon"}, 2, "not a kind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var env []string
			if tc.name == "malformed setting named" {
				env = []string{"NEO4J_URI=http://nope"}
			}
			r := runCLI(t, bin, env, tc.args...)
			if r.code != tc.wantCode {
				t.Errorf("exit %d, want %d\n%s%s", r.code, tc.wantCode, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout+r.stderr, tc.wantOut) {
				t.Errorf("output does not mention %q:\n%s%s", tc.wantOut, r.stdout, r.stderr)
			}
		})
	}
}

// TestHelpGoesToStdout: every subcommand's --help, and help COMMAND, print
// the usage on stdout (to be piped into grep or less) and nothing on
// stderr; a bad flag still prints it on stderr.
func TestHelpGoesToStdout(t *testing.T) {
	bin := binary(t)
	for _, args := range [][]string{
		{"import", "--help"}, {"help", "import"}, {"export", "-h"}, {"merge", "--help"}, {"help", "triage"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := runCLI(t, bin, nil, args...)
			cmd := args[0]
			if cmd == "help" {
				cmd = args[1]
			}
			if r.code != 0 || !strings.Contains(r.stdout, "Usage:") || !strings.Contains(r.stdout, "scamgraph "+cmd) || r.stderr != "" {
				t.Errorf("exit %d; stdout %d bytes (want the usage), stderr %q (want nothing)", r.code, len(r.stdout), r.stderr)
			}
		})
	}
	t.Run("a bad flag: usage on stderr", func(t *testing.T) {
		r := runCLI(t, bin, nil, "import", "--nope", "x")
		if r.code != 2 || !strings.Contains(r.stderr, "Usage: scamgraph import") || r.stdout != "" {
			t.Errorf("exit %d; stdout %q; stderr %q", r.code, r.stdout, r.stderr)
		}
	})
}

// TestHelpOffersNothingDestructive: no command the service binary lists
// empties the database (benchmarks are bin/scamgraph-bench).
func TestHelpOffersNothingDestructive(t *testing.T) {
	r := runCLI(t, binary(t), nil, "help")
	if r.code != 0 {
		t.Fatalf("help: exit %d\n%s", r.code, r.stderr)
	}
	var commands []string
	for _, line := range strings.Split(r.stdout, "\n") {
		if rest, ok := strings.CutPrefix(line, "  scamgraph "); ok {
			cmd := strings.Fields(rest)[0]
			commands = append(commands, cmd)
			if cmd == "bench" || strings.Contains(strings.ToLower(line), "empties") {
				t.Errorf("help offers %q", line)
			}
		}
	}
	for _, want := range []string{"serve", "import", "migrate", "keys", "version"} {
		if !slices.Contains(commands, want) {
			t.Errorf("help lists %v, without %s", commands, want)
		}
	}
}

func TestCLIImport(t *testing.T) {
	db := neo4jtest.Open(t)
	bin := binary(t)
	env := neo4jEnv(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	dir := neo4jtest.PrefixedCopy(t, neo4jtest.SampleDir(t), prefix)

	first := runCLI(t, bin, env, "import", "--quiet", dir)
	if first.code != 0 {
		t.Fatalf("first import exit %d: %s", first.code, first.stderr)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		check    func(t *testing.T, r result)
	}{
		{"re-import changes nothing", []string{"import", "--quiet", dir}, 0, func(t *testing.T, r result) {
			if !strings.Contains(r.stdout, "changes: 0") {
				t.Errorf("stdout: %s", r.stdout)
			}
		}},
		{"dry run reports zero changes as JSON", []string{"import", "--dry-run", "--json", dir}, 0, func(t *testing.T, r result) {
			var rep struct {
				DryRun   bool `json:"dry_run"`
				OK       bool `json:"ok"`
				Entities struct{ Created, Updated, Unchanged int }
			}
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, r.stdout)
			}
			if !rep.DryRun || !rep.OK || rep.Entities.Created+rep.Entities.Updated != 0 || rep.Entities.Unchanged == 0 {
				t.Errorf("report %+v", rep)
			}
		}},
		{"malformed file exits 1 with file:line", []string{"import", "--quiet", writeFile(t, "bad.ndjson", "{\"record\":\"entity\",\n")}, 1, func(t *testing.T, r result) {
			if !strings.Contains(r.stderr, "bad.ndjson:1: ") || !strings.Contains(r.stdout, "REJECTED") {
				t.Errorf("stdout %s\nstderr %s", r.stdout, r.stderr)
			}
		}},
		{"binary file exits 1", []string{"import", "--quiet", writeFile(t, "garbage.csv", "\x00\x01\x02\xff\xfe,\n\x00")}, 1, func(t *testing.T, r result) {
			if !strings.Contains(r.stderr, "garbage.csv:1: ") {
				t.Errorf("stderr %s", r.stderr)
			}
		}},
		{"missing file exits 1", []string{"import", "--quiet", "/no/such/file.ndjson"}, 1, func(t *testing.T, r result) {
			if !strings.Contains(r.stderr, "/no/such/file.ndjson") {
				t.Errorf("stderr %s", r.stderr)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, bin, env, tc.args...)
			if r.code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", r.code, tc.wantCode, r.stdout, r.stderr)
			}
			tc.check(t, r)
		})
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportSurvivesSIGKILL kills the importer in the middle of a large
// import, several times, then lets a run finish: the graph must equal the
// one a single clean run produces (no duplicates, nothing lost).
func TestImportSurvivesSIGKILL(t *testing.T) {
	db := neo4jtest.Open(t)
	bin := binary(t)
	env := neo4jEnv(t)
	dir := t.TempDir()
	if _, err := generate.WriteAll(generate.Config{Entities: 6000, Seed: 7, RelsPerEntity: 3}, dir, []string{"ndjson"}); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "ndjson")
	const prefix = "gen:"
	neo4jtest.Cleanup(t, db, prefix)
	ctx := context.Background()
	if _, err := db.DeleteByIDPrefix(ctx, prefix); err != nil {
		t.Fatal(err)
	}

	clean := runCLI(t, bin, env, "import", "--quiet", "--batch-size", "200", data)
	if clean.code != 0 {
		t.Fatalf("clean import: %s", clean.stderr)
	}
	want := neo4jtest.Snapshot(t, db, prefix)
	if len(want) < 6000 {
		t.Fatalf("clean import wrote only %d items", len(want))
	}
	if _, err := db.DeleteByIDPrefix(ctx, prefix); err != nil {
		t.Fatal(err)
	}

	kills := 0
	for i, delay := range []time.Duration{700 * time.Millisecond, 1500 * time.Millisecond, 2500 * time.Millisecond} {
		cmd := exec.Command(bin, "import", "--quiet", "--batch-size", "200", data)
		cmd.Env = append(os.Environ(), env...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
			t.Logf("run %d finished before the kill at %s", i, delay)
		case <-time.After(delay):
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-done
			kills++
		}
	}
	if kills == 0 {
		t.Fatal("every run finished before it could be killed; make the input larger")
	}
	final := runCLI(t, bin, env, "import", "--quiet", "--batch-size", "200", data)
	if final.code != 0 {
		t.Fatalf("final import: %s", final.stderr)
	}
	got := neo4jtest.Snapshot(t, db, prefix)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after %d kills the graph differs from a clean run: %d items, want %d", kills, len(got), len(want))
	}
}
