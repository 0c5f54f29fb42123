package guard_test

import (
	"context"
	"encoding/json"
	"github.com/scamgraph/scamgraph/api/guard/guardtest"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/api/guard"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

func init() { gin.SetMode(gin.TestMode) }

// memKeys is the shared in-memory key store (api/guard/guardtest).
type memKeys = guardtest.MemKeys

// onErr is a stand-in for the API's problem writer.
func onErr(c *gin.Context, err error) {
	status := map[graph.Code]int{graph.CodeUnauthorized: 401, graph.CodeForbidden: 403, graph.CodeRateLimited: 429,
		graph.CodeTooLarge: 413, graph.CodeUnavailable: 503}[graph.ErrorCode(err)]
	if status == 0 {
		status = 500
	}
	c.AbortWithStatusJSON(status, gin.H{"code": graph.ErrorCode(err), "detail": graph.ErrorMessage(err)})
}

// whoami answers with the principal the context carries.
func whoami(c *gin.Context) {
	p, ok := graph.PrincipalFrom(c.Request.Context())
	c.JSON(200, gin.H{"ok": ok, "key_id": p.KeyID, "role": p.Role})
}

func do(t *testing.T, h http.Handler, method, path string, header map[string]string, body io.Reader) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func testAuth(t *testing.T, store graph.KeyStore) {
	ctx := context.Background()
	prefix := "guard-test "
	if p, ok := store.(*neo4jdb.DB); ok {
		prefix = neo4jtest.Prefix(t)
		t.Cleanup(func() { _, _ = p.DeleteKeysByNamePrefix(context.Background(), prefix) })
	}
	reader, _, err := store.CreateKey(ctx, prefix+"reader", graph.RoleReader)
	if err != nil {
		t.Fatal(err)
	}
	analyst, _, err := store.CreateKey(ctx, prefix+"analyst", graph.RoleAnalyst)
	if err != nil {
		t.Fatal(err)
	}
	importer, _, err := store.CreateKey(ctx, prefix+"importer", graph.RoleImporter)
	if err != nil {
		t.Fatal(err)
	}
	revoked, rk, err := store.CreateKey(ctx, prefix+"revoked", graph.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.RevokeKey(ctx, rk.ID); err != nil {
		t.Fatal(err)
	}
	unknown, _, _, _, _ := graph.NewKey()

	r := gin.New()
	v1 := r.Group("/v1", guard.Auth(store, onErr))
	v1.GET("/entities", guard.Require(graph.RoleReader, onErr), whoami)
	v1.POST("/cypher", guard.Require(graph.RoleAnalyst, onErr), whoami)
	v1.POST("/imports", guard.Require(graph.RoleImporter, onErr), whoami)

	tests := []struct {
		name, method, path, auth string
		status                   int
		role                     graph.Role
	}{
		{"reader reads", "GET", "/v1/entities", "Bearer " + reader, 200, graph.RoleReader},
		{"lower-case scheme", "GET", "/v1/entities", "bearer " + reader, 200, graph.RoleReader},
		{"reader may not run cypher", "POST", "/v1/cypher", "Bearer " + reader, 403, ""},
		{"analyst runs cypher", "POST", "/v1/cypher", "Bearer " + analyst, 200, graph.RoleAnalyst},
		{"analyst may not import", "POST", "/v1/imports", "Bearer " + analyst, 403, ""},
		{"importer imports", "POST", "/v1/imports", "Bearer " + importer, 200, graph.RoleImporter},
		{"importer may not run cypher", "POST", "/v1/cypher", "Bearer " + importer, 403, ""},
		{"no header", "GET", "/v1/entities", "", 401, ""},
		{"basic scheme", "GET", "/v1/entities", "Basic " + reader, 401, ""},
		{"bearer without key", "GET", "/v1/entities", "Bearer ", 401, ""},
		{"key without scheme", "GET", "/v1/entities", reader, 401, ""},
		{"malformed key", "GET", "/v1/entities", "Bearer sg_nope", 401, ""},
		{"unknown key", "GET", "/v1/entities", "Bearer " + unknown, 401, ""},
		{"revoked key", "GET", "/v1/entities", "Bearer " + revoked, 401, ""},
		{"hash as key", "GET", "/v1/entities", "Bearer " + graph.HashKey(reader), 401, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := do(t, r, tc.method, tc.path, map[string]string{"Authorization": tc.auth}, nil)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			if tc.status == 401 && !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate = %q", w.Header().Get("WWW-Authenticate"))
			}
			if strings.Contains(w.Body.String(), "sg_") && tc.status != 401 {
				t.Errorf("answer echoes a key: %s", w.Body)
			}
			if tc.status == 200 {
				var got struct{ Role graph.Role }
				if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || got.Role != tc.role {
					t.Errorf("principal role %q, want %q (%v)", got.Role, tc.role, err)
				}
			}
		})
	}
}

