package neo4jdb

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/queries"
)

var _ graph.ImportStore = (*DB)(nil)

// ExistingIDs returns which of ids name entities already in the graph.
func (db *DB) ExistingIDs(ctx context.Context, ids []string) (map[string]bool, error) {
	out := make(map[string]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	res, err := db.read(ctx, queries.Get("entity-exists"), map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("look up existing ids: %w", err)
	}
	for _, rec := range res.Records {
		id, _, err := neo4j.GetRecordValue[string](rec, "id")
		if err != nil {
			return nil, fmt.Errorf("look up existing ids: %w", err)
		}
		out[id] = true
	}
	return out, nil
}

// entityPlan is what a batch of entities comes to against the stored state.
type entityPlan struct {
	stats graph.WriteStats
	rows  []map[string]any
}

// planEntities folds each incoming entity into its stored version (and into
// earlier records of the same batch) and keeps the rows that change.
func planEntities(stored map[string]graph.Entity, batch []graph.Entity) entityPlan {
	merged := make(map[string]graph.Entity, len(batch))
	order := make([]string, 0, len(batch))
	for _, in := range batch {
		cur, seen := merged[in.ID]
		if !seen {
			order = append(order, in.ID)
			if s, ok := stored[in.ID]; ok {
				cur = s
			} else {
				cur = graph.Entity{ID: in.ID}
			}
		}
		merged[in.ID], _ = graph.MergeEntity(cur, in)
	}
	var p entityPlan
	for _, id := range order {
		e := merged[id]
		s, existed := stored[id]
		switch {
		case !existed:
			p.stats.Created++
		case graph.EntitiesEqual(s, e):
			p.stats.Unchanged++
			continue
		default:
			p.stats.Updated++
		}
		p.rows = append(p.rows, map[string]any{
			"id":     e.ID,
			"labels": graph.Labels(e.Kinds),
			"props":  entityParams(e),
		})
	}
	return p
}

// UpsertEntities merges a batch in one write transaction. The transaction
// function reads the stored state and writes only what changes, so the
// driver may retry it safely.
func (db *DB) UpsertEntities(ctx context.Context, batch []graph.Entity, dryRun bool) (graph.WriteStats, error) {
	if len(batch) == 0 {
		return graph.WriteStats{}, nil
	}
	ids := make([]string, 0, len(batch))
	for _, e := range batch {
		ids = append(ids, e.ID)
	}
	work := func(tx neo4j.ManagedTransaction) (any, error) {
		stored, err := fetchEntities(ctx, tx, ids)
		if err != nil {
			return nil, err
		}
		p := planEntities(stored, batch)
		if dryRun || len(p.rows) == 0 {
			return p.stats, nil
		}
		res, err := tx.Run(ctx, queries.Get("entity-upsert"), map[string]any{"rows": p.rows})
		if err != nil {
			return nil, err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return nil, err
		}
		written, _, err := neo4j.GetRecordValue[int64](rec, "written")
		if err != nil {
			return nil, err
		}
		if int(written) != len(p.rows) {
			return nil, fmt.Errorf("wrote %d of %d entities", written, len(p.rows))
		}
		return p.stats, nil
	}
	stats, err := db.runTx(ctx, dryRun, work)
	if err != nil {
		return graph.WriteStats{}, fmt.Errorf("upsert %d entities: %w", len(batch), err)
	}
	return stats, nil
}

func fetchEntities(ctx context.Context, tx neo4j.ManagedTransaction, ids []string) (map[string]graph.Entity, error) {
	res, err := tx.Run(ctx, queries.Get("entity-fetch"), map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]graph.Entity, len(recs))
	for _, rec := range recs {
		n, _, err := neo4j.GetRecordValue[neo4j.Node](rec, "n")
		if err != nil {
			return nil, err
		}
		e, err := EntityFromNode(n)
		if err != nil {
			return nil, err
		}
		out[e.ID] = e
	}
	return out, nil
}

