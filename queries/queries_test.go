package queries_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/queries"
)

func TestAllQueriesLoad(t *testing.T) {
	all := queries.All()
	if len(all) < 8 {
		t.Fatalf("only %d queries embedded", len(all))
	}
	for _, q := range all {
		t.Run(q.Name, func(t *testing.T) {
			if q.Params == "" || q.Returns == "" {
				t.Errorf("header incomplete: %+v", q)
			}
			body := strings.TrimSpace(stripComments(q.Text))
			if body == "" {
				t.Error("no Cypher after the header")
			}
			if strings.Contains(body, ";") {
				t.Error("a query file holds one statement, without a trailing semicolon")
			}
			if got := queries.Get(q.Name); got != q.Text {
				t.Error("Get returns a different text")
			}
		})
	}
}

func TestSchemaStatements(t *testing.T) {
	stmts, err := queries.Schema()
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) < 3 {
		t.Fatalf("only %d schema statements", len(stmts))
	}
	for _, s := range stmts {
		t.Run(strings.Fields(s)[0]+"_"+strings.Fields(s)[2], func(t *testing.T) {
			// a migration is guarded by its :SchemaStep marker, which a MERGE sets
			migration := strings.Contains(s, "$after") && strings.Contains(s, "WHERE done IS NULL") ||
				strings.HasPrefix(s, "MERGE (:SchemaStep {name: ")
			if !strings.Contains(s, "IF NOT EXISTS") && !migration {
				t.Errorf("schema statement is not idempotent: %s", s)
			}
		})
	}
}

func TestLookupUnknown(t *testing.T) {
	if _, ok := queries.Lookup("no-such-query"); ok {
		t.Error("Lookup found a query that does not exist")
	}
	defer func() {
		if recover() == nil {
			t.Error("Get of an unknown name should panic")
		}
	}()
	queries.Get("no-such-query")
}

func stripComments(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "//") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Every typed relationship has its two keyset indexes (read-neighbors
// falls back to a scan of the node's relationships for a type without).
func TestSchemaRelEndsCoversRelTypes(t *testing.T) {
	stmts, err := queries.Schema()
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(stmts, "\n")
	for _, rt := range graph.RelTypes() {
		for _, dir := range []string{"out", "in"} {
			t.Run(string(rt)+"/"+dir, func(t *testing.T) {
				ends := "r." + queries.RelFromKey + ", r." + queries.RelToKey
				if dir == "in" {
					ends = "r." + queries.RelToKey + ", r." + queries.RelFromKey
				}
				want := "CREATE INDEX rel_" + dir + "_" + strings.ToLower(string(rt)) + " IF NOT EXISTS FOR ()-[r:" + string(rt) + "]-() ON (" + ends + ")"
				if !strings.Contains(all, want) {
					t.Errorf("schema has no %q", want)
				}
			})
		}
	}
}

// A MATCH that looks up entities by an id taken from a list ($ids, $rows,
// a node's sources) names the unique id index. Without the hint the plan
// depends on the statistics when it was compiled: a plan cached while the
// graph was empty can scan the Entity label for every row, and a first 1M
// load then timed out in entity-link-sources, the first batch whose
// entities cite sources (docs/benchmarks.md). MERGE takes no hints; it
// finds its node through the unique constraint's index.
func TestListLookupsNameTheIDIndex(t *testing.T) {
	clause := regexp.MustCompile(`^\s*(?:OPTIONAL )?MATCH (.*)$`)
	lookup := regexp.MustCompile(`\((\w*):Entity \{id: ([^}]+)\}\)`)
	for _, q := range queries.All() {
		t.Run(q.Name, func(t *testing.T) {
			lines := strings.Split(stripComments(q.Text), "\n")
			for i, l := range lines {
				m := clause.FindStringSubmatch(l)
				if m == nil {
					continue
				}
				for _, n := range lookup.FindAllStringSubmatch(m[1], -1) {
					v, value := n[1], strings.TrimSpace(n[2])
					if strings.HasPrefix(value, "$") {
						continue // one lookup by a parameter
					}
					if v == "" {
						t.Errorf("line %q: an unnamed node looked up by %s cannot name its index", l, value)
						continue
					}
					hint := "USING INDEX SEEK " + v + ":Entity(id)"
					if !strings.Contains(strings.Join(lines[i+1:min(i+4, len(lines))], "\n"), hint) {
						t.Errorf("line %q: the lookup of %s by %s is not followed by %s", strings.TrimSpace(l), v, value, hint)
					}
				}
			}
		})
	}
}