func TestAuthMemory(t *testing.T) { testAuth(t, &memKeys{}) }

func TestAuthNeo4j(t *testing.T) { testAuth(t, neo4jtest.Open(t)) }

func TestRequireWithoutAuth(t *testing.T) {
	r := gin.New()
	r.GET("/x", guard.Require(graph.RoleReader, onErr), whoami)
	if w := do(t, r, "GET", "/x", nil, nil); w.Code != 401 {
		t.Errorf("status %d", w.Code)
	}
}

func TestRateLimit(t *testing.T) {
	store := &memKeys{}
	a, _, _ := store.CreateKey(context.Background(), "a", graph.RoleReader)
	b, _, _ := store.CreateKey(context.Background(), "b", graph.RoleReader)
	r := gin.New()
	r.GET("/open", guard.RateLimit(0.5, 2, onErr), whoami)
	r.GET("/keyed", guard.Auth(store, onErr), guard.RateLimit(0.5, 2, onErr), whoami)

	tests := []struct {
		name   string
		path   string
		header map[string]string
		want   []int
	}{
		{"per key: burst then 429", "/keyed", map[string]string{"Authorization": "Bearer " + a}, []int{200, 200, 429}},
		{"another key has its own bucket", "/keyed", map[string]string{"Authorization": "Bearer " + b}, []int{200, 200, 429}},
		{"per client ip", "/open", map[string]string{}, []int{200, 200, 429}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for i, want := range tc.want {
				w := do(t, r, "GET", tc.path, tc.header, nil)
				if w.Code != want {
					t.Fatalf("request %d: status %d, want %d", i+1, w.Code, want)
				}
				if want == 429 && w.Header().Get("Retry-After") != "2" {
					t.Errorf("Retry-After = %q, want 2 (one token at 0.5/s)", w.Header().Get("Retry-After"))
				}
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	r := gin.New()
	r.POST("/x", guard.BodyLimit(10, onErr), func(c *gin.Context) {
		if _, err := io.ReadAll(c.Request.Body); err != nil {
			onErr(c, guard.TooLarge(err))
			return
		}
		c.Status(204)
	})
	tests := []struct {
		name    string
		body    io.Reader
		chunked bool
		status  int
	}{
		{"small", strings.NewReader("0123456789"), false, 204},
		{"content-length over", strings.NewReader("0123456789A"), false, 413},
		{"chunked over", io.MultiReader(strings.NewReader("0123456789"), strings.NewReader("AB")), true, 413},
		{"chunked small", io.MultiReader(strings.NewReader("01234")), true, 204},
		{"empty", nil, false, 204},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/x", tc.body)
			if tc.chunked {
				req.ContentLength = -1
			}
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			if w.Code != tc.status {
				t.Errorf("status %d, want %d", w.Code, tc.status)
			}
		})
	}
}

func TestCORS(t *testing.T) {
	r := gin.New()
	r.Use(guard.CORS([]string{"https://desk.example.org", " https://other.example.org/ "}, onErr))
	r.GET("/x", whoami)
	r.OPTIONS("/x", func(c *gin.Context) { c.Status(200) })
	tests := []struct {
		name       string
		method     string
		header     map[string]string
		status     int
		allowOrig  string
		allowMeths bool
	}{
		{"no origin", "GET", nil, 200, "", false},
		{"allowed origin", "GET", map[string]string{"Origin": "https://desk.example.org"}, 200, "https://desk.example.org", false},
		{"allowed after trimming", "GET", map[string]string{"Origin": "https://other.example.org"}, 200, "https://other.example.org", false},
		{"other origin gets no header", "GET", map[string]string{"Origin": "https://evil.example"}, 200, "", false},
		{"suffix trick", "GET", map[string]string{"Origin": "https://desk.example.org.evil.example"}, 200, "", false},
		{"null origin", "GET", map[string]string{"Origin": "null"}, 200, "", false},
		{"preflight allowed", "OPTIONS", map[string]string{"Origin": "https://desk.example.org", "Access-Control-Request-Method": "POST"}, 204, "https://desk.example.org", true},
		{"preflight refused", "OPTIONS", map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}, 403, "", false},
		{"plain options passes", "OPTIONS", map[string]string{"Origin": "https://desk.example.org"}, 200, "https://desk.example.org", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := do(t, r, tc.method, "/x", tc.header, nil)
			if w.Code != tc.status {
				t.Errorf("status %d, want %d", w.Code, tc.status)
			}
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != tc.allowOrig {
				t.Errorf("Allow-Origin %q, want %q", got, tc.allowOrig)
			}
			if got := w.Header().Get("Access-Control-Allow-Methods") != ""; got != tc.allowMeths {
				t.Errorf("Allow-Methods present %v", got)
			}
			if w.Header().Get("Access-Control-Allow-Credentials") != "" {
				t.Error("credentials allowed")
			}
		})
	}
}
