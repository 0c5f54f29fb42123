package metrics_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/api/guard"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/metrics"
)

// keys lets one key in; it counts the lookups that reach it.
type keys struct{ asked int }

func (k *keys) CreateKey(context.Context, string, graph.Role) (string, graph.APIKey, error) {
	return "", graph.APIKey{}, errors.New("not here")
}
func (k *keys) ListKeys(context.Context) ([]graph.APIKey, error) { return nil, nil }
func (k *keys) RevokeKey(context.Context, string) error          { return nil }
func (k *keys) Authenticate(_ context.Context, key string) (graph.Principal, error) {
	k.asked++
	if key != "sg_good" {
		return graph.Principal{}, graph.Errorf(graph.CodeUnauthorized, "", "unknown key")
	}
	return graph.Principal{KeyID: "key_1", Name: "test", Role: graph.RoleReader}, nil
}

// engine is a small API with the guards in the order api.New puts them:
// metrics first, then the per-IP limit, the key check, the per-key limit.
func engine(m *metrics.Metrics, ipBurst, keyBurst int, store graph.KeyStore) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.UseRawPath, e.UnescapePathValues = true, true // ids may hold %2F, as in api.New
	e.Use(m.Middleware)
	fail := func(c *gin.Context, err error) {
		status := http.StatusInternalServerError
		switch graph.ErrorCode(err) {
		case graph.CodeRateLimited:
			status = http.StatusTooManyRequests
		case graph.CodeUnauthorized:
			status = http.StatusUnauthorized
		}
		c.AbortWithStatus(status)
	}
	v1 := e.Group("/v1", guard.RateLimit(1e-6, ipBurst, fail), guard.Auth(guard.CacheKeys(store, time.Hour), fail),
		guard.RateLimit(1e-6, keyBurst, fail))
	v1.GET("/entities/:id", func(c *gin.Context) { c.String(http.StatusOK, "entity") })
	return e
}

