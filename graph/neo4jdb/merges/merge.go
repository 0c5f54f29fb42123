package merges

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/queries"
)

var _ graph.MergeStore = (*Merger)(nil)

// Merge merges req.Merge into req.Keep in one write transaction: it locks
// every entity involved, refuses judged pairs, copies the state before the
// merge into a snapshot (for UndoMerge), moves the relationships and
// sources (graph.PlanMerge), deletes the merged nodes, leaves a redirect for
// each and records the merge. The transaction function may be retried: it
// reads everything it decides on inside the transaction.
func (db *Merger) Merge(ctx context.Context, req graph.MergeRequest) (graph.MergeRecord, error) {
	req, err := req.Normalize()
	if err != nil {
		return graph.MergeRecord{}, err
	}
	ids := core.DistinctIDs(append([]string{req.Keep}, req.Merge...))
	work := func(tx neo4j.ManagedTransaction) (any, error) {
		now := time.Now().UTC()
		id := graph.NewMergeID(now)
		locked, err := lockEntities(ctx, tx, ids)
		if err != nil {
			return nil, err
		}
		if _, ok := locked[req.Keep]; !ok {
			return nil, missingMerged(ctx, tx, "keep", req.Keep)
		}
		others := make([]graph.Entity, 0, len(req.Merge))
		var done []string // merged into keep already: the request is repeated
		for i, m := range req.Merge {
			e, ok := locked[m]
			if !ok {
				err := missingMerged(ctx, tx, fmt.Sprintf("merge[%d]", i), m)
				var into *mergedInto
				if errors.As(err, &into) && into.to == req.Keep {
					done = append(done, into.merge)
					continue
				}
				return nil, err
			}
			others = append(others, e)
		}
		if len(others) == 0 {
			// Every id is merged into keep already: answer the last merge.
			slices.Sort(done)
			rec, err := getMerge(ctx, tx, done[len(done)-1])
			return repeated{rec}, err
		}
		req := req
		req.Merge = slices.DeleteFunc(slices.Clone(req.Merge), func(id string) bool { _, ok := locked[id]; return !ok })
		ids := core.DistinctIDs(append([]string{req.Keep}, req.Merge...))
		judged, err := core.Collect(ctx, tx, "merge-judged", map[string]any{"ids": ids})
		if err != nil {
			return nil, err
		}
		if len(judged) > 0 {
			a, _, _ := neo4j.GetRecordValue[string](judged[0], "a")
			b, _, _ := neo4j.GetRecordValue[string](judged[0], "b")
			return nil, graph.Errorf(graph.CodeConflict, "merge", "%q and %q were judged not the same; they are not merged", a, b)
		}
		rels, err := touching(ctx, tx, ids)
		if err != nil {
			return nil, err
		}
		plan, err := graph.PlanMerge(locked[req.Keep], others, rels)
		if err != nil {
			return nil, err
		}
		if _, err := core.Collect(ctx, tx, "merge-snapshot", map[string]any{"merge": id, "ids": ids}); err != nil {
			return nil, err
		}
		if len(plan.Delete) > 0 {
			rows := make([]map[string]any, len(plan.Delete))
			for i, r := range plan.Delete {
				rows[i] = map[string]any{"id": r.ID, "from": r.From, "to": r.To}
			}
			if err := core.RunCounted(ctx, tx, "merge-delete-relationships", rows); err != nil {
				return nil, err
			}
		}
		if err := runIDs(ctx, tx, "merge-delete-entities", req.Merge); err != nil {
			return nil, err
		}
		k := plan.Kept
		if err := core.RunCounted(ctx, tx, "entity-upsert", []map[string]any{{"id": k.ID, "labels": graph.Labels(k.Kinds), "props": core.EntityParams(k)}}); err != nil {
			return nil, err
		}
		if len(plan.Write) > 0 {
			rows := make([]map[string]any, len(plan.Write))
			for i, r := range plan.Write {
				rows[i] = map[string]any{"id": r.ID, "type": string(r.Type), "from": r.From, "to": r.To, "props": core.RelationshipParams(r)}
			}
			if err := core.RunCounted(ctx, tx, "relationship-upsert", rows); err != nil {
				return nil, err
			}
		}
		rec := plan.Record
		rec.ID, rec.Reason, rec.By, rec.At, rec.Status = id, req.Reason, req.By, now, graph.MergeActive
		fp, err := fingerprint(ctx, tx, req.Keep)
		if err != nil {
			return nil, err
		}
		props, err := mergeParams(rec)
		if err != nil {
			return nil, err
		}
		if _, err := core.Collect(ctx, tx, "merge-save", map[string]any{"id": id, "props": props, "keep": req.Keep,
			"merged": req.Merge, "fingerprint": fp}); err != nil {
			return nil, err
		}
		return rec, nil
	}
	out, err := db.write(ctx, work)
	if err != nil {
		return graph.MergeRecord{}, fmt.Errorf("merge %s into %s: %w", strings.Join(req.Merge, ", "), req.Keep, err)
	}
	if r, ok := out.(repeated); ok {
		return r.rec, graph.ErrRepeated
	}
	return out.(graph.MergeRecord), nil
}

