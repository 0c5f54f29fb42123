package exports

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/queries"
)

var _ graph.Exporter = (*Exporter)(nil)

// ExportPageSize is the number of entities an export reads a page at a
// time: what an export holds in memory, whatever the graph's size.
const ExportPageSize = 500

// exportQuery returns an export-* query for q: __export_prelude becomes,
// for an export from a root, the ids within q.Depth hops of it (over
// every relationship type but MENTIONED_IN, in either direction), and
// __export_node(x) the predicate an exported entity meets (kinds, as_of,
// reach); the as_of markers are expanded as in the read queries. Depth
// and the relationship types come from validated input and the
// allow-list.
func exportQuery(name string, q graph.ExportQuery) string {
	text := queries.Get(name)
	prelude, reach := "", ""
	if q.From != "" {
		types := make([]string, 0, len(graph.RelTypes()))
		for _, t := range graph.RelTypes() {
			types = append(types, string(t))
		}
		prelude = "OPTIONAL MATCH (root:Entity {id: $from})-[:" + strings.Join(types, "|") + "*0.." + strconv.Itoa(q.Depth) + "]-(reached:Entity)\n" +
			"WITH collect(DISTINCT reached.id) AS reach"
		reach = " AND %[1]s.id IN reach"
	}
	text = strings.ReplaceAll(text, "__export_prelude", prelude)
	text = exportNode.ReplaceAllStringFunc(text, func(m string) string {
		v := exportNode.FindStringSubmatch(m)[1]
		return fmt.Sprintf("(%[1]s.id STARTS WITH $prefix AND (size($labels) = 0 OR any(l IN labels(%[1]s) WHERE l IN $labels)) AND __asof_node(%[1]s)"+reach+")", v)
	})
	return core.AsOfExpand(text)
}

// exportParams are the parameters every export query shares.
func (db *Exporter) exportParams(ctx context.Context, q graph.ExportQuery) (map[string]any, error) {
	labels := make([]string, 0, len(q.Kinds))
	for _, k := range q.Kinds {
		l, ok := graph.KindLabel(k)
		if !ok {
			return nil, graph.Errorf(graph.CodeInvalid, "kind", "%q is not a kind", k)
		}
		labels = append(labels, l)
	}
	params := map[string]any{"labels": labels, "from": nil, "prefix": q.Prefix}
	if q.From != "" {
		params["from"] = q.From
	}
	if err := db.AsOfParams(ctx, q.AsOf, params); err != nil {
		return nil, err
	}
	return params, nil
}

func withParams(base map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(base)+len(kv)/2)
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// ExportKeys returns every free property key of entities and
// relationships with its value type.
func (db *Exporter) ExportKeys(ctx context.Context) (graph.PropertyKeys, error) {
	out := graph.PropertyKeys{Node: map[string]graph.ValueType{}, Edge: map[string]graph.ValueType{}}
	res, err := db.Read(ctx, queries.Get("export-keys"), nil)
	if err != nil {
		return out, fmt.Errorf("export keys: %w", err)
	}
	for _, rec := range res.Records {
		on, _, err := neo4j.GetRecordValue[string](rec, "on")
		if err != nil {
			return out, fmt.Errorf("export keys: %w", err)
		}
		key, _, err := neo4j.GetRecordValue[string](rec, "key")
		if err != nil {
			return out, fmt.Errorf("export keys: %w", err)
		}
		types, err := core.StringsValue(rec, "types")
		if err != nil {
			return out, fmt.Errorf("export keys: %w", err)
		}
		if core.StoreKeys[key] {
			continue
		}
		t := graph.TypeString
		for i, name := range types {
			vt := valueTypeOf(name)
			if i > 0 && vt != t {
				vt = graph.TypeString
			}
			t = vt
		}
		if on == "node" {
			out.Node[key] = t
		} else {
			out.Edge[key] = t
		}
	}
	return out, nil
}