func do(t *testing.T, h http.Handler, method, target, key string) int {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// scrape answers GET /metrics through Mount, as the main port does when
// METRICS_ADDR is not set.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Mount(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, metrics.Path, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Fatalf("Content-Type %q, want the Prometheus text format", ct)
	}
	b, err := io.ReadAll(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMetrics(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, m *metrics.Metrics)
		want []string // lines (or line prefixes) the scrape must hold
		not  []string // what it must not hold
	}{
		{
			name: "request by route template, never the raw path",
			run: func(t *testing.T, m *metrics.Metrics) {
				if code := do(t, engine(m, 10, 10, &keys{}), http.MethodGet, "/v1/entities/person%2Fsecret-42", "sg_good"); code != http.StatusOK {
					t.Fatalf("status %d", code)
				}
			},
			want: []string{
				`http_request_duration_seconds_bucket{method="GET",route="/v1/entities/:id",status="200",le="0.001"} `,
				`http_request_duration_seconds_bucket{method="GET",route="/v1/entities/:id",status="200",le="+Inf"} 1`,
				`http_request_duration_seconds_count{method="GET",route="/v1/entities/:id",status="200"} 1`,
				`http_requests_total{method="GET",route="/v1/entities/:id",status="200"} 1`,
			},
			not: []string{"secret-42"},
		},
		{
			name: "unmatched path and unknown method are bounded labels",
			run: func(t *testing.T, m *metrics.Metrics) {
				h := engine(m, 10, 10, &keys{})
				do(t, h, http.MethodGet, "/nothing/here-123", "")
				do(t, h, "BREW", "/v1/entities/x", "")
			},
			want: []string{
				`http_requests_total{method="GET",route="unmatched",status="404"} 1`,
				`http_requests_total{method="other",route="unmatched",status="404"} 1`,
			},
			not: []string{"here-123", "BREW"},
		},
		{
			name: "rate-limit refusals by scope",
			run: func(t *testing.T, m *metrics.Metrics) {
				ip := engine(m, 1, 10, &keys{})
				do(t, ip, http.MethodGet, "/v1/entities/a", "sg_good")
				if code := do(t, ip, http.MethodGet, "/v1/entities/a", "sg_good"); code != http.StatusTooManyRequests {
					t.Fatalf("second request past an IP burst of 1: %d", code)
				}
				key := engine(m, 10, 1, &keys{})
				do(t, key, http.MethodGet, "/v1/entities/a", "sg_good")
				do(t, key, http.MethodGet, "/v1/entities/a", "sg_good")
				do(t, key, http.MethodGet, "/v1/entities/a", "sg_good")
			},
			want: []string{
				`scamgraph_rate_limited_total{scope="ip"} 1`,
				`scamgraph_rate_limited_total{scope="key"} 2`,
				`http_requests_total{method="GET",route="/v1/entities/:id",status="429"} 3`,
			},
		},
		{
			name: "key cache hits and misses",
			run: func(t *testing.T, m *metrics.Metrics) {
				store := &keys{}
				h := engine(m, 10, 10, store)
				for range 3 {
					do(t, h, http.MethodGet, "/v1/entities/a", "sg_good")
				}
				do(t, h, http.MethodGet, "/v1/entities/a", "sg_bad")
				if store.asked != 2 {
					t.Errorf("the store was asked %d times, want 2 (one per distinct key)", store.asked)
				}
			},
			want: []string{
				`scamgraph_key_cache_lookups_total{result="hit"} 2`,
				`scamgraph_key_cache_lookups_total{result="miss"} 2`,
			},
		},
		{
			name: "neo4j query latency by name and outcome",
			run: func(t *testing.T, m *metrics.Metrics) {
				m.ObserveQuery("read-entity", 3*time.Millisecond, nil)
				m.ObserveQuery("read-entity", 20*time.Second, graph.Errorf(graph.CodeTimeout, "", "the query ran out of time"))
			},
			want: []string{
				`scamgraph_neo4j_query_duration_seconds_bucket{outcome="ok",query="read-entity",le="0.005"} 1`,
				`scamgraph_neo4j_query_duration_seconds_count{outcome="timeout",query="read-entity"} 1`,
			},
		},
		{
			name: "import records and rejects",
			run: func(t *testing.T, m *metrics.Metrics) {
				m.Imported(10, 2)
				m.Imported(5, 0)
			},
			want: []string{
				`scamgraph_import_records_total 15`,
				`scamgraph_import_rejected_records_total 2`,
			},
		},
		{
			name: "runtime metrics",
			run:  func(*testing.T, *metrics.Metrics) {},
			want: []string{`go_goroutines `, `scamgraph_rate_limited_total{scope="ip"} 0`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := metrics.New()
			tc.run(t, m)
			body := scrape(t, m)
			for _, w := range tc.want {
				if !hasLine(body, w) {
					t.Errorf("no line %q in:\n%s", w, grepScamgraph(body))
				}
			}
			for _, n := range tc.not {
				if strings.Contains(body, n) {
					t.Errorf("the scrape holds %q", n)
				}
			}
		})
	}
}

func hasLine(body, prefix string) bool {
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// grepScamgraph keeps a failure's output to our own metrics.
func grepScamgraph(body string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, "http_") || strings.HasPrefix(l, "scamgraph_") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestMount(t *testing.T) {
	m := metrics.New()
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h := m.Mount(next)
	tests := []struct {
		name, method, target string
		want                 int
	}{
		{"GET /metrics is the metrics", http.MethodGet, "/metrics", http.StatusOK},
		{"HEAD /metrics too", http.MethodHead, "/metrics", http.StatusOK},
		{"POST /metrics goes on", http.MethodPost, "/metrics", http.StatusTeapot},
		{"another path goes on", http.MethodGet, "/metrics/x", http.StatusTeapot},
		{"the API goes on", http.MethodGet, "/v1/stats", http.StatusTeapot},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := do(t, h, tc.method, tc.target, ""); got != tc.want {
				t.Errorf("status %d, want %d", got, tc.want)
			}
		})
	}
}
