package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/cmd/internal/wiring"
	"github.com/scamgraph/scamgraph/internal/config"
	"github.com/scamgraph/scamgraph/internal/metrics"
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
Prometheus metrics are at GET /metrics, without a key: on METRICS_ADDR
when set (keep it off the public network), otherwise on HTTP_ADDR.
SIGINT or SIGTERM drains in-flight requests, closes the driver and the
audit log, and exits.
`)
		return nil
	}
	if len(args) > 0 {
		return usageError("serve takes no arguments")
	}
	m := metrics.New()
	db, err := wiring.OpenDB(ctx, cfg, logger, m)
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
	auditLog, closeAudit, err := wiring.OpenAuditLog(cfg.AuditLog, stderr)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := closeAudit(); cerr != nil {
			logger.Warn("close audit log", "err", cerr)
		}
	}()
	servers := []*listener{{name: "api", addr: cfg.HTTPAddr,
		handler: wiring.MainHandler(cfg, wiring.NewAPI(cfg, db, m, logger, auditLog), m)}}
	if cfg.MetricsAddr != "" {
		servers = append(servers, &listener{name: "metrics", addr: cfg.MetricsAddr, handler: m.Handler()})
	}
	// Every port is bound before any is served: a taken METRICS_ADDR
	// stops serve at once, not after the API has started answering.
	lns := make([]net.Listener, 0, len(servers))
	for _, l := range servers {
		ln, err := net.Listen("tcp", l.addr)
		if err != nil {
			for _, o := range lns {
				_ = o.Close()
			}
			return fmt.Errorf("listen on %s: %w", l.addr, err)
		}
		lns = append(lns, ln)
	}
	errc := make(chan error, len(servers))
	for i, l := range servers {
		l.srv = &http.Server{
			Addr:              l.addr,
			Handler:           l.handler,
			ReadHeaderTimeout: cfg.ReadHeaderTimeout,
			ReadTimeout:       cfg.WriteTimeout,
			WriteTimeout:      cfg.WriteTimeout,
			IdleTimeout:       cfg.IdleTimeout,
			// The API answers headers over api.MaxHeaderBytes with a 431
			// problem; only beyond this does Go answer its own plain 431.
			MaxHeaderBytes: 16 * api.MaxHeaderBytes,
			ErrorLog:       slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		}
		logger.Info("serving", "what", l.name, "addr", lns[i].Addr().String(), "neo4j", cfg.Neo4jURI, "audit_log", cfg.AuditLog)
		go func() { errc <- l.srv.Serve(lns[i]) }()
	}
	select {
	case err := <-errc:
		for _, l := range servers {
			_ = l.srv.Close()
		}
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", "drain", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	var errs []error
	for _, l := range servers {
		if err := l.srv.Shutdown(sctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown %s: %w", l.name, err))
		}
	}
	for range servers {
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, fmt.Errorf("serve: %w", err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
}

// listener is one of serve's ports: the API's, and the metrics' when
// METRICS_ADDR is set.
type listener struct {
	name, addr string
	handler    http.Handler
	srv        *http.Server
}
