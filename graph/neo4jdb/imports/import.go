package imports

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/queries"
)

var _ graph.ImportStore = (*Importer)(nil)

// ExistingIDs returns which of ids name entities already in the graph.
func (db *Importer) ExistingIDs(ctx context.Context, ids []string) (map[string]bool, error) {
	out := make(map[string]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	res, err := db.Read(ctx, queries.Get("entity-exists"), map[string]any{"ids": ids})
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

// StoredEntities returns the entities among ids that are in the graph, as
// much as the import rules need: id, kinds and name, and every field of
// victims.
func (db *Importer) StoredEntities(ctx context.Context, ids []string) (map[string]graph.Entity, error) {
	out := make(map[string]graph.Entity, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	res, err := db.Read(ctx, queries.Get("entity-check"), map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("read %d stored entities: %w", len(ids), err)
	}
	rows, err := found(res.Records)
	if err != nil {
		return nil, fmt.Errorf("read stored entities: %w", err)
	}
	for _, row := range rows {
		id, _ := row["id"].(string)
		if v, ok := row["victim"].(neo4j.Node); ok {
			e, err := core.EntityFromNode(v)
			if err != nil {
				return nil, fmt.Errorf("read stored entities: %w", err)
			}
			out[id] = e
			continue
		}
		labels, ok := row["labels"].([]any)
		if !ok {
			return nil, fmt.Errorf("read stored entities: %s: labels are a %T", id, row["labels"])
		}
		name, _ := row["name"].(string)
		out[id] = graph.Entity{ID: id, Kinds: core.KindsOf(labels), Name: name}
	}
	return out, nil
}

// found is the list a batch query returns as its one row's found: one map
// per item it found (entity-check, relationship-lock,
// entity-fetch-changed, relationship-plan-read). One Bolt record per
// batch, not one per item: the driver reads each record with a deadline
// of its own when the server sends a receive timeout, and that was a
// sixth of the importer's CPU on a re-import.
func found(recs []*neo4j.Record) ([]map[string]any, error) {
	if len(recs) != 1 {
		return nil, fmt.Errorf("%d rows, want one", len(recs))
	}
	return mapsAt(recs[0], "found")
}

// mapsAt is the list of maps in rec's column key.
func mapsAt(rec *neo4j.Record, key string) ([]map[string]any, error) {
	list, _, err := neo4j.GetRecordValue[[]any](rec, key)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(list))
	for i, v := range list {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s holds a %T", key, v)
		}
		out[i] = m
	}
	return out, nil
}

// entityPlan is what a batch of entities comes to against the stored state.
type entityPlan struct {
	results []graph.ItemResult // per record of the batch
	rows    []map[string]any   // the entities that change
}

// planEntities folds each incoming record into its stored version (and
// into earlier records of the same batch), refusing those that break a
// rule against it (graph.CheckEntityWrite), and keeps the rows that
// change. Every record of one id gets that id's outcome.
func planEntities(stored map[string]graph.Entity, batch []graph.Entity, opts graph.WriteOptions) entityPlan {
	merged := make(map[string]graph.Entity, len(batch))
	var order []string
	for _, in := range batch {
		if _, ok := merged[in.ID]; !ok {
			order = append(order, in.ID)
			if s, ok := stored[in.ID]; ok {
				merged[in.ID] = s
			} else {
				merged[in.ID] = graph.Entity{ID: in.ID}
			}
		}
	}
	p := entityPlan{results: make([]graph.ItemResult, len(batch))}
	accepted := map[string]bool{}
	for i, in := range batch {
		cur := merged[in.ID]
		s, existed := stored[in.ID]
		victim := s.HasKind(graph.KindVictim) || cur.HasKind(graph.KindVictim) || in.HasKind(graph.KindVictim)
		rec, err := graph.CheckEntityWrite(cur, in, opts.Guarded(in.ID, existed, victim), graph.VisibleName(s))
		if err != nil {
			p.results[i] = graph.ItemResult{Outcome: graph.OutcomeRefused, Err: err}
			continue
		}
		merged[in.ID], _ = graph.MergeEntity(cur, rec)
		accepted[in.ID] = true
	}
	order = slices.DeleteFunc(order, func(id string) bool { return !accepted[id] })
	var outcome map[string]graph.Outcome
	outcome, p.rows = decide(order, merged, stored, graph.EntitiesEqual, func(e graph.Entity) map[string]any {
		return map[string]any{"id": e.ID, "labels": graph.Labels(e.Kinds), "props": core.EntityParams(e)}
	})
	settle(p.results, outcome, func(i int) string { return batch[i].ID })
	return p
}

// decide compares each merged item (in order) with its stored version: an
// item not stored is created, an equal one unchanged, any other updated.
// It returns each id's outcome and the rows (made by row) to write.
func decide[T any](order []string, merged, stored map[string]T, equal func(a, b T) bool, row func(T) map[string]any) (map[string]graph.Outcome, []map[string]any) {
	outcome := make(map[string]graph.Outcome, len(order))
	var rows []map[string]any
	for _, id := range order {
		m := merged[id]
		s, existed := stored[id]
		switch {
		case !existed:
			outcome[id] = graph.OutcomeCreated
		case equal(s, m):
			outcome[id] = graph.OutcomeUnchanged
			continue
		default:
			outcome[id] = graph.OutcomeUpdated
		}
		rows = append(rows, row(m))
	}
	return outcome, rows
}

// settle gives every record that was not refused its id's outcome.
func settle(results []graph.ItemResult, outcome map[string]graph.Outcome, id func(i int) string) {
	for i := range results {
		if results[i].Outcome != graph.OutcomeRefused {
			results[i].Outcome = outcome[id(i)]
		}
	}
}

// The two kinds of batch whose lockFirst hint DB keeps.
const (
	entityBatch = iota
	relationshipBatch
)

// noteChanges sets the lockFirst hint of a kind of batch from the outcome
// of the batch just written: lock first next time when at least half of
// its records changed something (a first load: reading unlocked first is
// wasted work), read unlocked first when fewer did (a re-import: nothing
// is locked, nothing written).
func (db *Importer) noteChanges(kind int, results []graph.ItemResult) {
	changed := 0
	for _, r := range results {
		if r.Outcome == graph.OutcomeCreated || r.Outcome == graph.OutcomeUpdated {
			changed++
		}
	}
	db.lockFirst[kind].Store(2*changed >= len(results) && changed > 0)
}

// WriteEntities merges a batch in one write transaction (a read one for a
// dry run). The transaction reads and plans the batch, then locks every
// entity that changes (creating the new ones as placeholders), reads those
// again under the lock, plans again and writes: concurrent imports of one
// entity cannot lose each other's facts, and whether it was created is
// decided under the lock. When most of the previous batch changed (a first
// load), the unlocked read is skipped and the batch goes to
// createEntities: the new ids are created whole by the statement that
// finds them new, the stored ones locked and planned again. What is
// written is planned under the locks either way. The transaction function
// may be retried safely.
func (db *Importer) WriteEntities(ctx context.Context, batch []graph.Entity, opts graph.WriteOptions) ([]graph.ItemResult, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(batch))
	for _, e := range batch {
		ids = append(ids, e.ID)
	}
	ids = core.DistinctIDs(ids)
	lockFirst := !opts.DryRun && db.lockFirst[entityBatch].Load()
	work := func(tx neo4j.ManagedTransaction) (any, error) {
		stored := map[string]graph.Entity{}
		changing := ids
		if !lockFirst {
			// Read and plan without locks first: what does not change
			// needs none (the graph only grows, so a record that adds
			// nothing to what it read adds nothing later either).
			var err error
			if stored, err = fetchUnchanged(ctx, tx, batch); err != nil {
				return nil, err
			}
			p := planEntities(stored, batch, opts)
			changing = changingIDs(p.results, func(i int) string { return batch[i].ID })
			if opts.DryRun || len(changing) == 0 {
				return p.results, nil
			}
		}
		if lockFirst {
			if res, ok, err := createEntities(ctx, tx, batch, opts); err != nil || ok {
				return res, err
			}
		}
		// Lock what changes (creating the new ones as placeholders), read
		// it again under the lock and plan again: that plan is written.
		locked, err := core.FetchEntities(ctx, tx, changing, "entity-lock")
		if err != nil {
			return nil, err
		}
		placeholders := map[string]bool{}
		for _, id := range changing {
			switch e, ok := locked[id]; {
			case ok && e.ID == "": // a placeholder: the entity is new
				placeholders[id] = true
				delete(stored, id)
			case ok:
				stored[id] = e
			}
		}
		p := planEntities(stored, batch, opts)
		if len(p.rows) > 0 {
			if err := core.RunCounted(ctx, tx, "entity-upsert", p.rows); err != nil {
				return nil, err
			}
		}
		for _, row := range p.rows {
			delete(placeholders, row["id"].(string))
		}
		if len(placeholders) > 0 {
			res, err := tx.Run(ctx, queries.Get("entity-drop-placeholders"), map[string]any{"ids": slices.Sorted(maps.Keys(placeholders))})
			if err != nil {
				return nil, err
			}
			if _, err := res.Consume(ctx); err != nil {
				return nil, err
			}
		}
		return p.results, nil
	}
	out, err := db.runTx(ctx, opts.DryRun, work)
	if err != nil {
		return nil, fmt.Errorf("upsert %d entities: %w", len(batch), err)
	}
	if !opts.DryRun {
		db.noteChanges(entityBatch, out)
	}
	return out, nil
}

