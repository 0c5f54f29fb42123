package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/config"
)

// openDB creates the process's one driver and waits (up to STARTUP_WAIT)
// for Neo4j to answer.
func openDB(ctx context.Context, cfg config.Config, logger *slog.Logger) (*neo4jdb.DB, error) {
	db, err := neo4jdb.Open(neo4jdb.Config{
		URI: cfg.Neo4jURI, User: cfg.Neo4jUser, Password: cfg.Neo4jPassword,
		Database: cfg.Neo4jDatabase, MaxPoolSize: cfg.Neo4jMaxPool,
	})
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

func migrate(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, _, _ io.Writer) error {
	if len(args) > 0 {
		return usageError("migrate takes no arguments")
	}
	db, err := openDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	if err := db.ApplySchema(ctx); err != nil {
		return err
	}
	logger.Info("schema applied", "database", cfg.Neo4jDatabase)
	return nil
}
