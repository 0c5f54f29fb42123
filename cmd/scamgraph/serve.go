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
	"github.com/scamgraph/scamgraph/internal/config"
)

// serve runs the API until ctx ends (SIGINT/SIGTERM), then drains in-flight
// requests for up to HTTP_SHUTDOWN_TIMEOUT and closes the driver.
func serve(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
		fmt.Fprint(stdout, `Usage: scamgraph serve

Serves the investigator API on HTTP_ADDR (default 127.0.0.1:8080) against
the Neo4j at NEO4J_URI. /healthz answers while the process runs; /readyz
once Neo4j answers. The OpenAPI document is at /openapi.json. SIGINT or
SIGTERM drains in-flight requests, closes the driver and exits.
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
	handler := api.New(api.Config{
		Reader: db, Investigator: db, Logger: logger,
		ReadyTimeout: cfg.ReadyTimeout, RequestTimeout: cfg.RequestTimeout,
	})
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
	logger.Info("serving", "addr", ln.Addr().String(), "neo4j", cfg.Neo4jURI)
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