// createEntities is the first-load write of a batch (entity-create): it
// plans the batch as if none of its ids were stored, creates in one
// statement every id the graph lacks as that plan says, and locks and
// reads the ids it has; those are planned again from what is stored, and
// written (entity-upsert). A new id's plan does not depend on the other
// ids, so the plan of the created ones stands. When the plan refuses
// every record of an id, whether that id is stored would change what it
// writes, and ok is false: the caller takes the general path. Today no
// rule refuses the first record of an id that is not stored, so this is
// a guard for rules to come, not a path the importer takes.
func createEntities(ctx context.Context, tx neo4j.ManagedTransaction, batch []graph.Entity, opts graph.WriteOptions) ([]graph.ItemResult, bool, error) {
	p := planEntities(nil, batch, opts)
	written := map[string]bool{}
	for _, row := range p.rows {
		written[row["id"].(string)] = true
	}
	for _, in := range batch {
		if !written[in.ID] {
			return nil, false, nil
		}
	}
	if len(p.rows) == 0 {
		return p.results, true, nil
	}
	rows := slices.SortedFunc(slices.Values(p.rows), func(a, b map[string]any) int {
		return strings.Compare(a["id"].(string), b["id"].(string))
	})
	recs, err := core.Collect(ctx, tx, "entity-create", map[string]any{"rows": rows})
	if err != nil {
		return nil, true, err
	}
	if len(recs) != 1 {
		return nil, true, fmt.Errorf("entity-create returned %d rows", len(recs))
	}
	existing, _, err := neo4j.GetRecordValue[[]any](recs[0], "existing")
	if err != nil {
		return nil, true, err
	}
	created, _, err := neo4j.GetRecordValue[[]any](recs[0], "created")
	if err != nil {
		return nil, true, err
	}
	if len(created) > 0 {
		if _, err := core.Collect(ctx, tx, "entity-link-sources", map[string]any{"ids": created}); err != nil {
			return nil, true, err
		}
	}
	if len(existing) == 0 {
		return p.results, true, nil
	}
	stored := make(map[string]graph.Entity, len(existing))
	for _, v := range existing {
		n, ok := v.(neo4j.Node)
		if !ok {
			return nil, true, fmt.Errorf("entity-create: existing holds a %T", v)
		}
		e, err := core.EntityFromNode(n)
		if err != nil {
			return nil, true, err
		}
		stored[e.ID] = e
	}
	p = planEntities(stored, batch, opts)
	p.rows = slices.DeleteFunc(p.rows, func(row map[string]any) bool {
		_, ok := stored[row["id"].(string)]
		return !ok
	})
	if len(p.rows) > 0 {
		if err := core.RunCounted(ctx, tx, "entity-upsert", p.rows); err != nil {
			return nil, true, err
		}
	}
	return p.results, true, nil
}

