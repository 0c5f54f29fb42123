package core

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/queries"
)

// StoreKeys are node and relationship properties that are fields of the
// domain types or bookkeeping, not free properties.
var StoreKeys = map[string]bool{
	"id": true, "name": true, "aliases": true, "sources": true, "key": true,
	"evidence": true, "evidence_rank": true, "since": true, "until": true,
	"created_at": true, "updated_at": true,
	// the ids of a relationship's ends, kept on it for the keyset indexes of
	// queries/schema/005-relationship-ends.cypher (read-neighbors); a
	// leading underscore, so no user key can be one (graph's key pattern)
	RelFromKey: true, RelToKey: true,
}

// RelFromKey and RelToKey: see queries.RelFromKey.
const (
	RelFromKey = queries.RelFromKey
	RelToKey   = queries.RelToKey
)

// OptionalProp reads a property that may be absent (or null).
func OptionalProp[T neo4j.PropertyValue](e neo4j.Entity, key string) (T, bool, error) {
	var zero T
	if v, ok := e.GetProperties()[key]; !ok || v == nil {
		return zero, false, nil
	}
	v, err := neo4j.GetProperty[T](e, key)
	if err != nil {
		return zero, false, fmt.Errorf("property %s: %w", key, err)
	}
	return v, true, nil
}

// StringList reads an optional LIST<STRING> property.
func StringList(e neo4j.Entity, key string) ([]string, error) {
	raw, ok, err := OptionalProp[[]any](e, key)
	if err != nil || !ok {
		return nil, err
	}
	out := make([]string, 0, len(raw))
	for i, x := range raw {
		s, ok := x.(string)
		if !ok {
			return nil, fmt.Errorf("property %s[%d]: want string, got %T", key, i, x)
		}
		out = append(out, s)
	}
	return out, nil
}

// OptionalDate reads an optional DATE property.
func OptionalDate(e neo4j.Entity, key string) (*graph.Date, error) {
	d, ok, err := OptionalProp[neo4j.Date](e, key)
	if err != nil || !ok {
		return nil, err
	}
	gd := graph.DateOf(d.Time())
	return &gd, nil
}

// ValueOf converts one stored property value to a graph.Value.
func ValueOf(key string, v any) (graph.Value, error) {
	switch x := v.(type) {
	case string:
		return graph.StringValue(x), nil
	case int64:
		return graph.IntValue(x), nil
	case float64:
		return graph.FloatValue(x), nil
	case bool:
		return graph.BoolValue(x), nil
	case dbtype.Date:
		return graph.DateValue(graph.DateOf(x.Time())), nil
	case []any:
		l := make([]string, 0, len(x))
		for i, y := range x {
			s, ok := y.(string)
			if !ok {
				return graph.Value{}, fmt.Errorf("property %s[%d]: want string, got %T", key, i, y)
			}
			l = append(l, s)
		}
		return graph.StringsValue(l), nil
	}
	return graph.Value{}, fmt.Errorf("property %s: unsupported stored type %T", key, v)
}

// FreeProps converts the non-bookkeeping properties of a node or
// relationship.
func FreeProps(props map[string]any) (map[string]graph.Value, error) {
	out := make(map[string]graph.Value, len(props))
	for k, v := range props {
		if StoreKeys[k] {
			continue
		}
		gv, err := ValueOf(k, v)
		if err != nil {
			return nil, err
		}
		out[k] = gv
	}
	return out, nil
}

// EntityAt reads the entity node a record holds under key.
func EntityAt(rec *neo4j.Record, key string) (graph.Entity, error) {
	n, _, err := neo4j.GetRecordValue[neo4j.Node](rec, key)
	if err != nil {
		return graph.Entity{}, err
	}
	return EntityFromNode(n)
}

