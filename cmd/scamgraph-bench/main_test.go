package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// TestUsage: the help teaches and warns; bad command lines are refused
// (exit status 2) before any database is touched.
func TestUsage(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		usage   bool // a usageError, not nil
		wantOut []string
	}{
		{"help warns that it empties the database", []string{"--help"}, false,
			[]string{"EMPTIES the Neo4j at NEO4J_URI", "throwaway", "make bench", "--json", "-scale", "Examples:"}},
		{"scale too small", []string{"--scale", "10"}, true, []string{"at least 1000"}},
		{"bad sweep", []string{"--sweep", "5000,lots"}, true, []string{"--sweep"}},
		{"stray argument", []string{"now"}, true, []string{"no arguments"}},
		{"unknown flag", []string{"--fast"}, true, []string{"flag provided but not defined"}},
		{"no importer binary", []string{"--scamgraph", "/nonexistent/scamgraph"}, true, []string{"no scamgraph binary at /nonexistent/scamgraph"}},
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
}
