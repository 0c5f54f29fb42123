package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
)

// fakeReader answers from fixed values; err, when set, is every answer
// (an error "boom" makes Stats panic); Neighbors of id "slow" waits for its
// context to end.
type fakeReader struct {
	err      error
	pingErr  error
	lastCtx  context.Context
	gotQuery any // the last query, as the API handed it over
}

func (f *fakeReader) Ping(ctx context.Context) error { return f.pingErr }

func (f *fakeReader) Search(ctx context.Context, q graph.SearchQuery) (graph.SearchPage, error) {
	f.gotQuery = q
	return graph.SearchPage{Hits: []graph.SearchHit{{ID: "person:chen-zhi", Name: "Chen Zhi", Kinds: []graph.Kind{graph.KindTycoon}, Score: 2},
		{ID: "victim:v-17", Name: "Real Victim Name", Kinds: []graph.Kind{graph.KindVictim}, Score: 1}}}, f.err
}

func (f *fakeReader) Entity(ctx context.Context, q graph.EntityQuery) (graph.EntityDetail, error) {
	id := q.ID
	f.gotQuery = q
	if f.err != nil {
		return graph.EntityDetail{}, f.err
	}
	return graph.EntityDetail{Entity: graph.Entity{ID: id, Kinds: []graph.Kind{graph.KindVictim}, Name: "Cohort",
		Properties: map[string]graph.Value{"age": graph.IntValue(19), "count": graph.IntValue(3)}}}, nil
}

func (f *fakeReader) Neighbors(ctx context.Context, q graph.NeighborsQuery) (graph.Subgraph, error) {
	f.lastCtx, f.gotQuery = ctx, q
	if q.ID == "slow" {
		<-ctx.Done()
		return graph.Subgraph{}, graph.WrapError(graph.CodeTimeout, ctx.Err(), "the query ran out of time")
	}
	return sampleGraph(), f.err
}

func (f *fakeReader) Paths(ctx context.Context, q graph.PathsQuery) (graph.PathsResult, error) {
	f.gotQuery = q
	g := sampleGraph()
	return graph.PathsResult{Paths: []graph.Path{{Nodes: g.Nodes[:2], Edges: g.Edges}}}, f.err
}

func (f *fakeReader) Stats(ctx context.Context, q graph.StatsQuery) (graph.Stats, error) {
	f.gotQuery = q
	if f.err != nil && f.err.Error() == "boom" {
		panic("boom: secret stack detail")
	}
	return graph.Stats{ByKind: map[string]int{}, ByRelType: map[string]int{}}, f.err
}

type testServer struct {
	h    http.Handler
	log  *bytes.Buffer
	keys roleKeys
}

// unlimited lifts the rate limits for tests that are not about them.
var unlimited = api.Limits{RateRPS: 1e6, RateBurst: 1e6, IPRateRPS: 1e6}

// newTestServer serves r and inv with one key per role: in Neo4j's key
// store when r is the real database, else in a memKeys double.
func newTestServer(t testing.TB, r graph.Reader, inv graph.Investigator, timeout time.Duration) testServer {
	t.Helper()
	var store graph.KeyStore = &memKeys{}
	ready := 50 * time.Millisecond
	if db, ok := r.(*neo4jdb.DB); ok {
		store, ready = db, 5*time.Second
	}
	return newTestServerConfig(t, api.Config{Reader: r, Investigator: inv, Keys: store, RequestTimeout: timeout,
		ReadyTimeout: ready, Limits: unlimited})
}

// newTestServerConfig serves cfg, with one key per role in cfg.Keys (a
// memKeys when nil) and a debug log in memory.
func newTestServerConfig(t testing.TB, cfg api.Config) testServer {
	t.Helper()
	if cfg.Keys == nil {
		cfg.Keys = &memKeys{}
	}
	var buf bytes.Buffer
	cfg.Logger = slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if cfg.CheckAnswers == nil {
		cfg.CheckAnswers = func(method, path string, err error) { t.Errorf("%s %s: %v", method, path, err) }
	}
	return testServer{h: api.New(cfg), log: &buf, keys: testKeys(t, cfg.Keys)}
}

// do sends a request with the admin key.
func (s testServer) do(method, target string) *httptest.ResponseRecorder {
	return s.doAs(graph.RoleAdmin, method, target, nil)
}

// doAs sends a request with the key of role ("" for none).
func (s testServer) doAs(role graph.Role, method, target string, body io.Reader) *httptest.ResponseRecorder {
	return serve(s.h, request(method, target, s.keys[role], body))
}