// RelationshipAt converts the relationship of a row that carries it as r,
// with its ends' ids as from and to.
func RelationshipAt(rec *neo4j.Record) (graph.Relationship, error) {
	from, _, err := neo4j.GetRecordValue[string](rec, "from")
	if err != nil {
		return graph.Relationship{}, fmt.Errorf("from: %w", err)
	}
	to, _, err := neo4j.GetRecordValue[string](rec, "to")
	if err != nil {
		return graph.Relationship{}, fmt.Errorf("to: %w", err)
	}
	r, _, err := neo4j.GetRecordValue[neo4j.Relationship](rec, "r")
	if err != nil {
		return graph.Relationship{}, fmt.Errorf("r: %w", err)
	}
	return RelationshipFromStored(r, from, to)
}

// EntityFromNode converts a stored :Entity node.
func EntityFromNode(n neo4j.Node) (graph.Entity, error) {
	id, err := neo4j.GetProperty[string](n, "id")
	if err != nil {
		return graph.Entity{}, fmt.Errorf("entity node %s: id: %w", n.ElementId, err)
	}
	e := graph.Entity{ID: id, Kinds: graph.KindsFromLabels(n.Labels)}
	if e.Name, _, err = OptionalProp[string](n, "name"); err != nil {
		return e, fmt.Errorf("entity %s: %w", id, err)
	}
	if e.Aliases, err = StringList(n, "aliases"); err != nil {
		return e, fmt.Errorf("entity %s: %w", id, err)
	}
	if e.Sources, err = StringList(n, "sources"); err != nil {
		return e, fmt.Errorf("entity %s: %w", id, err)
	}
	if e.Properties, err = FreeProps(n.Props); err != nil {
		return e, fmt.Errorf("entity %s: %w", id, err)
	}
	return e, nil
}

// RelationshipFromStored converts a stored relationship whose endpoint ids
// are known.
func RelationshipFromStored(r neo4j.Relationship, from, to string) (graph.Relationship, error) {
	out := graph.Relationship{Type: graph.RelType(r.Type), From: from, To: to}
	var err error
	if out.ID, _, err = OptionalProp[string](r, "id"); err != nil {
		return out, err
	}
	if out.ID == "" {
		out.ID = graph.RelationshipID(from, out.Type, to, "")
	}
	if out.Key, _, err = OptionalProp[string](r, "key"); err != nil {
		return out, fmt.Errorf("relationship %s: %w", out.ID, err)
	}
	ev, _, err := OptionalProp[string](r, "evidence")
	if err != nil {
		return out, fmt.Errorf("relationship %s: %w", out.ID, err)
	}
	out.Evidence = graph.Evidence(ev)
	if out.Since, err = OptionalDate(r, "since"); err != nil {
		return out, fmt.Errorf("relationship %s: %w", out.ID, err)
	}
	if out.Until, err = OptionalDate(r, "until"); err != nil {
		return out, fmt.Errorf("relationship %s: %w", out.ID, err)
	}
	if out.Sources, err = StringList(r, "sources"); err != nil {
		return out, fmt.Errorf("relationship %s: %w", out.ID, err)
	}
	if out.Properties, err = FreeProps(r.Props); err != nil {
		return out, fmt.Errorf("relationship %s: %w", out.ID, err)
	}
	return out, nil
}

// ParamValue converts a graph.Value to a driver parameter.
func ParamValue(v graph.Value) any {
	if v.Type == graph.TypeDate {
		d, err := graph.ParseDate(v.S)
		if err == nil {
			return neo4j.DateOf(d.Time())
		}
		return v.S
	}
	return v.Any()
}

func DateParam(d graph.Date) neo4j.Date { return neo4j.DateOf(d.Time()) }

// EntityParams is the full stored property set of an entity. Empty lists
// are left out, so absent and empty read back the same.
func EntityParams(e graph.Entity) map[string]any {
	p := map[string]any{"id": e.ID, "name": e.Name}
	if len(e.Aliases) > 0 {
		p["aliases"] = e.Aliases
	}
	if len(e.Sources) > 0 {
		p["sources"] = e.Sources
	}
	for k, v := range e.Properties {
		p[k] = ParamValue(v)
	}
	return p
}

