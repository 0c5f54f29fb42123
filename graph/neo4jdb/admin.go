package neo4jdb

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/queries"
)

// DeleteByIDPrefix deletes every entity whose id starts with prefix, with its
// relationships. Tests use it to remove the data they created; the prefix
// must be at least 3 characters so it cannot wipe the graph by accident.
func (db *DB) DeleteByIDPrefix(ctx context.Context, prefix string) (int, error) {
	if len(prefix) < 3 {
		return 0, graph.Errorf(graph.CodeInvalid, "prefix", "must be at least 3 characters")
	}
	// CALL { } IN TRANSACTIONS needs an implicit (auto-commit) transaction.
	sess := db.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, queries.Get("entity-delete-prefix"), map[string]any{"prefix": prefix})
	if err != nil {
		return 0, fmt.Errorf("delete prefix %q: %w", prefix, classify(err))
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return 0, fmt.Errorf("delete prefix %q: %w", prefix, classify(err))
	}
	n, _, err := neo4j.GetRecordValue[int64](rec, "deleted")
	if err != nil {
		return 0, fmt.Errorf("delete prefix %q: %w", prefix, err)
	}
	return int(n), nil
}
