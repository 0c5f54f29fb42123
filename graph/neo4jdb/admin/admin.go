package admin

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/queries"
)

// DeleteByIDPrefix deletes every entity whose id starts with prefix, with its
// relationships. Tests use it to remove the data they created; the prefix
// must be at least 3 characters so it cannot wipe the graph by accident.
func (db *Admin) DeleteByIDPrefix(ctx context.Context, prefix string) (int, error) {
	if len(prefix) < 3 {
		return 0, graph.Errorf(graph.CodeInvalid, "prefix", "must be at least 3 characters")
	}
	// CALL { } IN TRANSACTIONS needs an implicit (auto-commit) transaction.
	sess := db.Session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, queries.Get("entity-delete-prefix"), map[string]any{"prefix": prefix})
	if err != nil {
		return 0, fmt.Errorf("delete prefix %q: %w", prefix, core.Classify(err))
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return 0, fmt.Errorf("delete prefix %q: %w", prefix, core.Classify(err))
	}
	n, _, err := neo4j.GetRecordValue[int64](rec, "deleted")
	if err != nil {
		return 0, fmt.Errorf("delete prefix %q: %w", prefix, err)
	}
	// The merges of those entities go with them (merge records, redirects,
	// snapshots, judgements).
	if res, err = sess.Run(ctx, queries.Get("merge-delete-prefix"), map[string]any{"prefix": prefix}); err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return int(n), fmt.Errorf("delete prefix %q: merges: %w", prefix, core.Classify(err))
	}
	return int(n), nil
}

// Export streams every entity whose id starts with prefix ("" for all) and
// the relationships that start at them, in id order, a page at a time. It
// is how tests compare whole graphs, and a plain backup in domain terms.
func (db *Admin) Export(ctx context.Context, prefix string, fn func(e graph.Entity, out []graph.Relationship) error) error {
	const page = 500
	after := ""
	for {
		res, err := db.Read(ctx, queries.Get("export-entities"), map[string]any{"prefix": prefix, "after": after, "limit": page})
		if err != nil {
			return fmt.Errorf("export entities: %w", err)
		}
		if len(res.Records) == 0 {
			return nil
		}
		ents := make([]graph.Entity, 0, len(res.Records))
		ids := make([]string, 0, len(res.Records))
		for _, rec := range res.Records {
			e, err := core.EntityAt(rec, "n")
			if err != nil {
				return fmt.Errorf("export entities: %w", err)
			}
			ents = append(ents, e)
			ids = append(ids, e.ID)
		}
		rres, err := db.Read(ctx, queries.Get("export-relationships"), map[string]any{"ids": ids})
		if err != nil {
			return fmt.Errorf("export relationships: %w", err)
		}
		byFrom := map[string][]graph.Relationship{}
		for _, rec := range rres.Records {
			rel, err := core.RelationshipAt(rec)
			if err != nil {
				return fmt.Errorf("export relationships: %w", err)
			}
			byFrom[rel.From] = append(byFrom[rel.From], rel)
		}
		for _, e := range ents {
			if err := fn(e, byFrom[e.ID]); err != nil {
				return err
			}
		}
		after = ids[len(ids)-1]
	}
}
