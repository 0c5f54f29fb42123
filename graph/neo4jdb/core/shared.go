package core

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/queries"
)

// ReadTimed runs one read query, routed to readers, against the named
// database, like db.read; besides, it gives the server a transaction timeout
// a little shorter than what is left of ctx's deadline (serverTimeoutMargin),
// so a query the client stopped waiting for does not keep running on the
// server, and Neo4j, ending it first, says it timed out.
func (db *DB) ReadTimed(ctx context.Context, cypher string, params map[string]any) (_ *neo4j.EagerResult, err error) {
	defer db.Observe(cypher, time.Now(), &err)
	opts := []neo4j.ExecuteQueryConfigurationOption{
		neo4j.ExecuteQueryWithDatabase(db.database), neo4j.ExecuteQueryWithReadersRouting(),
	}
	if dl, ok := ctx.Deadline(); ok {
		left := time.Until(dl)
		if left < time.Millisecond {
			return nil, db.ClassifyReq(ctx, graph.WrapError(graph.CodeTimeout, context.DeadlineExceeded, "the query ran out of time"))
		}
		opts = append(opts, neo4j.ExecuteQueryWithTransactionConfig(neo4j.WithTxTimeout(left-min(left/10, serverTimeoutMargin))))
	}
	res, err := neo4j.ExecuteQuery(ctx, db.driver, cypher, params, neo4j.EagerResultTransformer, opts...)
	if err != nil {
		return nil, db.ClassifyReq(ctx, err)
	}
	db.ReadOK(time.Now())
	return res, nil
}

// KindLabels maps kinds to their labels through the allow-list.
func KindLabels(kinds []graph.Kind) ([]string, error) {
	out := make([]string, 0, len(kinds))
	for _, k := range kinds {
		l, ok := graph.KindLabel(k)
		if !ok {
			return nil, graph.Errorf(graph.CodeInvalid, "kind", "unknown kind %q", k)
		}
		out = append(out, l)
	}
	return graph.NormalizeStrings(out), nil
}

// RelTypeParams maps relationship types through the allow-list; none means
// graph.TraversedRelTypes (every type but MENTIONED_IN and the hints).
func RelTypeParams(types []graph.RelType) ([]string, error) {
	if len(types) == 0 {
		types = graph.TraversedRelTypes()
	}
	out := make([]string, 0, len(types))
	for _, t := range types {
		p, ok := graph.ParseRelType(string(t))
		if !ok {
			return nil, graph.Errorf(graph.CodeInvalid, "rel", "unknown relationship type %q", t)
		}
		out = append(out, string(p))
	}
	return graph.NormalizeStrings(out), nil
}

// PathFromDriver converts a stored path of :Entity nodes.
func PathFromDriver(p neo4j.Path) (graph.Path, error) {
	out := graph.Path{Nodes: make([]graph.Entity, 0, len(p.Nodes)), Edges: make([]graph.Relationship, 0, len(p.Relationships))}
	ids := make(map[string]string, len(p.Nodes))
	for _, n := range p.Nodes {
		e, err := EntityFromNode(n)
		if err != nil {
			return out, err
		}
		ids[n.ElementId] = e.ID
		out.Nodes = append(out.Nodes, e)
	}
	for _, r := range p.Relationships {
		from, ok1 := ids[r.StartElementId]
		to, ok2 := ids[r.EndElementId]
		if !ok1 || !ok2 {
			return out, fmt.Errorf("path relationship %s: endpoints not in the path", r.ElementId)
		}
		rel, err := RelationshipFromStored(r, from, to)
		if err != nil {
			return out, err
		}
		out.Edges = append(out.Edges, rel)
	}
	return out, nil
}

// KindsOf maps a labels(n) value to kinds.
func KindsOf(labels []any) []graph.Kind {
	ls := make([]string, 0, len(labels))
	for _, l := range labels {
		if s, ok := l.(string); ok {
			ls = append(ls, s)
		}
	}
	return graph.KindsFromLabels(ls)
}

// DistinctIDs returns the sorted distinct ids: a fixed order to lock in.
func DistinctIDs(ids []string) []string {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Collect runs a named query in tx and reads every record.
func Collect(ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := tx.Run(ctx, queries.Get(query), params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}

// RunCounted runs a write query over rows and checks that it wrote each.
func RunCounted(ctx context.Context, tx neo4j.ManagedTransaction, query string, rows []map[string]any) error {
	res, err := tx.Run(ctx, queries.Get(query), map[string]any{"rows": rows})
	if err != nil {
		return err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return err
	}
	written, _, err := neo4j.GetRecordValue[int64](rec, "written")
	if err != nil {
		return err
	}
	if int(written) != len(rows) {
		return fmt.Errorf("%s wrote %d of %d rows", query, written, len(rows))
	}
	return nil
}

// FetchEntities reads the entities ids with query (entity-fetch, or
// entity-lock, which locks them first): one row per stored id with the node
// n. A row whose created is true is a placeholder entity-lock made; it comes
// back as an Entity without ID.
func FetchEntities(ctx context.Context, tx neo4j.ManagedTransaction, ids []string, query string) (map[string]graph.Entity, error) {
	recs, err := Collect(ctx, tx, query, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := make(map[string]graph.Entity, len(recs))
	for _, rec := range recs {
		if created, _, _ := neo4j.GetRecordValue[bool](rec, "created"); created {
			id, _, err := neo4j.GetRecordValue[string](rec, "id")
			if err != nil {
				return nil, err
			}
			out[id] = graph.Entity{}
			continue
		}
		e, err := EntityAt(rec, "n")
		if err != nil {
			return nil, err
		}
		out[e.ID] = e
	}
	return out, nil
}

// serverTimeoutMargin is how much sooner than the client's deadline the
// server's transaction timeout falls (at most a tenth of the time left).
const serverTimeoutMargin = 250 * time.Millisecond

// EntityReader reads one stored entity: the read part of the store, for
// the parts that start from a stored entity (a match of its duplicates,
// the analytics' focus).
type EntityReader interface {
	Entity(ctx context.Context, q graph.EntityQuery) (graph.EntityDetail, error)
}
