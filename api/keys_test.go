package api_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// memKeys is a test double of graph.KeyStore for the unit tests (fake
// readers, no database), keyed by hash like the real one. Integration
// tests use the real neo4jdb store (testKeys).
type memKeys struct {
	mu   sync.Mutex
	keys map[string]graph.APIKey // by hash
}

func (m *memKeys) CreateKey(_ context.Context, name string, role graph.Role) (string, graph.APIKey, error) {
	plain, hash, prefix, id, err := graph.NewKey()
	if err != nil {
		return "", graph.APIKey{}, err
	}
	k := graph.APIKey{ID: id, Name: name, Role: role, Prefix: prefix, CreatedAt: time.Now()}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys == nil {
		m.keys = map[string]graph.APIKey{}
	}
	m.keys[hash] = k
	return plain, k, nil
}

func (m *memKeys) ListKeys(context.Context) ([]graph.APIKey, error) { return nil, nil }

func (m *memKeys) RevokeKey(context.Context, string) error { return nil }

func (m *memKeys) Authenticate(_ context.Context, plain string) (graph.Principal, error) {
	if err := graph.CheckKeyFormat(plain); err != nil {
		return graph.Principal{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.keys[graph.HashKey(plain)]
	if !ok || k.Revoked() {
		return graph.Principal{}, graph.ErrUnknownKey()
	}
	return graph.Principal{KeyID: k.ID, Name: k.Name, Role: k.Role}, nil
}

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
