package graph_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
)

// idRule is the rule graph.ValidateID checks by hand (docs/import-format.md).
var idRule = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$`)

func TestValidateIDIsTheRule(t *testing.T) {
	for _, id := range []string{"person:chen-zhi", "a", "9", "gen:company:12", "x.y_z:/@+-", "-a", ".a", "_a", "a b", "a\tb",
		"ä", "a\u00e9", "", "a*", "a\x00", strings.Repeat("a", graph.MaxIDLen), "A/B@c+d"} {
		t.Run(id, func(t *testing.T) { assertIDRule(t, id) })
	}
}

func assertIDRule(t *testing.T, id string) {
	t.Helper()
	got := graph.ValidateID("id", id) == nil
	want := id != "" && len(id) <= graph.MaxIDLen && idRule.MatchString(id)
	if got != want {
		t.Fatalf("ValidateID(%q) accepted %v, the rule says %v", id, got, want)
	}
}

func FuzzValidateID(f *testing.F) {
	for _, s := range []string{"person:a", "-x", "a b", "é", "", "a/b@c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) { assertIDRule(t, id) })
}
