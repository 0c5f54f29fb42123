package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun: the help teaches, bad command lines are usage errors (exit
// status 2) that say what is wrong, and a run writes the files it names
// with the counts it reports.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		args    []string
		usage   bool
		wantOut []string
	}{
		{"help teaches", []string{"--help"}, false, []string{"Usage: scamgraph-gen", "-entities", "Examples:", "scamgraph import"}},
		{"no output directory", []string{"--entities", "1000"}, true, []string{"--out DIR is required"}},
		{"too few entities", []string{"--out", dir, "--entities", "3"}, true, []string{"--entities must be at least"}},
		{"unknown format", []string{"--out", dir, "--formats", "xml"}, true, []string{`unknown format "xml"`}},
		{"stray argument", []string{"--out", dir, "now"}, true, []string{`unexpected argument "now"`}},
		{"unknown flag", []string{"--fast"}, true, []string{"flag provided but not defined"}},
		{"bad relationship density", []string{"--out", dir, "--rels-per-entity", "0"}, true, []string{"--rels-per-entity"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tc.args, &stdout, &stderr)
			var ue usageError
			if got := errors.As(err, &ue); got != tc.usage || (!tc.usage && err != nil) {
				t.Fatalf("run(%q) = %v, want a usage error: %v", tc.args, err, tc.usage)
			}
			out := stdout.String() + stderr.String()
			if err != nil {
				out += err.Error()
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	t.Run("writes what it reports", func(t *testing.T) {
		out := filepath.Join(dir, "g")
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), []string{"--out", out, "--entities", "2000", "--formats", "ndjson", "--json", "--quiet"}, &stdout, &stderr); err != nil {
			t.Fatalf("run: %v\n%s", err, stderr.String())
		}
		var got struct {
			Entities      int      `json:"entities"`
			Relationships int      `json:"relationships"`
			Formats       []string `json:"formats"`
		}
		if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
			t.Fatalf("--json: %v\n%s", err, stdout.String())
		}
		if got.Entities != 2000 || got.Relationships == 0 || len(got.Formats) != 1 {
			t.Errorf("counts %+v", got)
		}
		data, err := os.ReadFile(filepath.Join(out, "ndjson", "entities.ndjson"))
		if err != nil {
			t.Fatal(err)
		}
		if lines := bytes.Count(data, []byte("\n")); lines != got.Entities {
			t.Errorf("entities.ndjson has %d lines, the report says %d", lines, got.Entities)
		}
	})
}
