// Package metrics is scamgraph's Prometheus instrumentation: HTTP requests
// by route template and status, Neo4j query latency by query name, import
// records and rejects, rate-limit refusals and key-cache lookups, served in
// the Prometheus text format at /metrics (docs/deploy.md).
//
// Label values are bounded by construction: routes are gin's templates
// (c.FullPath(), never the raw path, which holds ids), methods and query
// names come from fixed sets, and anything else is counted as "other" or
// "unmatched".
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/scamgraph/scamgraph/api/guard"
	"github.com/scamgraph/scamgraph/graph"
)

// Path is where the metrics are served.
const Path = "/metrics"

// Unmatched is the route label of requests that matched no route (404,
// and 405 for a known path with another method).
const Unmatched = "unmatched"

// latencyBuckets, in seconds: from a cached key check to a long import.
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

// Metrics holds one process's collectors in a registry of its own (so
// tests can make as many as they like).
type Metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	queries     *prometheus.HistogramVec
	records     prometheus.Counter
	rejected    prometheus.Counter
	rateLimited *prometheus.CounterVec
	keyCache    *prometheus.CounterVec
}

var _ guard.Observer = (*Metrics)(nil)

// New makes the collectors, with the Go runtime's and the process's.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests answered, by method, route template and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time from the request reaching the API to its answer being written, by method, route template and status.",
			Buckets: latencyBuckets,
		}, []string{"method", "route", "status"}),
		queries: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "scamgraph_neo4j_query_duration_seconds",
			Help:    "Time of one named Neo4j query (queries/*.cypher), driver retries included, by query name and outcome (ok or the error code).",
			Buckets: latencyBuckets,
		}, []string{"query", "outcome"}),
		records: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scamgraph_import_records_total",
			Help: "Records read from files imported through POST /v1/imports (dry runs included).",
		}),
		rejected: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scamgraph_import_rejected_records_total",
			Help: "Records refused as invalid in files imported through POST /v1/imports.",
		}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scamgraph_rate_limited_total",
			Help: "Requests refused with 429 by a rate limit, by scope: ip (before authentication) or key.",
		}, []string{"scope"}),
		keyCache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scamgraph_key_cache_lookups_total",
			Help: "API key checks, by result: hit (answered from the key cache) or miss (asked Neo4j).",
		}, []string{"result"}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.queries, m.records, m.rejected, m.rateLimited, m.keyCache,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Both scopes and results exist from the start, at 0, so rate() over
	// them works before the first refusal.
	for _, s := range []string{"ip", "key"} {
		m.rateLimited.WithLabelValues(s)
	}
	for _, r := range []string{"hit", "miss"} {
		m.keyCache.WithLabelValues(r)
	}
	return m
}

// Handler serves the metrics in the Prometheus text format (or OpenMetrics
// when the scraper asks for it).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Mount serves GET Path from the metrics and everything else from next:
// the main port's handler when METRICS_ADDR is not set. /metrics then
// needs no API key, passes no rate limit and is not audited, like a
// scrape on its own port.
func (m *Metrics) Mount(next http.Handler) http.Handler {
	h := m.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == Path && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			h.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Middleware counts and times every request by method, route template and
// status. It belongs first in the chain, so the time covers the whole
// API, guards and audit log included; it also hands the guards inside it
// this Metrics as their guard.Observer.
func (m *Metrics) Middleware(c *gin.Context) {
	start := time.Now()
	c.Request = c.Request.WithContext(guard.WithObserver(c.Request.Context(), m))
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = Unmatched
	}
	labels := []string{method(c.Request.Method), route, strconv.Itoa(c.Writer.Status())}
	m.requests.WithLabelValues(labels...).Inc()
	m.duration.WithLabelValues(labels...).Observe(time.Since(start).Seconds())
}

// method bounds the method label: a client may send any token.
func method(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// ObserveQuery records one Neo4j query: its name (graph/neo4jdb passes
// only names of queries/*.cypher, or "other"), how long it took, and its
// error (nil: ok; otherwise its graph error code).
func (m *Metrics) ObserveQuery(name string, d time.Duration, err error) {
	outcome := "ok"
	if err != nil {
		outcome = string(graph.ErrorCode(err))
	}
	m.queries.WithLabelValues(name, outcome).Observe(d.Seconds())
}

// Imported records one import's records and rejects.
func (m *Metrics) Imported(records, rejected int) {
	m.records.Add(float64(max(records, 0)))
	m.rejected.Add(float64(max(rejected, 0)))
}

// RateLimited implements guard.Observer.
func (m *Metrics) RateLimited(scope string) { m.rateLimited.WithLabelValues(scope).Inc() }

// KeyCacheLookup implements guard.Observer.
func (m *Metrics) KeyCacheLookup(hit bool) {
	r := "miss"
	if hit {
		r = "hit"
	}
	m.keyCache.WithLabelValues(r).Inc()
}