// changingIDs are the sorted distinct ids of the records a plan creates or
// updates.
func changingIDs(results []graph.ItemResult, id func(i int) string) []string {
	var out []string
	for i, r := range results {
		if r.Outcome == graph.OutcomeCreated || r.Outcome == graph.OutcomeUpdated {
			out = append(out, id(i))
		}
	}
	return core.DistinctIDs(out)
}

// summarize turns a batch write's results into the counts of its distinct
// ids; a refused record is an error (for callers that write as the
// operator, whose batches break no rule).
func summarize(results []graph.ItemResult, err error, id func(i int) string) (graph.WriteStats, error) {
	if err != nil {
		return graph.WriteStats{}, err
	}
	var st graph.WriteStats
	seen := map[string]bool{}
	for i, r := range results {
		if r.Err != nil {
			return graph.WriteStats{}, r.Err
		}
		if !seen[id(i)] {
			seen[id(i)] = true
			st.Tally(r.Outcome)
		}
	}
	return st, nil
}

// UpsertEntities merges a batch as the operator (WriteEntities) and counts
// its distinct entities; a refused record is an error.
func (db *Importer) UpsertEntities(ctx context.Context, batch []graph.Entity, dryRun bool) (graph.WriteStats, error) {
	res, err := db.WriteEntities(ctx, batch, graph.WriteOptions{DryRun: dryRun})
	return summarize(res, err, func(i int) string { return batch[i].ID })
}