// valueTypeOf maps a Cypher valueType() name to a value type.
func valueTypeOf(name string) graph.ValueType {
	switch {
	case strings.HasPrefix(name, "INTEGER"):
		return graph.TypeInt
	case strings.HasPrefix(name, "FLOAT"):
		return graph.TypeFloat
	case strings.HasPrefix(name, "BOOLEAN"):
		return graph.TypeBool
	case strings.HasPrefix(name, "DATE"):
		return graph.TypeDate
	case strings.HasPrefix(name, "LIST"):
		return graph.TypeStrings
	}
	return graph.TypeString
}

// ExportEntities pages through the entities q selects, in id order, with
// keyset paging on the id index: one page in memory at a time.
func (db *Exporter) ExportEntities(ctx context.Context, q graph.ExportQuery, fn func([]graph.ExportEntity) error) error {
	base, err := db.exportParams(ctx, q)
	if err != nil {
		return err
	}
	text, links, props := exportQuery("export-page-entities", q), exportQuery("export-event-links", q), exportQuery("export-property-links", q)
	after := ""
	for {
		res, err := db.Read(ctx, text, withParams(base, "after", after, "limit", ExportPageSize))
		if err != nil {
			return fmt.Errorf("export entities: %w", err)
		}
		if len(res.Records) == 0 {
			return nil
		}
		page := make([]graph.ExportEntity, 0, len(res.Records))
		index := map[string]int{}
		var events []string
		for _, rec := range res.Records {
			e, err := core.EntityAt(rec, "n")
			if err != nil {
				return fmt.Errorf("export entities: %w", err)
			}
			if e.HasKind(graph.KindEvent) {
				events = append(events, e.ID)
				index[e.ID] = len(page)
			}
			page = append(page, graph.ExportEntity{Entity: e})
		}
		if len(events) > 0 {
			lres, err := db.Read(ctx, links, withParams(base, "ids", events))
			if err != nil {
				return fmt.Errorf("export event links: %w", err)
			}
			for _, rec := range lres.Records {
				ev, _, err := neo4j.GetRecordValue[string](rec, "event")
				if err != nil {
					return fmt.Errorf("export event links: %w", err)
				}
				r, err := exportRelFromRecord(rec, ev)
				if err != nil {
					return fmt.Errorf("export event links: %w", err)
				}
				start, err := core.EntityAt(rec, "n")
				if err != nil {
					return fmt.Errorf("export event links: %w", err)
				}
				r.Start = &start
				r.ToKinds = page[index[ev]].Kinds
				page[index[ev]].In = append(page[index[ev]].In, r)
			}
		}
		ids := make([]string, len(page))
		at := make(map[string]int, len(page))
		for i, e := range page {
			ids[i], at[e.ID] = e.ID, i
		}
		pres, err := db.Read(ctx, props, withParams(base, "ids", ids))
		if err != nil {
			return fmt.Errorf("export property links: %w", err)
		}
		for _, rec := range pres.Records {
			r, err := exportRelFromRecord(rec, "")
			if err != nil {
				return fmt.Errorf("export property links: %w", err)
			}
			page[at[r.From]].Out = append(page[at[r.From]].Out, r)
		}
		if err := fn(page); err != nil {
			return err
		}
		after = page[len(page)-1].ID
	}
}

// ExportRelationships pages through the relationships between the
// entities q selects, by a page of start entity ids at a time.
func (db *Exporter) ExportRelationships(ctx context.Context, q graph.ExportQuery, fn func([]graph.ExportRelationship) error) error {
	base, err := db.exportParams(ctx, q)
	if err != nil {
		return err
	}
	idsText, relsText := exportQuery("export-page-ids", q), exportQuery("export-page-relationships", q)
	after := ""
	for {
		res, err := db.Read(ctx, idsText, withParams(base, "after", after, "limit", ExportPageSize))
		if err != nil {
			return fmt.Errorf("export relationships: %w", err)
		}
		if len(res.Records) == 0 {
			return nil
		}
		ids := make([]string, 0, len(res.Records))
		for _, rec := range res.Records {
			id, _, err := neo4j.GetRecordValue[string](rec, "id")
			if err != nil {
				return fmt.Errorf("export relationships: %w", err)
			}
			ids = append(ids, id)
		}
		// Streamed record by record (the driver fetches them in batches),
		// handed on a chunk at a time: an entity with a million
		// relationships costs no more memory than one with ten.
		page := make([]graph.ExportRelationship, 0, exportRelChunk)
		err = db.streamRecords(ctx, relsText, withParams(base, "ids", ids), func(rec *neo4j.Record) error {
			r, err := exportRelFromRecord(rec, "")
			if err != nil {
				return fmt.Errorf("export relationships: %w", err)
			}
			if page = append(page, r); len(page) == exportRelChunk {
				err, page = fn(page), page[:0]
			}
			return err
		})
		if err != nil {
			return err
		}
		if len(page) > 0 {
			if err := fn(page); err != nil {
				return err
			}
		}
		after = ids[len(ids)-1]
	}
}

