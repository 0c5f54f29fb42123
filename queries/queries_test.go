package queries_test

import (
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