func decodeProblem(t *testing.T, rec *httptest.ResponseRecorder) api.Problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != api.ProblemContentType {
		t.Fatalf("Content-Type = %q, want %s; body %s", ct, api.ProblemContentType, rec.Body)
	}
	var p api.Problem
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("problem body: %v", err)
	}
	if p.Status != rec.Code || p.Title == "" || p.Type == "" {
		t.Fatalf("problem %+v does not match status %d", p, rec.Code)
	}
	return p
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name, method, target string
		reader               *fakeReader
		status               int
		field                string
		retryAfter           bool
	}{
		{name: "unknown route", method: "GET", target: "/v2/nothing", status: 404},
		{name: "wrong method", method: "POST", target: "/v1/search?q=x", status: 405},
		{name: "bad parameter", method: "GET", target: "/v1/search?q=x&limit=0", status: 400, field: "limit"},
		{name: "unknown parameter", method: "GET", target: "/v1/stats?verbose=1", status: 400, field: "verbose"},
		{name: "bad format", method: "GET", target: "/v1/entities/x/neighbors?format=svg", status: 400, field: "format"},
		{name: "bad id", method: "GET", target: "/v1/entities/%20x", status: 400, field: "id"},
		{name: "not found", method: "GET", target: "/v1/entities/person:nobody",
			reader: &fakeReader{err: graph.Errorf(graph.CodeNotFound, "id", "no entity")}, status: 404, field: "id"},
		{name: "unavailable", method: "GET", target: "/v1/search?q=chen",
			reader: &fakeReader{err: graph.WrapError(graph.CodeUnavailable, errors.New("dial tcp: refused"), "the graph database is unavailable")}, status: 503, retryAfter: true},
		{name: "timeout", method: "GET", target: "/v1/paths?from=a&to=b",
			reader: &fakeReader{err: graph.WrapError(graph.CodeTimeout, context.DeadlineExceeded, "the query ran out of time")}, status: 504},
		{name: "internal error hides its cause", method: "GET", target: "/v1/stats",
			reader: &fakeReader{err: errors.New("Neo.DatabaseError: secret detail")}, status: 500},
		{name: "panic is a problem", method: "GET", target: "/v1/stats", reader: &fakeReader{err: errors.New("boom")}, status: 500},
		{name: "not ready", method: "GET", target: "/readyz", reader: &fakeReader{pingErr: errors.New("refused")}, status: 503, retryAfter: true},
		{name: "named query without investigator", method: "GET", target: "/v1/queries/timeline/person:chen-zhi", status: 503, retryAfter: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.reader
			if r == nil {
				r = &fakeReader{}
			}
			s := newTestServer(t, r, nil, time.Second)
			rec := s.do(tt.method, tt.target)
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.status, rec.Body)
			}
			body := rec.Body.String()
			p := decodeProblem(t, rec)
			if p.Field != tt.field {
				t.Fatalf("field = %q, want %q", p.Field, tt.field)
			}
			if (rec.Header().Get("Retry-After") != "") != tt.retryAfter {
				t.Fatalf("Retry-After = %q, want present=%v", rec.Header().Get("Retry-After"), tt.retryAfter)
			}
			if strings.Contains(body, "secret") || strings.Contains(body, "goroutine") {
				t.Fatalf("body leaks internals: %s", body)
			}
		})
	}
}

func TestRequestDeadlineReachesReader(t *testing.T) {
	r := &fakeReader{}
	s := newTestServer(t, r, nil, 30*time.Millisecond)
	start := time.Now()
	rec := s.do("GET", "/v1/entities/slow/neighbors")
	if rec.Code != http.StatusGatewayTimeout || time.Since(start) > 2*time.Second {
		t.Fatalf("status = %d after %v, want 504 soon", rec.Code, time.Since(start))
	}
	if _, ok := r.lastCtx.Deadline(); !ok {
		t.Fatal("the reader's context has no deadline")
	}
}

func TestAccessLog(t *testing.T) {
	s := newTestServer(t, &fakeReader{}, nil, time.Second)
	s.do("GET", "/v1/search?q=secret+name")
	logged := s.log.String()
	for _, want := range []string{`"method":"GET"`, `"path":"/v1/search"`, `"status":200`, `"duration"`} {
		if !strings.Contains(logged, want) {
			t.Errorf("access log lacks %s: %s", want, logged)
		}
	}
	if strings.Contains(logged, "secret") {
		t.Errorf("access log holds the query string: %s", logged)
	}
}