// exportRelChunk is the most relationships handed on at once.
const exportRelChunk = 1000

// stream runs a read in an auto-commit transaction (never retried: the
// records are written out as they come) and calls each for every record
// as the driver fetches it.
func (db *Exporter) streamRecords(ctx context.Context, cypher string, params map[string]any, each func(*neo4j.Record) error) (err error) {
	defer db.Observe(cypher, time.Now(), &err)
	sess := db.Session(ctx, neo4j.AccessModeRead)
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, cypher, params)
	if err != nil {
		return db.ClassifyReq(ctx, err)
	}
	for res.Next(ctx) {
		if err := each(res.Record()); err != nil {
			return err
		}
	}
	if err := res.Err(); err != nil {
		return db.ClassifyReq(ctx, err)
	}
	return nil
}

// exportRelFromRecord reads r with its start (from, fromLabels) and, when
// the record has them, its end (to, toLabels) and the ends' ftm_schema
// (fromSchema, toSchema); to is the end's id when the record has no to.
func exportRelFromRecord(rec *neo4j.Record, to string) (graph.ExportRelationship, error) {
	from, _, err := neo4j.GetRecordValue[string](rec, "from")
	if err != nil {
		return graph.ExportRelationship{}, err
	}
	fromLabels, err := core.StringsValue(rec, "fromLabels")
	if err != nil {
		return graph.ExportRelationship{}, err
	}
	out := graph.ExportRelationship{FromKinds: graph.KindsFromLabels(fromLabels)}
	if t, ok, err := optionalRecordString(rec, "to"); err != nil {
		return out, err
	} else if ok {
		to = t
		toLabels, err := core.StringsValue(rec, "toLabels")
		if err != nil {
			return out, err
		}
		out.ToKinds = graph.KindsFromLabels(toLabels)
	}
	if out.FromSchema, _, err = optionalRecordString(rec, "fromSchema"); err != nil {
		return out, err
	}
	if out.ToSchema, _, err = optionalRecordString(rec, "toSchema"); err != nil {
		return out, err
	}
	r, _, err := neo4j.GetRecordValue[neo4j.Relationship](rec, "r")
	if err != nil {
		return out, err
	}
	if out.Relationship, err = core.RelationshipFromStored(r, from, to); err != nil {
		return out, err
	}
	return out, nil
}

func optionalRecordString(rec *neo4j.Record, key string) (string, bool, error) {
	v, ok := rec.Get(key)
	if !ok || v == nil {
		return "", false, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", false, fmt.Errorf("%s: want string, got %T", key, v)
	}
	return s, true, nil
}

// Exported returns which of ids q selects.
func (db *Exporter) Exported(ctx context.Context, q graph.ExportQuery, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) == 0 {
		return out, nil
	}
	base, err := db.exportParams(ctx, q)
	if err != nil {
		return nil, err
	}
	res, err := db.Read(ctx, exportQuery("export-exported", q), withParams(base, "ids", ids))
	if err != nil {
		return nil, fmt.Errorf("export references: %w", err)
	}
	for _, rec := range res.Records {
		id, _, err := neo4j.GetRecordValue[string](rec, "id")
		if err != nil {
			return nil, fmt.Errorf("export references: %w", err)
		}
		out[id] = true
	}
	return out, nil
}

var exportNode = regexp.MustCompile(`__export_node\(([A-Za-z_][A-Za-z0-9_]*)\)`)
