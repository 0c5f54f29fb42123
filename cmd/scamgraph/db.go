package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/scamgraph/scamgraph/cmd/internal/wiring"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/config"
)

// openDB creates the process's one driver, as serve does but without
// metrics (a one-shot command has nobody to scrape them).
func openDB(ctx context.Context, cfg config.Config, logger *slog.Logger) (*neo4jdb.DB, error) {
	return wiring.OpenDB(ctx, cfg, logger, nil)
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