func TestHandlers(t *testing.T) {
	tests := []struct {
		name, target, path, mediaType string
		check                         func(t *testing.T, body []byte)
	}{
		{name: "healthz", target: "/healthz", path: "/healthz", mediaType: "application/json"},
		{name: "readyz", target: "/readyz", path: "/readyz", mediaType: "application/json"},
		{name: "search", target: "/v1/search?q=chen+zhi&kind=tycoon", path: "/v1/search", mediaType: "application/json"},
		{name: "escaped slash in id", target: "/v1/entities/company:a%2Fb", path: "/v1/entities/{id}", mediaType: "application/json",
			check: func(t *testing.T, body []byte) {
				if !bytes.Contains(body, []byte(`"id":"company:a/b"`)) {
					t.Fatalf("body %s", body)
				}
			}},
		{name: "neighbors json", target: "/v1/entities/x/neighbors", path: "/v1/entities/{id}/neighbors", mediaType: "application/json"},
		{name: "neighbors cytoscape", target: "/v1/entities/x/neighbors?format=cytoscape", path: "/v1/entities/{id}/neighbors", mediaType: "application/json",
			check: func(t *testing.T, body []byte) {
				if !bytes.Contains(body, []byte(`"elements"`)) {
					t.Fatalf("body %s", body)
				}
			}},
		{name: "neighbors graphml", target: "/v1/entities/x/neighbors?format=graphml", path: "/v1/entities/{id}/neighbors", mediaType: "application/graphml+xml"},
		{name: "paths", target: "/v1/paths?from=a&to=b", path: "/v1/paths", mediaType: "application/json"},
		{name: "paths cytoscape", target: "/v1/paths?from=a&to=b&format=cytoscape", path: "/v1/paths", mediaType: "application/json"},
		{name: "stats", target: "/v1/stats", path: "/v1/stats", mediaType: "application/json"},
		{name: "queries", target: "/v1/queries", path: "/v1/queries", mediaType: "application/json",
			check: func(t *testing.T, body []byte) {
				if bytes.Count(body, []byte(`"path":"/v1/queries/`)) != 6 {
					t.Fatalf("want 6 named queries: %s", body)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, &fakeReader{}, nil, time.Second)
			rec := s.do("GET", tt.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.mediaType) {
				t.Fatalf("Content-Type = %q, want %s", ct, tt.mediaType)
			}
			body, _ := io.ReadAll(rec.Body)
			// A graph answer in JSON is encoded whole and sent with its
			// length (no chunked body).
			if tt.mediaType == "application/json" && (tt.path == "/v1/paths" || strings.HasSuffix(tt.path, "/neighbors")) {
				if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(len(body)) {
					t.Errorf("Content-Length = %q, body %d bytes", cl, len(body))
				}
			}
			if tt.check != nil {
				tt.check(t, body)
			}
		})
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestHTTPHygiene: every answer says nosniff and how it may be cached;
// refusals before any route (a preflight from an unknown origin, headers
// too large) are problems too.
func TestHTTPHygiene(t *testing.T) {
	s := newTestServerConfig(t, api.Config{Reader: &fakeReader{}, CORSOrigins: []string{"https://desk.example.org"}, Limits: unlimited})
	big := strings.Repeat("x", api.MaxHeaderBytes)
	tests := []struct {
		name, method, target string
		header               map[string]string
		status               int
		cache                string
	}{
		{"v1 answer", "GET", "/v1/stats", nil, 200, "no-store"},
		{"v1 problem", "GET", "/v1/stats?x=1", nil, 400, "no-store"},
		{"health", "GET", "/healthz", nil, 200, "no-store"},
		{"document", "GET", "/openapi.json", nil, 200, "public, max-age=300"},
		{"no route", "GET", "/nothing", nil, 404, "no-store"},
		{"preflight refused", "OPTIONS", "/v1/stats", map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}, 403, "no-store"},
		{"headers too large", "GET", "/v1/stats", map[string]string{"X-Big": big}, 431, "no-store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := request(tt.method, tt.target, s.keys[graph.RoleAdmin], nil)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			rec := serve(s.h, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
			if got := rec.Header().Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control %q, want %q", got, tt.cache)
			}
			if tt.status >= 400 {
				decodeProblem(t, rec)
			}
		})
	}
}
