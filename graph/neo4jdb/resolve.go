package neo4jdb

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/names"
	"github.com/scamgraph/scamgraph/queries"
)

var _ graph.Resolver = (*DB)(nil)

// ResolveCandidates finds stored entities (not sources) whose names or
// aliases match one of e's, through the full-text index: the candidates
// import --resolve scores with graph.ScoreMatch.
func (db *DB) ResolveCandidates(ctx context.Context, e graph.Entity, limit int) ([]graph.Entity, error) {
	var parts []string
	for i, n := range append([]string{e.Name}, e.Aliases...) {
		if i >= 4 {
			break
		}
		folded := names.Fold(n)
		if folded == "" {
			continue
		}
		q, err := LuceneQuery(folded)
		if err != nil || q == "" {
			continue
		}
		parts = append(parts, "("+q+")")
	}
	if len(parts) == 0 {
		return nil, nil
	}
	res, err := db.read(ctx, queries.Get("resolve-candidates"), map[string]any{"lucene": strings.Join(parts, " OR "), "limit": int64(limit)})
	if err != nil {
		return nil, fmt.Errorf("candidates for %s: %w", e.ID, err)
	}
	out := make([]graph.Entity, 0, len(res.Records))
	for _, rec := range res.Records {
		n, _, err := neo4j.GetRecordValue[neo4j.Node](rec, "n")
		if err != nil {
			return nil, fmt.Errorf("candidates for %s: %w", e.ID, err)
		}
		c, err := EntityFromNode(n)
		if err != nil {
			return nil, fmt.Errorf("candidates for %s: %w", e.ID, err)
		}
		out = append(out, c)
	}
	return out, nil
}