// RelationshipParams is the full stored property set of a relationship.
func RelationshipParams(r graph.Relationship) map[string]any {
	p := map[string]any{
		"id":            r.ID,
		"evidence":      string(r.Evidence),
		"evidence_rank": int64(r.Evidence.Rank()),
		"sources":       r.Sources,
		RelFromKey:      r.From,
		RelToKey:        r.To,
	}
	if r.Key != "" {
		p["key"] = r.Key
	}
	if r.Since != nil {
		p["since"] = DateParam(*r.Since)
	}
	if r.Until != nil {
		p["until"] = DateParam(*r.Until)
	}
	for k, v := range r.Properties {
		p[k] = ParamValue(v)
	}
	return p
}

// ImportRunParams is the stored property set of an import run.
func ImportRunParams(run graph.ImportRun) map[string]any {
	p := map[string]any{
		"file":                    run.File,
		"checksum":                run.Checksum,
		"format":                  run.Format,
		"dry_run":                 run.DryRun,
		"status":                  run.Status,
		"records":                 int64(run.Records),
		"rejected":                int64(run.Rejected),
		"entities_created":        int64(run.Entities.Created),
		"entities_updated":        int64(run.Entities.Updated),
		"entities_unchanged":      int64(run.Entities.Unchanged),
		"relationships_created":   int64(run.Relationships.Created),
		"relationships_updated":   int64(run.Relationships.Updated),
		"relationships_unchanged": int64(run.Relationships.Unchanged),
		"started_at":              run.StartedAt.UTC(),
		"error":                   run.Error,
	}
	if run.FinishedAt != nil {
		p["finished_at"] = run.FinishedAt.UTC()
	}
	return p
}

// PropReader reads optional properties of one node, keeping the first
// error, so a converter can read many fields and check once.
type PropReader struct {
	E   neo4j.Entity
	Err error
}

func (r *PropReader) Str(key string) string {
	if r.Err != nil {
		return ""
	}
	s, _, err := OptionalProp[string](r.E, key)
	r.Err = err
	return s
}

func (r *PropReader) Num(key string) int {
	if r.Err != nil {
		return 0
	}
	i, _, err := OptionalProp[int64](r.E, key)
	r.Err = err
	return int(i)
}

func (r *PropReader) Bool(key string) bool {
	if r.Err != nil {
		return false
	}
	b, _, err := OptionalProp[bool](r.E, key)
	r.Err = err
	return b
}

// Time reads an optional DATETIME in UTC; nil when absent.
func (r *PropReader) Time(key string) *time.Time {
	if r.Err != nil {
		return nil
	}
	t, ok, err := OptionalProp[time.Time](r.E, key)
	if r.Err = err; err != nil || !ok {
		return nil
	}
	t = t.UTC()
	return &t
}

// ImportRunFromNode converts a stored :ImportRun node.
func ImportRunFromNode(n neo4j.Node) (graph.ImportRun, error) {
	var run graph.ImportRun
	r := &PropReader{E: n}
	str, num := r.Str, r.Num
	run.ID = str("id")
	run.File = str("file")
	run.Checksum = str("checksum")
	run.Format = str("format")
	run.Status = str("status")
	run.Error = str("error")
	run.Records = num("records")
	run.Rejected = num("rejected")
	run.Entities = graph.WriteStats{Created: num("entities_created"), Updated: num("entities_updated"), Unchanged: num("entities_unchanged")}
	run.Relationships = graph.WriteStats{Created: num("relationships_created"), Updated: num("relationships_updated"), Unchanged: num("relationships_unchanged")}
	run.DryRun = r.Bool("dry_run")
	if started := r.Time("started_at"); started != nil {
		run.StartedAt = *started
	}
	run.FinishedAt = r.Time("finished_at")
	if r.Err != nil {
		return run, fmt.Errorf("import run %s: %w", run.ID, r.Err)
	}
	return run, nil
}

// SortedKeys is used where output order must be stable.
func SortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