// repeated is the answer of a merge whose ids are all merged into the kept
// one already.
type repeated struct{ rec graph.MergeRecord }

// mergedInto is the error for an id merged away already.
type mergedInto struct {
	field, id, to, merge string
}

func (e *mergedInto) Error() string {
	return fmt.Sprintf("%s: %q was merged into %q already (%s)", e.field, e.id, e.to, e.merge)
}

// Unwrap makes it a conflict.
func (e *mergedInto) Unwrap() error {
	return graph.Errorf(graph.CodeConflict, e.field, "%q was merged into %q already (%s)", e.id, e.to, e.merge)
}

// missingMerged is the error for an id of a merge that is not an entity:
// merged already (say into what), or not found.
func missingMerged(ctx context.Context, tx neo4j.ManagedTransaction, field, id string) error {
	recs, err := core.Collect(ctx, tx, "redirect-resolve", map[string]any{"ids": []string{id}})
	if err != nil {
		return err
	}
	if len(recs) > 0 {
		to, _, _ := neo4j.GetRecordValue[string](recs[0], "to")
		merge, _, _ := neo4j.GetRecordValue[string](recs[0], "merge")
		return &mergedInto{field: field, id: id, to: to, merge: merge}
	}
	return graph.Errorf(graph.CodeNotFound, field, "no entity %q", id)
}

// lockEntities takes the write locks of the stored entities among ids
// (sorted) and reads them under the locks (merge-lock creates nothing).
func lockEntities(ctx context.Context, tx neo4j.ManagedTransaction, ids []string) (map[string]graph.Entity, error) {
	return core.FetchEntities(ctx, tx, ids, "merge-lock")
}

