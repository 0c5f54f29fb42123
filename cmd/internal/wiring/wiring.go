// Package wiring builds what `scamgraph serve` runs, for every command
// that needs the same: the driver (with its query metrics), the API
// handler with the audit log and the metrics middleware, and the handler
// of the main port. cmd/scamgraph serves it; cmd/scamgraph-bench
// benchmarks exactly it. It lives under cmd/ because cmd/ wires
// everything: only the commands may import it, so no library (api,
// importer, internal/bench) can come to depend on the whole process.
package wiring

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/api/audit"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/config"
	"github.com/scamgraph/scamgraph/internal/importsvc"
	"github.com/scamgraph/scamgraph/internal/metrics"
	"github.com/scamgraph/scamgraph/web"
)

// OpenDB creates the process's one driver and waits (up to STARTUP_WAIT)
// for Neo4j to answer. With m, the driver reports each named query's
// latency to it.
func OpenDB(ctx context.Context, cfg config.Config, logger *slog.Logger, m *metrics.Metrics) (*neo4jdb.DB, error) {
	dcfg := neo4jdb.Config{
		URI: cfg.Neo4jURI, User: cfg.Neo4jUser, Password: cfg.Neo4jPassword,
		Database: cfg.Neo4jDatabase, MaxPoolSize: cfg.Neo4jMaxPool,
		AnalyticsMaxMemory: cfg.AnalyticsMaxMemory,
	}
	if m != nil {
		dcfg.ObserveQuery = m.ObserveQuery
	}
	db, err := neo4jdb.Open(dcfg)
	if err != nil {
		return nil, err
	}
	wctx, cancel := context.WithTimeout(ctx, cfg.StartupWait)
	defer cancel()
	logger.Info("connecting to neo4j", cfg.Redacted()...)
	if err := db.WaitReady(wctx, 500*time.Millisecond); err != nil {
		_ = db.Close(context.Background())
		return nil, fmt.Errorf("neo4j at %s did not answer within %s: %w", cfg.Neo4jURI, cfg.StartupWait, err)
	}
	return db, nil
}

// NewAPI builds the API serve runs: over db (reader, investigator, matcher, key
// store, Cypher runner and, through the importer, the import service),
// with cfg's limits, the audit log written to auditLog and m's request
// metrics (none when m is nil; serve always has them).
func NewAPI(cfg config.Config, db *neo4jdb.DB, m *metrics.Metrics, logger *slog.Logger, auditLog io.Writer, opts ...func(*api.Config)) *gin.Engine {
	var mw gin.HandlerFunc
	if m != nil {
		mw = m.Middleware
	}
	c := api.Config{
		Reader: db, Investigator: db, Analyst: db, Keys: db, Cypher: db, Matcher: db, Exporter: db,
		Imports: importsvc.New(db, cfg.ImportBatchSize, logger, m),
		Merges:  db, Names: db,
		Audit: audit.New(auditLog), Logger: logger, Metrics: mw,
		ReadyTimeout: cfg.ReadyTimeout, RequestTimeout: cfg.RequestTimeout,
		Limits: api.Limits{
			RateRPS: cfg.RateLimitRPS, RateBurst: cfg.RateLimitBurst, IPRateRPS: cfg.RateLimitIPRPS,
			MaxBodyBytes: cfg.MaxBodyBytes, ImportMaxBytes: cfg.ImportMaxBytes, ImportTimeout: cfg.ImportTimeout,
			CypherTimeout: cfg.CypherTimeout, CypherMaxRows: cfg.CypherMaxRows,
			AnalyticsTimeout: cfg.AnalyticsTimeout,
		},
		CORSOrigins: cfg.CORSOrigins, TrustedProxies: cfg.TrustedProxies,
	}
	for _, o := range opts {
		o(&c) // tests: check every answer against api/openapi.yaml
	}
	return api.New(c)
}

// MainHandler is what HTTP_ADDR serves: the API, the explorer beside it,
// and GET /metrics unless METRICS_ADDR gives the metrics a port of their own.
func MainHandler(cfg config.Config, apiHandler http.Handler, m *metrics.Metrics) http.Handler {
	h := web.Mount(apiHandler) // the explorer at / (docs/explorer.md)
	if cfg.MetricsAddr != "" {
		return h
	}
	return m.Mount(h)
}

// OpenAuditLog opens the audit log for appending: path "-" is stderr;
// otherwise the file is created 0600 (its directory 0700) when missing.
// The returned close flushes nothing (each entry is one write) and closes
// the file.
func OpenAuditLog(path string, stderr io.Writer) (io.Writer, func() error, error) {
	if path == "-" {
		return stderr, func() error { return nil }, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, fmt.Errorf("audit log: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("audit log: %w", err)
	}
	return f, f.Close, nil
}

// StartCPUProfile writes a Go CPU profile of this process to path (for
// go tool pprof) until the returned stop is called; an empty path profiles
// nothing.
func StartCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
