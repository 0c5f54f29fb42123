package queries_test

import (
	"strings"
	"testing"

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
			if !strings.Contains(s, "IF NOT EXISTS") {
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
