package admin

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/queries"
)

// DeleteAll empties the database, keeping the schema. The benchmark
// harness uses it between runs; nothing in the service calls it.
func (db *Admin) DeleteAll(ctx context.Context) (int, error) {
	sess := db.Session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	rres, err := sess.Run(ctx, queries.Get("bench-delete-relationships"), nil)
	if err == nil {
		_, err = rres.Consume(ctx)
	}
	if err != nil {
		return 0, fmt.Errorf("delete all relationships: %w", core.Classify(err))
	}
	res, err := sess.Run(ctx, queries.Get("bench-delete-all"), nil)
	if err != nil {
		return 0, fmt.Errorf("delete all: %w", core.Classify(err))
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return 0, fmt.Errorf("delete all: %w", core.Classify(err))
	}
	n, _, err := neo4j.GetRecordValue[int64](rec, "deleted")
	if err != nil {
		return 0, fmt.Errorf("delete all: %w", err)
	}
	return int(n), nil
}

// RunScript runs trusted statements one by one in auto-commit
// transactions (so CALL … IN TRANSACTIONS works). It exists for the LOAD
// CSV benchmark baseline, whose statements come from our own generator;
// never pass it user input.
func (db *Admin) RunScript(ctx context.Context, stmts []string) error {
	sess := db.Session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	for i, s := range stmts {
		res, err := sess.Run(ctx, s, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return fmt.Errorf("script statement %d (%s): %w", i+1, core.FirstLine(s), core.Classify(err))
		}
	}
	return nil
}

// SampleIDs returns up to n ids of entities of kind k.
func (db *Admin) SampleIDs(ctx context.Context, k graph.Kind, n int) ([]string, error) {
	label, ok := graph.KindLabel(k)
	if !ok {
		return nil, graph.Errorf(graph.CodeInvalid, "kind", "unknown kind %q", k)
	}
	res, err := db.Read(ctx, queries.Get("sample-ids"), map[string]any{"label": label, "limit": n})
	if err != nil {
		return nil, fmt.Errorf("sample %s ids: %w", k, err)
	}
	out := make([]string, 0, len(res.Records))
	for _, rec := range res.Records {
		id, _, err := neo4j.GetRecordValue[string](rec, "id")
		if err != nil {
			return nil, fmt.Errorf("sample %s ids: %w", k, err)
		}
		out = append(out, id)
	}
	return out, nil
}
