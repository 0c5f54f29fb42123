package generate_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/scamgraph/scamgraph/internal/generate"
)

// Every id lookup in the LOAD CSV baseline must go through the :Entity
// unique index, as the importer's do; a lookup by another label scans that
// label for every row and makes the baseline unfairly slow.
func TestLoadCypherLooksUpIDsThroughTheEntityIndex(t *testing.T) {
	dir := t.TempDir()
	if _, err := generate.WriteAll(generate.Config{Entities: generate.MinEntities, Seed: 1, RelsPerEntity: 3}, dir, []string{"loadcsv"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "loadcsv", "load.cypher"))
	if err != nil {
		t.Fatal(err)
	}
	lookups := regexp.MustCompile(`MATCH \(\w+:(\w+) \{id:`).FindAllSubmatch(b, -1)
	if len(lookups) == 0 {
		t.Fatal("no id lookups found in load.cypher")
	}
	for _, m := range lookups {
		if string(m[1]) != "Entity" {
			t.Errorf("id lookup by label %s: %s", m[1], m[0])
		}
	}
}
