package neo4jdb_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
	"github.com/scamgraph/scamgraph/queries"
)

func TestQueryName(t *testing.T) {
	tests := []struct {
		name, cypher, want string
	}{
		{"an embedded query", queries.Get("read-neighbors"), "read-neighbors"},
		{"its text after expansion keeps the header", "// name: inv-timeline\nMATCH (n) WHERE n.x = 3 RETURN n", "inv-timeline"},
		{"a name that is no embedded query", "// name: made-up-123\nRETURN 1", neo4jdb.OtherQuery},
		{"no header", "MATCH (n) RETURN n", neo4jdb.OtherQuery},
		{"header not on the first line", "RETURN 1\n// name: ping", neo4jdb.OtherQuery},
		{"empty", "", neo4jdb.OtherQuery},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := neo4jdb.QueryName(tc.cypher); got != tc.want {
				t.Errorf("QueryName = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestObserveQuery: the observer hears each named query with its outcome.
func TestObserveQuery(t *testing.T) {
	type seen struct {
		name string
		code graph.Code
	}
	var mu sync.Mutex
	var got []seen
	cfg := neo4jtest.Config(t)
	cfg.ObserveQuery = func(name string, d time.Duration, err error) {
		mu.Lock()
		defer mu.Unlock()
		code := graph.Code("")
		if err != nil {
			code = graph.ErrorCode(err)
		}
		got = append(got, seen{name, code})
	}
	db, err := neo4jdb.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	if err := db.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.Entity(ctx, graph.EntityQuery{ID: "observe-test:nobody"}); err == nil {
		t.Fatal("a read with a cancelled context succeeded")
	}
	mu.Lock()
	defer mu.Unlock()
	want := []seen{{"ping", ""}, {"read-entity", graph.CodeTimeout}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("observed %v, want %v", got, want)
	}
}