// fetchUnchanged reads the stored entities of a batch's ids for the
// unlocked plan (entity-fetch-changed): Neo4j compares each stored node
// with what the batch's records of its id would store on their own, and a
// node that already holds exactly that comes back as a flag, its entity
// made here from the same labels and properties the comparison used (what
// reading it would give); the others come back whole. The plan made from
// this is exact either way, and only the plan made under the locks is
// written.
func fetchUnchanged(ctx context.Context, tx neo4j.ManagedTransaction, batch []graph.Entity) (map[string]graph.Entity, error) {
	folded := map[string]graph.Entity{}
	var order []string
	for _, in := range batch {
		cur, ok := folded[in.ID]
		if !ok {
			cur = graph.Entity{ID: in.ID}
			order = append(order, in.ID)
		}
		folded[in.ID], _ = graph.MergeEntity(cur, in)
	}
	rows := make([]map[string]any, 0, len(order))
	images := make(map[string]neo4j.Node, len(order))
	for _, id := range order {
		e := folded[id]
		labels, props := graph.Labels(e.Kinds), core.EntityParams(e)
		images[id] = neo4j.Node{Labels: labels, Props: asReadProps(props)}
		rows = append(rows, map[string]any{"id": id, "labels": labels, "props": props})
	}
	recs, err := core.Collect(ctx, tx, "entity-fetch-changed", map[string]any{"rows": rows})
	if err != nil {
		return nil, err
	}
	list, err := found(recs)
	if err != nil {
		return nil, fmt.Errorf("entity-fetch-changed: %w", err)
	}
	out := make(map[string]graph.Entity, len(list))
	for _, row := range list {
		id, _ := row["id"].(string)
		n, ok := row["n"].(neo4j.Node)
		switch {
		case row["n"] == nil:
			n = images[id]
		case !ok:
			return nil, fmt.Errorf("entity-fetch-changed: %s is a %T", id, row["n"])
		}
		e, err := core.EntityFromNode(n)
		if err != nil {
			return nil, err
		}
		out[id] = e
	}
	return out, nil
}

