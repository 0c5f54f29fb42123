package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/scamgraph/scamgraph/internal/config"
)

// serve is replaced once the API package lands.
func serve(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer) error {
	return usageError("serve: not built yet")
}
