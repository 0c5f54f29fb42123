package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/audit"
	"github.com/scamgraph/scamgraph/internal/config"
	"github.com/scamgraph/scamgraph/web"
)

// serve runs the API until ctx ends (SIGINT/SIGTERM), then drains in-flight
// requests for up to HTTP_SHUTDOWN_TIMEOUT and closes the driver.
func serve(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
		fmt.Fprint(stdout, `Usage: scamgraph serve

Serves the investigator API on HTTP_ADDR (default 127.0.0.1:8080) against
the Neo4j at NEO4J_URI. /healthz answers while the process runs; /readyz
once Neo4j answers. The OpenAPI document is at /openapi.json. Every /v1
request needs an API key (Authorization: Bearer sg_…; see scamgraph keys)
and is written to the audit log (AUDIT_LOG, default .data/audit.log).
SIGINT or SIGTERM drains in-flight requests, closes the driver and the
audit log, and exits.
`)
		return nil
	}
	if len(args) > 0 {
		return usageError("serve takes no arguments")
	}
	db, err := openDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(context.Background()); cerr != nil {
			logger.Warn("close neo4j driver", "err", cerr)
		}
	}()
	if err := db.ApplySchema(ctx); err != nil {
		return err
	}
	auditLog, closeAudit, err := openAuditLog(cfg.AuditLog, stderr)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := closeAudit(); cerr != nil {
			logger.Warn("close audit log", "err", cerr)
		}
	}()
	handler := newAPI(cfg, db, logger, auditLog)
	srv := &http.Server{
		Addr:              cfg.HTTPAddr,
		Handler:           handler,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.WriteTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.HTTPAddr, err)
	}
	logger.Info("serving", "addr", ln.Addr().String(), "neo4j", cfg.Neo4jURI, "audit_log", cfg.AuditLog)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", "drain", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// newAPI builds the handler serve runs: the API over db (reader,
// investigator, key store, Cypher runner and, through the importer, the
// import service), with cfg's limits and the audit log written to auditLog.
func newAPI(cfg config.Config, db *neo4jdb.DB, logger *slog.Logger, auditLog io.Writer) *gin.Engine {
	return api.New(api.Config{
		Reader: db, Investigator: db, Keys: db, Cypher: db,
		Imports: newImportService(db, cfg.ImportBatchSize, logger),
		Audit:   audit.New(auditLog), Logger: logger,
		ReadyTimeout: cfg.ReadyTimeout, RequestTimeout: cfg.RequestTimeout,
		Limits: api.Limits{
			RateRPS: cfg.RateLimitRPS, RateBurst: cfg.RateLimitBurst, IPRateRPS: cfg.RateLimitIPRPS,
			MaxBodyBytes: cfg.MaxBodyBytes, ImportMaxBytes: cfg.ImportMaxBytes, ImportTimeout: cfg.ImportTimeout,
			CypherTimeout: cfg.CypherTimeout, CypherMaxRows: cfg.CypherMaxRows,
		},
		CORSOrigins: cfg.CORSOrigins, TrustedProxies: cfg.TrustedProxies,
		Web: web.Handler(),
	})
}

// openAuditLog opens the audit log for appending: path "-" is stderr;
// otherwise the file is created 0600 (its directory 0700) when missing.
// The returned close flushes nothing (each entry is one write) and closes
// the file.
func openAuditLog(path string, stderr io.Writer) (io.Writer, func() error, error) {
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
