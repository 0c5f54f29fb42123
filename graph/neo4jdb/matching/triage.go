package matching

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/graph/triage"
	"github.com/scamgraph/scamgraph/queries"
)

var _ triage.NameSource = (*Matcher)(nil)

// NamesVersion is the graph's version for the triage index.
func (db *Matcher) NamesVersion(ctx context.Context) (string, error) {
	res, err := db.Read(ctx, queries.Get("names-version"), nil)
	if err != nil {
		return "", fmt.Errorf("names version: %w", err)
	}
	if len(res.Records) == 0 {
		return "", nil
	}
	v, _, err := neo4j.GetRecordValue[string](res.Records[0], "version")
	return v, err
}

// EachNamed pages through the entities triage may name, by id.
func (db *Matcher) EachNamed(ctx context.Context, fn func(triage.Named) error) error {
	const page = 10000
	after := ""
	for {
		res, err := db.Read(ctx, queries.Get("names-page"), map[string]any{"after": after, "limit": int64(page)})
		if err != nil {
			return fmt.Errorf("read names: %w", err)
		}
		for _, rec := range res.Records {
			n := triage.Named{}
			n.ID, _, _ = neo4j.GetRecordValue[string](rec, "id")
			n.Name, _, _ = neo4j.GetRecordValue[string](rec, "name")
			if raw, isNil, _ := neo4j.GetRecordValue[[]any](rec, "aliases"); !isNil {
				for _, a := range raw {
					if s, ok := a.(string); ok {
						n.Aliases = append(n.Aliases, s)
					}
				}
			}
			labels, _, _ := neo4j.GetRecordValue[[]any](rec, "labels")
			n.Kinds = core.KindsOf(labels)
			if err := fn(n); err != nil {
				return err
			}
			after = n.ID
		}
		if len(res.Records) < page {
			return nil
		}
	}
}