// touching reads every relationship (MENTIONED_IN excepted) of the ids.
func touching(ctx context.Context, tx neo4j.ManagedTransaction, ids []string) ([]graph.Relationship, error) {
	recs, err := core.Collect(ctx, tx, "merge-relationships", map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := make([]graph.Relationship, 0, len(recs))
	for _, rec := range recs {
		gr, err := core.RelationshipAt(rec)
		if err != nil {
			return nil, err
		}
		out = append(out, gr)
	}
	return out, nil
}

// runIDs runs a write query over $ids and checks that it wrote each.
func runIDs(ctx context.Context, tx neo4j.ManagedTransaction, query string, ids []string) error {
	recs, err := core.Collect(ctx, tx, query, map[string]any{"ids": ids})
	if err != nil {
		return err
	}
	if len(recs) != 1 {
		return fmt.Errorf("%s answered %d rows", query, len(recs))
	}
	written, _, err := neo4j.GetRecordValue[int64](recs[0], "written")
	if err != nil {
		return err
	}
	if int(written) != len(ids) {
		return fmt.Errorf("%s wrote %d of %d", query, written, len(ids))
	}
	return nil
}

func fingerprint(ctx context.Context, tx neo4j.ManagedTransaction, keep string) (string, error) {
	recs, err := core.Collect(ctx, tx, "merge-fingerprint", map[string]any{"keep": keep})
	if err != nil {
		return "", err
	}
	if len(recs) == 0 {
		return "", nil
	}
	fp, _, err := neo4j.GetRecordValue[string](recs[0], "fingerprint")
	return fp, err
}

// write runs work in a write transaction.
func (db *Merger) write(ctx context.Context, work neo4j.ManagedTransactionWork) (any, error) {
	sess := db.Session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	out, err := sess.ExecuteWrite(ctx, work)
	if err != nil {
		return nil, db.ClassifyReq(ctx, err)
	}
	return out, nil
}

// storedValue is a graph.Value as the merge record stores it (with its
// type: graph.Value's JSON is the bare value).
type storedValue graph.Value

type storedConflict struct {
	Property string      `json:"property"`
	Kept     storedValue `json:"kept"`
	Other    storedValue `json:"other"`
	From     string      `json:"from"`
}

// mergeDetail is what a merge moved, stored as JSON on its :Merge node.
type mergeDetail struct {
	Names         []string                  `json:"names"`
	Kinds         []graph.Kind              `json:"kinds"`
	Sources       []string                  `json:"sources"`
	Properties    []string                  `json:"properties"`
	Conflicts     []storedConflict          `json:"conflicts"`
	Relationships []graph.MovedRelationship `json:"relationships"`
}

func mergeParams(rec graph.MergeRecord) (map[string]any, error) {
	d := mergeDetail{Names: rec.Names, Kinds: rec.Kinds, Sources: rec.Sources, Properties: rec.Properties,
		Relationships: rec.Relationships, Conflicts: []storedConflict{}}
	for _, c := range rec.Conflicts {
		d.Conflicts = append(d.Conflicts, storedConflict{Property: c.Property, Kept: storedValue(c.Kept), Other: storedValue(c.Other), From: c.From})
	}
	b, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	return map[string]any{"keep": rec.Keep, "merged": rec.Merged, "reason": rec.Reason, "by": rec.By,
		"at": rec.At, "status": rec.Status, "detail": string(b)}, nil
}

// MergeFromNode converts a stored :Merge node.
func MergeFromNode(n neo4j.Node) (graph.MergeRecord, error) {
	r := &core.PropReader{E: n}
	rec := graph.MergeRecord{ID: r.Str("id"), Keep: r.Str("keep"), Reason: r.Str("reason"), By: r.Str("by"),
		Status: r.Str("status"), UndoneBy: r.Str("undone_by")}
	if at := r.Time("at"); at != nil {
		rec.At = *at
	}
	rec.UndoneAt = r.Time("undone_at")
	detail := r.Str("detail")
	if r.Err != nil {
		return rec, fmt.Errorf("merge %s: %w", rec.ID, r.Err)
	}
	var err error
	if rec.Merged, err = core.StringList(n, "merged"); err != nil {
		return rec, fmt.Errorf("merge %s: %w", rec.ID, err)
	}
	var d mergeDetail
	if err := json.Unmarshal([]byte(detail), &d); err != nil {
		return rec, fmt.Errorf("merge %s: detail: %w", rec.ID, err)
	}
	rec.Names, rec.Kinds, rec.Sources, rec.Properties, rec.Relationships = d.Names, d.Kinds, d.Sources, d.Properties, d.Relationships
	rec.Conflicts = []graph.PropertyConflict{}
	for _, c := range d.Conflicts {
		rec.Conflicts = append(rec.Conflicts, graph.PropertyConflict{Property: c.Property, Kept: graph.Value(c.Kept), Other: graph.Value(c.Other), From: c.From})
	}
	return rec, nil
}

func getMerge(ctx context.Context, tx neo4j.ManagedTransaction, id string) (graph.MergeRecord, error) {
	recs, err := core.Collect(ctx, tx, "merge-get", map[string]any{"id": id})
	if err != nil {
		return graph.MergeRecord{}, err
	}
	if len(recs) == 0 {
		return graph.MergeRecord{}, graph.Errorf(graph.CodeNotFound, "id", "no merge %q", id)
	}
	n, _, err := neo4j.GetRecordValue[neo4j.Node](recs[0], "m")
	if err != nil {
		return graph.MergeRecord{}, err
	}
	return MergeFromNode(n)
}

// MergeRecord returns a recorded merge.
func (db *Merger) MergeRecord(ctx context.Context, id string) (graph.MergeRecord, error) {
	sess := db.Session(ctx, neo4j.AccessModeRead)
	defer sess.Close(ctx)
	out, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) { return getMerge(ctx, tx, id) })
	if err != nil {
		return graph.MergeRecord{}, fmt.Errorf("get merge %s: %w", id, db.ClassifyReq(ctx, err))
	}
	return out.(graph.MergeRecord), nil
}

