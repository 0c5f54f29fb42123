package graph_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
)

func victim(id, name string, props map[string]graph.Value) graph.Entity {
	return graph.Entity{ID: id, Kinds: []graph.Kind{graph.KindVictim}, Name: name, Sources: []string{"source:a"}, Properties: props}
}

// TestValidateRefusesVictimTextWithPersonalValues: a victim record whose
// id, name, pseudonym or description repeats its own age, origin or real
// name is refused, naming the field; neutral records pass.
func TestValidateRefusesVictimTextWithPersonalValues(t *testing.T) {
	s, i := graph.StringValue, graph.IntValue
	tests := []struct {
		name  string
		e     graph.Entity
		field string // "" when valid
	}{
		{"age in the id", victim("victim:sumatran-18-year-old", "Worker A", map[string]graph.Value{"age": i(18)}), "id"},
		{"age in the pseudonym", victim("victim:a", "Worker A", map[string]graph.Value{"age": i(18), "pseudonym": s("The 18 year old")}), "properties.pseudonym"},
		{"age in words", victim("victim:a", "Worker A", map[string]graph.Value{"age": i(21), "description": s("A twenty-one-year-old man")}), "properties.description"},
		{"origin in a cohort's name", victim("victim:a", "Sumatran workers", map[string]graph.Value{"origin": s("Sumatra"), "cohort": graph.BoolValue(true)}), "name"},
		{"a word of the origin", victim("victim:a", "Worker A", map[string]graph.Value{"origin": s("North Sumatra"), "pseudonym": s("Worker A"), "description": s("a man from sumatra")}), "properties.description"},
		{"real name in the pseudonym", victim("victim:a", "Budi Santoso", map[string]graph.Value{"pseudonym": s("Budi (AFP)")}), "properties.pseudonym"},
		{"real name in the id", victim("victim:budi-santoso", "Budi Santoso", map[string]graph.Value{"pseudonym": s("Worker A")}), "id"},
		{"neutral", victim("victim:worker-a-2018", "Worker A", map[string]graph.Value{"age": i(18), "origin": s("Sumatra"), "pseudonym": s("Worker A"), "description": s("Held at a compound in 2018")}), ""},
		{"a cohort's name is not personal", victim("victim:c", "440 Indonesians", map[string]graph.Value{"cohort": graph.BoolValue(true), "pseudonym": s("Indonesians released")}), ""},
		{"not a victim", graph.Entity{ID: "person:x-18", Kinds: []graph.Kind{graph.KindPerson}, Name: "X", Sources: []string{"source:a"}, Properties: map[string]graph.Value{"age": i(18)}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := graph.ValidateEntity(tc.e)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tc.field+": repeats the victim's own") {
				t.Errorf("err %v, want %s refused", err, tc.field)
			}
		})
	}
}

// TestEndpointTableMatchesTheDocs: docs/import-format.md and docs/model.md
// state the same endpoint kinds for each relationship type as
// graph.EndpointsOf.
func TestEndpointTableMatchesTheDocs(t *testing.T) {
	row := regexp.MustCompile("(?m)^\\| `([A-Z_]+)` \\| ([^|]+) \\| ([^|]+) \\|")
	kinds := func(cell string) []graph.Kind {
		cell = strings.TrimSpace(cell)
		if cell == "any entity" {
			return nil
		}
		var out []graph.Kind
		for _, k := range strings.Split(cell, ",") {
			out = append(out, graph.Kind(strings.TrimSpace(k)))
		}
		return out
	}
	for _, doc := range []string{"import-format.md", "model.md"} {
		t.Run(doc, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("..", "docs", doc))
			if err != nil {
				t.Fatal(err)
			}
			seen := map[graph.RelType]bool{}
			for _, m := range row.FindAllStringSubmatch(string(b), -1) {
				rt := graph.RelType(m[1])
				if _, ok := graph.ParseRelType(m[1]); !ok {
					continue
				}
				seen[rt] = true
				want := graph.EndpointsOf(rt)
				if from := kinds(m[2]); !slices.Equal(from, want.From) {
					t.Errorf("%s: the docs say from %v, graph says %v", rt, from, want.From)
				}
				if to := kinds(m[3]); !slices.Equal(to, want.To) {
					t.Errorf("%s: the docs say to %v, graph says %v", rt, to, want.To)
				}
			}
			for _, rt := range append(graph.RelTypes(), graph.RelMentionedIn) {
				if !seen[rt] {
					t.Errorf("%s is not in the table", rt)
				}
			}
		})
	}
}