// asReadProps is a property set of parameters as the driver reads it back
// once stored (asRead of each value).
func asReadProps(props map[string]any) map[string]any {
	read := make(map[string]any, len(props))
	for k, v := range props {
		read[k] = asRead(v)
	}
	return read
}

// asRead is a parameter value as the driver reads it back once stored
// (lists come back as []any); entity-fetch-changed and
// relationship-plan-read have checked that the stored value has the
// parameter's type.
func asRead(v any) any {
	if l, ok := v.([]string); ok {
		out := make([]any, len(l))
		for i, x := range l {
			out[i] = x
		}
		return out
	}
	return v
}

// lockEnds locks the entities ids (relationship-lock) and reads their
// kinds; ids not in the graph are missing from the answer.
func lockEnds(ctx context.Context, tx neo4j.ManagedTransaction, ids []string) (map[string][]graph.Kind, error) {
	out := make(map[string][]graph.Kind, len(ids))
	const query = "relationship-lock"
	recs, err := core.Collect(ctx, tx, query, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	rows, err := found(recs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", query, err)
	}
	for _, row := range rows {
		id, _ := row["id"].(string)
		labels, ok := row["labels"].([]any)
		if !ok {
			return nil, fmt.Errorf("%s: %s: labels are a %T", query, id, row["labels"])
		}
		out[id] = core.KindsOf(labels)
	}
	return out, nil
}

// WriteRelationships merges a batch of relationships in one write
// transaction (a read one for a dry run): it plans the batch from one
// read of its ends' kinds and stored relationships (readRelationshipPlan,
// planRelationships), then locks both ends of every relationship that
// changes, reads their kinds and the relationships again under the locks,
// plans again and writes what changes, in the order of their start
// nodes. As for entities, when most of the previous batch changed, the
// unlocked plan is skipped, both ends of every relationship are locked at
// once and the batch goes to createRelationships.
func (db *Importer) WriteRelationships(ctx context.Context, batch []graph.Relationship, opts graph.WriteOptions) ([]graph.ItemResult, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	ends := make([]string, 0, 2*len(batch))
	for _, r := range batch {
		ends = append(ends, r.From, r.To)
	}
	ends = core.DistinctIDs(ends)
	lockFirst := !opts.DryRun && db.lockFirst[relationshipBatch].Load()
	work := func(tx neo4j.ManagedTransaction) (any, error) {
		kinds := map[string][]graph.Kind{}
		lock := ends
		if !lockFirst {
			// As for entities: plan without locks; lock both ends of what
			// changes, read it again under the locks and plan again.
			read, err := readRelationshipPlan(ctx, tx, batch)
			if err != nil {
				return nil, err
			}
			kinds = read.kinds
			if opts.DryRun && opts.Planned != nil {
				// The dry run wrote none of the import's entities.
				for _, id := range ends {
					if planned := opts.Planned(id); planned != nil {
						kinds[id] = graph.NormalizeKinds(append(kinds[id], planned...))
					}
				}
			}
			p := planRelationships(batch, kinds, opts, read.stored)
			if opts.DryRun || len(p.rows) == 0 {
				return p.results, nil
			}
			lock = nil
			for i, r := range p.results {
				if r.Outcome == graph.OutcomeCreated || r.Outcome == graph.OutcomeUpdated {
					lock = append(lock, batch[i].From, batch[i].To)
				}
			}
			lock = core.DistinctIDs(lock)
		}
		locked, err := lockEnds(ctx, tx, lock)
		if err != nil {
			return nil, err
		}
		maps.Copy(kinds, locked)
		if lockFirst {
			return createRelationships(ctx, tx, batch, kinds, opts)
		}
		read, err := readRelationshipPlan(ctx, tx, batch)
		if err != nil {
			return nil, err
		}
		p := planRelationships(batch, kinds, opts, read.stored)
		if err := upsertRelationships(ctx, tx, p.rows); err != nil {
			return nil, err
		}
		return p.results, nil
	}
	out, err := db.runTx(ctx, opts.DryRun, work)
	if err != nil {
		return nil, fmt.Errorf("upsert %d relationships: %w", len(batch), err)
	}
	if !opts.DryRun {
		db.noteChanges(relationshipBatch, out)
	}
	return out, nil
}

// relationshipPlanRead is what the plan of a relationship batch
// reads in one statement (relationship-plan-read): the kinds of the ends
// in the graph, and every relationship of the batch as stored.
type relationshipPlanRead struct {
	kinds  map[string][]graph.Kind
	stored map[string]graph.Relationship // by id; absent when not stored
}

// readRelationshipPlan reads the ends' kinds and the stored relationships
// of a batch (relationship-plan-read). Each id's records are folded on
// their own, what the batch would store if nothing were stored, and Neo4j
// compares the stored relationship with that image: one that holds
// exactly the image comes back as a flag and is made here from the image
// (what reading it would give); the others come back whole. Either way
// the stored state of every id of the batch is known exactly, whichever
// of its records the plan then refuses.
func readRelationshipPlan(ctx context.Context, tx neo4j.ManagedTransaction, batch []graph.Relationship) (relationshipPlanRead, error) {
	folded := make(map[string]graph.Relationship, len(batch))
	var order []string
	for _, r := range batch {
		cur, seen := folded[r.ID]
		if !seen {
			order = append(order, r.ID)
			cur = relationshipBase(r)
		}
		folded[r.ID], _ = graph.MergeRelationship(cur, r)
	}
	rows := make([]map[string]any, 0, len(order))
	params := make(map[string]map[string]any, len(order))
	for _, id := range order {
		r := folded[id]
		params[id] = core.RelationshipParams(r)
		rows = append(rows, map[string]any{"id": id, "type": string(r.Type), "from": r.From, "to": r.To, "props": params[id]})
	}
	out := relationshipPlanRead{kinds: map[string][]graph.Kind{}, stored: make(map[string]graph.Relationship, len(order))}
	recs, err := core.Collect(ctx, tx, "relationship-plan-read", map[string]any{"rows": rows})
	if err != nil {
		return out, err
	}
	list, err := found(recs)
	if err != nil {
		return out, fmt.Errorf("relationship-plan-read: %w", err)
	}
	for _, row := range list {
		id, _ := row["id"].(string)
		b, ok := folded[id]
		if !ok {
			return out, fmt.Errorf("relationship-plan-read: relationship %s was not asked for", id)
		}
		for _, end := range []struct{ key, id string }{{"from", b.From}, {"to", b.To}} {
			if row[end.key] == nil {
				continue
			}
			labels, ok := row[end.key].([]any)
			if !ok {
				return out, fmt.Errorf("relationship-plan-read: %s: labels of %s are a %T", id, end.id, row[end.key])
			}
			if _, done := out.kinds[end.id]; !done {
				out.kinds[end.id] = core.KindsOf(labels)
			}
		}
		same, _ := row["same"].(bool)
		r, ok := row["r"].(neo4j.Relationship)
		switch {
		case same:
			r = neo4j.Relationship{Type: string(b.Type), Props: asReadProps(params[id])}
		case row["r"] == nil:
			continue // not stored
		case !ok:
			return out, fmt.Errorf("relationship-plan-read: %s is a %T", id, row["r"])
		}
		s, err := core.RelationshipFromStored(r, b.From, b.To)
		if err != nil {
			return out, err
		}
		out.stored[s.ID] = s
	}
	return out, nil
}

// sortByStart orders relationship rows by start node, then type:
// neighbouring writes touch the same relationship chains.
func sortByStart(rows []map[string]any) {
	slices.SortStableFunc(rows, func(a, b map[string]any) int {
		if c := strings.Compare(a["from"].(string), b["from"].(string)); c != 0 {
			return c
		}
		return strings.Compare(a["type"].(string), b["type"].(string))
	})
}

// upsertRelationships writes the rows of a plan (relationship-upsert),
// in the order of their start nodes.
func upsertRelationships(ctx context.Context, tx neo4j.ManagedTransaction, rows []map[string]any) error {
	if len(rows) == 0 {
		return nil
	}
	sortByStart(rows)
	return core.RunCounted(ctx, tx, "relationship-upsert", rows)
}

// createRelationships is the first-load write of a batch whose ends are
// all locked (relationship-create): it plans the batch as if none of its
// relationships were stored, creates in one statement every one not found
// between its ends, and gets back the ones found; those are planned again
// from what is stored and written (relationship-upsert). Whether a record
// is refused depends on its ends, not on a stored relationship, and a
// relationship's plan does not depend on the others, so the plan of the
// created ones stands.
func createRelationships(ctx context.Context, tx neo4j.ManagedTransaction, batch []graph.Relationship,
	kinds map[string][]graph.Kind, opts graph.WriteOptions) ([]graph.ItemResult, error) {
	p := planRelationships(batch, kinds, opts, nil)
	if len(p.rows) == 0 {
		return p.results, nil
	}
	sortByStart(p.rows)
	recs, err := core.Collect(ctx, tx, "relationship-create", map[string]any{"rows": p.rows})
	if err != nil {
		return nil, err
	}
	if len(recs) != 1 {
		return nil, fmt.Errorf("relationship-create returned %d rows", len(recs))
	}
	written, _, err := neo4j.GetRecordValue[int64](recs[0], "written")
	if err != nil {
		return nil, err
	}
	existing, err := mapsAt(recs[0], "existing")
	if err != nil {
		return nil, fmt.Errorf("relationship-create: %w", err)
	}
	if int(written)+len(existing) != len(p.rows) {
		return nil, fmt.Errorf("relationship-create wrote %d and found %d of %d rows", written, len(existing), len(p.rows))
	}
	if len(existing) == 0 {
		return p.results, nil
	}
	ends := make(map[string][2]string, len(p.rows))
	for _, row := range p.rows {
		ends[row["id"].(string)] = [2]string{row["from"].(string), row["to"].(string)}
	}
	stored := make(map[string]graph.Relationship, len(existing))
	for _, m := range existing {
		id, _ := m["id"].(string)
		r, ok := m["r"].(neo4j.Relationship)
		if !ok {
			return nil, fmt.Errorf("relationship-create: existing %q holds a %T", id, m["r"])
		}
		s, err := core.RelationshipFromStored(r, ends[id][0], ends[id][1])
		if err != nil {
			return nil, err
		}
		stored[id] = s
	}
	p = planRelationships(batch, kinds, opts, stored)
	p.rows = slices.DeleteFunc(p.rows, func(row map[string]any) bool {
		_, ok := stored[row["id"].(string)]
		return !ok
	})
	if err := upsertRelationships(ctx, tx, p.rows); err != nil {
		return nil, err
	}
	return p.results, nil
}

// relPlan is what a batch of relationships comes to against the stored state.
type relPlan struct {
	results []graph.ItemResult // per record of the batch
	rows    []map[string]any   // the relationships that change
}

// planRelationships refuses the records that break a rule against the
// kinds of their ends (graph.CheckRelationshipWrite; an end not in kinds),
// folds each of the others into its stored version (and earlier records
// of the batch) and keeps the rows that change. stored holds the stored
// versions of the batch's relationships by id (nil: none is stored).
func planRelationships(batch []graph.Relationship, kinds map[string][]graph.Kind, opts graph.WriteOptions,
	stored map[string]graph.Relationship) relPlan {
	p := relPlan{results: make([]graph.ItemResult, len(batch))}
	guarded := func(id string) bool { return opts.Guarded(id, true, slices.Contains(kinds[id], graph.KindVictim)) }
	var order []string
	seen := make(map[string]bool, len(batch))
	for i, r := range batch {
		err := missingEnd(r, kinds)
		if err == nil {
			err = graph.CheckRelationshipWrite(r, kinds[r.From], kinds[r.To], guarded(r.From) || guarded(r.To))
		}
		if err != nil {
			p.results[i] = graph.ItemResult{Outcome: graph.OutcomeRefused, Err: err}
			continue
		}
		if !seen[r.ID] {
			seen[r.ID] = true
			order = append(order, r.ID)
		}
	}
	merged := make(map[string]graph.Relationship, len(order))
	for i, in := range batch {
		if p.results[i].Outcome == graph.OutcomeRefused {
			continue
		}
		cur, seen := merged[in.ID]
		if !seen {
			if s, ok := stored[in.ID]; ok {
				cur = s
			} else {
				cur = relationshipBase(in)
			}
		}
		merged[in.ID], _ = graph.MergeRelationship(cur, in)
	}
	var outcome map[string]graph.Outcome
	outcome, p.rows = decide(order, merged, stored, graph.RelationshipsEqual, func(r graph.Relationship) map[string]any {
		return map[string]any{"id": r.ID, "type": string(r.Type), "from": r.From, "to": r.To, "props": core.RelationshipParams(r)}
	})
	settle(p.results, outcome, func(i int) string { return batch[i].ID })
	return p
}

// missingEnd refuses a relationship whose end is not in the graph.
func missingEnd(r graph.Relationship, kinds map[string][]graph.Kind) error {
	for _, end := range []struct{ field, id string }{{"from", r.From}, {"to", r.To}} {
		if _, ok := kinds[end.id]; !ok {
			return graph.Errorf(graph.CodeInvalid, end.field, "references %q, which is not in the graph", end.id)
		}
	}
	return nil
}

// UpsertRelationships merges a batch as the operator (WriteRelationships)
// and counts its distinct relationships; a refused record is an error.
func (db *Importer) UpsertRelationships(ctx context.Context, batch []graph.Relationship, dryRun bool) (graph.WriteStats, error) {
	res, err := db.WriteRelationships(ctx, batch, graph.WriteOptions{DryRun: dryRun})
	return summarize(res, err, func(i int) string { return batch[i].ID })
}

// relationshipBase is a relationship not stored yet, before any record of
// it is folded in.
func relationshipBase(r graph.Relationship) graph.Relationship {
	return graph.Relationship{ID: r.ID, Type: r.Type, From: r.From, To: r.To, Key: r.Key, Evidence: r.Evidence}
}

// runTx runs work as a write transaction, or as a read one for a dry run.
func (db *Importer) runTx(ctx context.Context, readOnly bool, work neo4j.ManagedTransactionWork) ([]graph.ItemResult, error) {
	mode := neo4j.AccessModeWrite
	if readOnly {
		mode = neo4j.AccessModeRead
	}
	sess := db.Session(ctx, mode)
	defer sess.Close(ctx)
	var out any
	var err error
	if readOnly {
		out, err = sess.ExecuteRead(ctx, work)
	} else {
		out, err = sess.ExecuteWrite(ctx, work)
	}
	if err != nil {
		return nil, db.ClassifyReq(ctx, err)
	}
	res, ok := out.([]graph.ItemResult)
	if !ok {
		return nil, fmt.Errorf("transaction returned %T", out)
	}
	return res, nil
}

// SaveImportRun creates or updates the record of an import run.
func (db *Importer) SaveImportRun(ctx context.Context, run graph.ImportRun) error {
	_, err := neo4j.ExecuteQuery(ctx, db.Driver(), queries.Get("import-run-save"),
		map[string]any{"id": run.ID, "props": core.ImportRunParams(run)}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(db.Database()))
	if err != nil {
		return fmt.Errorf("save import run %s: %w", run.ID, core.Classify(err))
	}
	return nil
}

// ImportRun returns a past run.
func (db *Importer) ImportRun(ctx context.Context, id string) (graph.ImportRun, error) {
	res, err := db.Read(ctx, queries.Get("import-run-get"), map[string]any{"id": id})
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
	return core.ImportRunFromNode(n)
}
