package api_test

import (
	"context"
	"github.com/scamgraph/scamgraph/api/guard/guardtest"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// memKeys is the shared in-memory key store (api/guard/guardtest).
type memKeys = guardtest.MemKeys

// roleKeys holds one key per role.
type roleKeys map[graph.Role]string

// testKeys makes one key per role in store; in Neo4j they are named with
// a unique prefix and deleted when the test ends.
func testKeys(t testing.TB, store graph.KeyStore) roleKeys {
	t.Helper()
	prefix := "api-test "
	if db, ok := store.(*neo4jdb.DB); ok {
		prefix = "api-test " + neo4jtest.Prefix(t)
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if _, err := db.DeleteKeysByNamePrefix(ctx, prefix); err != nil {
				t.Errorf("delete test keys: %v", err)
			}
		})
	}
	out := roleKeys{}
	for _, r := range graph.Roles() {
		plain, _, err := store.CreateKey(context.Background(), prefix+string(r), r)
		if err != nil {
			t.Fatalf("create %s key: %v", r, err)
		}
		out[r] = plain
	}
	return out
}

// request builds a request, with the key as a bearer token when not "".
func request(method, target, key string, body io.Reader) *http.Request {
	req := httptest.NewRequest(method, target, body)
	if body != nil && strings.HasPrefix(target, "/v1/cypher") {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return req
}

// serve runs one request through h.
func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