// UpsertRelationships merges a batch of relationships in one write
// transaction, reading the stored versions first.
func (db *DB) UpsertRelationships(ctx context.Context, batch []graph.Relationship, dryRun bool) (graph.WriteStats, error) {
	if len(batch) == 0 {
		return graph.WriteStats{}, nil
	}
	keys := make([]map[string]any, 0, len(batch))
	asked := make(map[string]graph.Relationship, len(batch))
	for _, r := range batch {
		asked[r.ID] = r
		keys = append(keys, map[string]any{"id": r.ID, "from": r.From, "to": r.To})
	}
	work := func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, queries.Get("relationship-fetch"), map[string]any{"rows": keys})
		if err != nil {
			return nil, err
		}
		recs, err := res.Collect(ctx)
		if err != nil {
			return nil, err
		}
		stored := make(map[string]graph.Relationship, len(recs))
		for _, rec := range recs {
			r, err := relationshipFromRecord(rec, asked)
			if err != nil {
				return nil, err
			}
			stored[r.ID] = r
		}
		var stats graph.WriteStats
		merged := make(map[string]graph.Relationship, len(batch))
		var order []string
		for _, in := range batch {
			cur, seen := merged[in.ID]
			if !seen {
				order = append(order, in.ID)
				if s, ok := stored[in.ID]; ok {
					cur = s
				} else {
					cur = graph.Relationship{ID: in.ID, Type: in.Type, From: in.From, To: in.To, Key: in.Key, Evidence: in.Evidence}
				}
			}
			merged[in.ID], _ = graph.MergeRelationship(cur, in)
		}
		var rows []map[string]any
		for _, id := range order {
			r := merged[id]
			s, existed := stored[id]
			switch {
			case !existed:
				stats.Created++
			case graph.RelationshipsEqual(s, r):
				stats.Unchanged++
				continue
			default:
				stats.Updated++
			}
			rows = append(rows, map[string]any{
				"id": r.ID, "type": string(r.Type), "from": r.From, "to": r.To,
				"props": relationshipParams(r),
			})
		}
		if dryRun || len(rows) == 0 {
			return stats, nil
		}
		wres, err := tx.Run(ctx, queries.Get("relationship-upsert"), map[string]any{"rows": rows})
		if err != nil {
			return nil, err
		}
		rec, err := wres.Single(ctx)
		if err != nil {
			return nil, err
		}
		written, _, err := neo4j.GetRecordValue[int64](rec, "written")
		if err != nil {
			return nil, err
		}
		if int(written) != len(rows) {
			return nil, graph.Errorf(graph.CodeInvalid, "to", "wrote %d of %d relationships: an endpoint does not exist", written, len(rows))
		}
		return stats, nil
	}
	stats, err := db.runTx(ctx, dryRun, work)
	if err != nil {
		return graph.WriteStats{}, fmt.Errorf("upsert %d relationships: %w", len(batch), err)
	}
	return stats, nil
}

func relationshipFromRecord(rec *neo4j.Record, asked map[string]graph.Relationship) (graph.Relationship, error) {
	id, _, err := neo4j.GetRecordValue[string](rec, "id")
	if err != nil {
		return graph.Relationship{}, err
	}
	r, _, err := neo4j.GetRecordValue[neo4j.Relationship](rec, "r")
	if err != nil {
		return graph.Relationship{}, err
	}
	b, ok := asked[id]
	if !ok {
		return graph.Relationship{}, fmt.Errorf("relationship %s was not asked for", id)
	}
	return RelationshipFromStored(r, b.From, b.To)
}

// runTx runs work as a write transaction, or as a read one for a dry run.
func (db *DB) runTx(ctx context.Context, readOnly bool, work neo4j.ManagedTransactionWork) (graph.WriteStats, error) {
	mode := neo4j.AccessModeWrite
	if readOnly {
		mode = neo4j.AccessModeRead
	}
	sess := db.session(ctx, mode)
	defer sess.Close(ctx)
	var out any
	var err error
	if readOnly {
		out, err = sess.ExecuteRead(ctx, work)
	} else {
		out, err = sess.ExecuteWrite(ctx, work)
	}
	if err != nil {
		return graph.WriteStats{}, db.classifyReq(ctx, err)
	}
	stats, ok := out.(graph.WriteStats)
	if !ok {
		return graph.WriteStats{}, fmt.Errorf("transaction returned %T", out)
	}
	return stats, nil
}

// SaveImportRun creates or updates the record of an import run.
func (db *DB) SaveImportRun(ctx context.Context, run graph.ImportRun) error {
	_, err := neo4j.ExecuteQuery(ctx, db.driver, queries.Get("import-run-save"),
		map[string]any{"id": run.ID, "props": importRunParams(run)}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(db.database))
	if err != nil {
		return fmt.Errorf("save import run %s: %w", run.ID, classify(err))
	}
	return nil
}

// ImportRun returns a past run.
func (db *DB) ImportRun(ctx context.Context, id string) (graph.ImportRun, error) {
	res, err := db.read(ctx, queries.Get("import-run-get"), map[string]any{"id": id})
	if err != nil {
		return graph.ImportRun{}, fmt.Errorf("get import run %s: %w", id, err)
	}
	if len(res.Records) == 0 {
		return graph.ImportRun{}, graph.Errorf(graph.CodeNotFound, "id", "no import run %q", id)
	}
	n, _, err := neo4j.GetRecordValue[neo4j.Node](res.Records[0], "r")
	if err != nil {
		return graph.ImportRun{}, fmt.Errorf("get import run %s: %w", id, err)
	}
	return ImportRunFromNode(n)
}
