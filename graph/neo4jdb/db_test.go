package neo4jdb_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
)

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// When Neo4j is down and the request's deadline expires while the driver
// retries, the answer must say "unavailable" (503, retry later), not
// "timeout": the driver then returns a bare context.DeadlineExceeded.
func TestUnreachableNeo4jIsUnavailable(t *testing.T) {
	db, err := neo4jdb.Open(neo4jdb.Config{URI: "bolt://" + closedPort(t), User: "neo4j", Password: "irrelevant", ConnectTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	tests := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"ping", db.Ping},
		{"search", func(ctx context.Context) error {
			_, err := db.Search(ctx, graph.SearchQuery{Text: "chen", Limit: 5})
			return err
		}},
		{"entity", func(ctx context.Context) error {
			_, err := db.Entity(ctx, graph.EntityQuery{ID: "person:chen-zhi"})
			return err
		}},
		{"existing ids", func(ctx context.Context) error { _, err := db.ExistingIDs(ctx, []string{"a"}); return err }},
		{"authenticate", func(ctx context.Context) error {
			_, err := db.Authenticate(ctx, "sg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
			defer cancel()
			err := tc.call(ctx)
			if got := graph.ErrorCode(err); got != graph.CodeUnavailable {
				t.Errorf("code = %s (%v), want %s", got, err, graph.CodeUnavailable)
			}
		})
	}
}
