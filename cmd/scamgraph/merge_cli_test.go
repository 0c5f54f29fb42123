package main_test

import (
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestMergeJudgementsCLI: scamgraph merge --not-same, --judgements and
// --withdraw against the real store, and their usage errors.
func TestMergeJudgementsCLI(t *testing.T) {
	bin := binary(t)
	env := neo4jEnv(t)
	db := neo4jtest.Open(t)
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	src := graph.Entity{ID: p + "source:s", Kinds: []graph.Kind{graph.KindSource}, Name: "S",
		Properties: map[string]graph.Value{"publisher": graph.StringValue("AFP"), "published": graph.DateValue(graph.Date{Year: 2026, Month: 1, Day: 19}), "source_type": graph.StringValue("news")}}
	a, b := p+"person:a", p+"person:b"
	neo4jtest.Write(t, db, []graph.Entity{src,
		{ID: a, Kinds: []graph.Kind{graph.KindPerson}, Name: "Chen Zhi", Sources: []string{src.ID}},
		{ID: b, Kinds: []graph.Kind{graph.KindPerson}, Name: "Chen Zhi", Sources: []string{src.ID}}}, nil)
	id := graph.JudgementID(a, b)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"help teaches withdrawal", []string{"merge", "--help"}, 0, "--withdraw 'judgement:"},
		{"judgements take no ids", []string{"merge", "--judgements", a}, 2, "--judgements takes no ids"},
		{"entity needs judgements", []string{"merge", "--entity", a, "--show", "merge-x"}, 2, "--entity goes with --judgements"},
		{"withdraw takes one id", []string{"merge", "--withdraw"}, 2, "--withdraw takes one JUDGEMENT-ID"},
		{"judge", []string{"merge", "--not-same", "--by", "alice", "--reason", "born 1987", a, b}, 0, "(not_same, active)"},
		{"list by entity", []string{"merge", "--judgements", "--entity", a}, 0, id + " (not_same, active): " + a + " / " + b + " by alice"},
		{"list as JSON", []string{"merge", "--judgements", "--entity", b, "--json"}, 0, `"reason": "born 1987"`},
		{"withdraw, as the operator", []string{"merge", "--withdraw", "--reason", "same passport", id}, 0, "withdrawn by operator at"},
		{"withdraw again: unchanged", []string{"merge", "--withdraw", "--by", "bob", id}, 0, "withdrawn by operator at"},
		{"no longer listed", []string{"merge", "--judgements", "--entity", a}, 0, "0 judgements"},
		{"unknown judgement", []string{"merge", "--withdraw", graph.JudgementID(a, p+"person:nobody")}, 1, "no judgement"},
		{"merge, once the judgement is withdrawn", []string{"merge", "--reason", "same passport", a, b}, 0, "(active): " + a + " <- " + b},
		// As the API answers a repeat with 200 and the earlier record.
		{"the same merge again: the earlier record, exit 0", []string{"merge", "--reason", "same passport", a, b}, 0, "merged already"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
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