// UndoMerge restores, in one write transaction, the kept entity and the
// merged ones with every relationship they had, from the merge's snapshot;
// it drops the redirects and marks the merge undone. It refuses when the
// kept entity changed since (its fingerprint differs) or a merged id is an
// entity again.
func (db *Merger) UndoMerge(ctx context.Context, id, by string) (graph.MergeRecord, error) {
	work := func(tx neo4j.ManagedTransaction) (any, error) {
		rec, err := getMerge(ctx, tx, id)
		if err != nil || rec.Status == graph.MergeUndone {
			return rec, err
		}
		locked, err := lockEntities(ctx, tx, core.DistinctIDs(append([]string{rec.Keep}, rec.Merged...)))
		if err != nil {
			return nil, err
		}
		kept, ok := locked[rec.Keep]
		if !ok {
			return nil, graph.Errorf(graph.CodeConflict, "id", "the kept entity %q is no longer in the graph (merged again?); undo the later merge first", rec.Keep)
		}
		for _, m := range rec.Merged {
			if _, ok := locked[m]; ok {
				return nil, graph.Errorf(graph.CodeConflict, "id", "%q is an entity again; the merge cannot be undone", m)
			}
		}
		recs, err := core.Collect(ctx, tx, "merge-get", map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		m, _, _ := neo4j.GetRecordValue[neo4j.Node](recs[0], "m")
		want, _, _ := core.OptionalProp[string](m, "fingerprint")
		fp, err := fingerprint(ctx, tx, rec.Keep)
		if err != nil {
			return nil, err
		}
		if fp != want {
			return nil, graph.Errorf(graph.CodeConflict, "id", "%q or one of its relationships changed after the merge; undoing it would lose that change", rec.Keep)
		}
		nodes, rels, err := readSnapshot(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		before, ok := nodes[rec.Keep]
		if !ok {
			return nil, fmt.Errorf("merge %s has no snapshot of %s", id, rec.Keep)
		}
		var drop []string
		for _, l := range graph.Labels(kept.Kinds) {
			if !slices.Contains(before, l) {
				drop = append(drop, l)
			}
		}
		if _, err := core.Collect(ctx, tx, "merge-undo-detach", map[string]any{"keep": rec.Keep}); err != nil {
			return nil, err
		}
		if _, err := core.Collect(ctx, tx, "merge-restore-kept", map[string]any{"merge": id, "keep": rec.Keep, "drop": append([]string{}, drop...)}); err != nil {
			return nil, err
		}
		var rows []map[string]any
		for _, mid := range rec.Merged {
			labels, ok := nodes[mid]
			if !ok {
				return nil, fmt.Errorf("merge %s has no snapshot of %s", id, mid)
			}
			rows = append(rows, map[string]any{"merge": id, "id": mid, "labels": labels})
		}
		if err := core.RunCounted(ctx, tx, "merge-restore-entities", rows); err != nil {
			return nil, err
		}
		if len(rels) > 0 {
			if err := core.RunCounted(ctx, tx, "merge-restore-relationships", rels); err != nil {
				return nil, err
			}
		}
		if _, err := core.Collect(ctx, tx, "merge-undo-finish", map[string]any{"id": id, "by": by}); err != nil {
			return nil, err
		}
		return getMerge(ctx, tx, id)
	}
	out, err := db.write(ctx, work)
	if err != nil {
		return graph.MergeRecord{}, fmt.Errorf("undo merge %s: %w", id, err)
	}
	return out.(graph.MergeRecord), nil
}

// readSnapshot reads a merge's snapshot: each node's labels by entity id
// and the rows re-creating its relationships. Labels and types are checked
// against the model's allow-lists before they reach Cypher.
func readSnapshot(ctx context.Context, tx neo4j.ManagedTransaction, merge string) (map[string][]string, []map[string]any, error) {
	recs, err := core.Collect(ctx, tx, "merge-snapshot-read", map[string]any{"merge": merge})
	if err != nil {
		return nil, nil, err
	}
	nodes := map[string][]string{}
	var rels []map[string]any
	for _, rec := range recs {
		what, _, _ := neo4j.GetRecordValue[string](rec, "what")
		sid, _, _ := neo4j.GetRecordValue[string](rec, "sid")
		if what == "node" {
			id, _, _ := neo4j.GetRecordValue[string](rec, "id")
			raw, _, _ := neo4j.GetRecordValue[[]any](rec, "labels")
			labels := graph.Labels(core.KindsOf(raw))
			if len(labels) != len(raw) {
				return nil, nil, fmt.Errorf("snapshot of %s has labels %v outside the model", id, raw)
			}
			nodes[id] = labels
			continue
		}
		t, _, _ := neo4j.GetRecordValue[string](rec, "type")
		rt, ok := graph.ParseRelType(t)
		if !ok || string(rt) != t {
			return nil, nil, fmt.Errorf("snapshot relationship type %q is outside the model", t)
		}
		rels = append(rels, map[string]any{"sid": sid, "type": string(rt)})
	}
	return nodes, rels, nil
}

// Resolve follows merged ids to the id they stand for now.
func (db *Merger) Resolve(ctx context.Context, id string) (string, bool, error) {
	start := id
	for range graph.MaxRedirectHops {
		res, err := db.Read(ctx, queries.Get("redirect-resolve"), map[string]any{"ids": []string{id}})
		if err != nil {
			return start, false, fmt.Errorf("resolve %s: %w", start, err)
		}
		if len(res.Records) == 0 {
			break
		}
		to, _, err := neo4j.GetRecordValue[string](res.Records[0], "to")
		if err != nil {
			return start, false, fmt.Errorf("resolve %s: %w", start, err)
		}
		id = to
	}
	return id, id != start, nil
}

// Redirects returns every merged id with the id it was merged into.
func (db *Merger) Redirects(ctx context.Context) (map[string]string, error) {
	res, err := db.Read(ctx, queries.Get("redirect-all"), nil)
	if err != nil {
		return nil, fmt.Errorf("read redirects: %w", err)
	}
	out := make(map[string]string, len(res.Records))
	for _, rec := range res.Records {
		id, _, _ := neo4j.GetRecordValue[string](rec, "id")
		to, _, _ := neo4j.GetRecordValue[string](rec, "to")
		out[id] = to
	}
	return out, nil
}

// Judge records a "not the same" judgement (idempotently: the pair's id is
// derived from it).
func (db *Merger) Judge(ctx context.Context, j graph.Judgement) (graph.Judgement, bool, error) {
	j, err := j.Normalize()
	if err != nil {
		return j, false, err
	}
	type answer struct {
		j       graph.Judgement
		created bool
	}
	work := func(tx neo4j.ManagedTransaction) (any, error) {
		found, err := core.Collect(ctx, tx, "entity-exists", map[string]any{"ids": []string{j.A, j.B}})
		if err != nil {
			return nil, err
		}
		if len(found) < 2 {
			field, id := "a", j.A
			if len(found) == 1 {
				if got, _, _ := neo4j.GetRecordValue[string](found[0], "id"); got == j.A {
					field, id = "b", j.B
				}
			}
			return nil, graph.Errorf(graph.CodeNotFound, field, "no entity %q", id)
		}
		recs, err := core.Collect(ctx, tx, "judgement-save", map[string]any{"id": j.ID, "a": j.A, "b": j.B,
			"verdict": j.Verdict, "reason": j.Reason, "by": j.By})
		if err != nil {
			return nil, err
		}
		n, _, err := neo4j.GetRecordValue[neo4j.Node](recs[0], "j")
		if err != nil {
			return nil, err
		}
		created, _, _ := neo4j.GetRecordValue[bool](recs[0], "created")
		out, err := judgementFromNode(n)
		return answer{out, created}, err
	}
	out, err := db.write(ctx, work)
	if err != nil {
		return j, false, fmt.Errorf("judge %s: %w", j.ID, err)
	}
	a := out.(answer)
	return a.j, a.created, nil
}
