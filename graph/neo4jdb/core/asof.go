package core

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/queries"
)

// The as_of semantics, written once. A read with an as_of date leaves out
//
//   - relationships whose since is after the date or whose until is before it;
//   - Event nodes whose date is after it, and Source nodes published after it;
//   - nodes and relationships whose sources are all Source nodes published
//     after it (a fact nobody had reported yet).
//
// A fact with no sources, or citing a source id that is not a stored Source
// with a later publication date, stays. The read queries spell these rules
// as the markers __asof_rel(x) and __asof_node(x), which asOfExpand turns
// into the predicates below; the ids of the late sources come in the $late
// parameter, fetched once per request by read-late-sources (index
// source_published), so the predicates stay cheap list look-ups.

// asOfRelPredicate is the as_of predicate over relationship variable v.
func asOfRelPredicate(v string) string {
	return fmt.Sprintf("($asOf IS NULL OR ((%[1]s.since IS NULL OR %[1]s.since <= $asOf)"+
		" AND (%[1]s.until IS NULL OR %[1]s.until >= $asOf)"+
		" AND (coalesce(size(%[1]s.sources), 0) = 0 OR any(sid IN %[1]s.sources WHERE NOT sid IN $late))))", v)
}

// asOfNodePredicate is the as_of predicate over node variable v.
func asOfNodePredicate(v string) string {
	return fmt.Sprintf("($asOf IS NULL OR (NOT (%[1]s:Event AND coalesce(%[1]s.date > $asOf, false))"+
		" AND NOT (%[1]s:Source AND coalesce(%[1]s.published > $asOf, false))"+
		" AND (coalesce(size(%[1]s.sources), 0) = 0 OR any(sid IN %[1]s.sources WHERE NOT sid IN $late))))", v)
}

var asOfMarker = regexp.MustCompile(`__asof_(rel|node)\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// AsOfExpand replaces the as_of markers of a query text.
func AsOfExpand(text string) string {
	return asOfMarker.ReplaceAllStringFunc(text, func(m string) string {
		sub := asOfMarker.FindStringSubmatch(m)
		if sub[1] == "rel" {
			return asOfRelPredicate(sub[2])
		}
		return asOfNodePredicate(sub[2])
	})
}

// ReadQuery returns a read-* query with its as_of markers expanded and the
// integer placeholders (like __max_hops) replaced by ints, which callers
// have validated. It panics on a placeholder left over: names are
// compile-time constants, and the tests run every query.
func ReadQuery(name string, ints map[string]int) string { return ReadQueryWith(name, ints, nil) }

// ReadQueryWith is readQuery with text placeholders too, replaced by
// fixed Cypher fragments the caller chose (never input).
func ReadQueryWith(name string, ints map[string]int, texts map[string]string) string {
	text := AsOfExpand(queries.Get(name))
	for k, v := range texts {
		text = strings.ReplaceAll(text, k, v)
	}
	for k, v := range ints {
		text = strings.ReplaceAll(text, k, fmt.Sprint(v))
	}
	if i := strings.Index(text, "__"); i >= 0 {
		panic(fmt.Sprintf("query %s: placeholder left at %q", name, text[i:min(len(text), i+20)]))
	}
	return text
}

// AsOfParams adds $asOf and $late to params: the date (or null) and the ids
// of the sources published after it, fetched once for the request.
func (db *DB) AsOfParams(ctx context.Context, asOf *graph.Date, params map[string]any) error {
	params["asOf"] = nil
	params["late"] = []string{}
	if asOf == nil {
		return nil
	}
	params["asOf"] = DateParam(*asOf)
	res, err := db.ReadTimed(ctx, queries.Get("read-late-sources"), map[string]any{"asOf": DateParam(*asOf)})
	if err != nil {
		return fmt.Errorf("sources published after %s: %w", asOf, err)
	}
	if len(res.Records) != 1 {
		return fmt.Errorf("sources published after %s: %d rows", asOf, len(res.Records))
	}
	late, err := StringsValue(res.Records[0], "late")
	if err != nil {
		return fmt.Errorf("sources published after %s: %w", asOf, err)
	}
	params["late"] = late
	return nil
}

// StringsValue reads a LIST<STRING> record value.
func StringsValue(rec *neo4j.Record, key string) ([]string, error) {
	raw, _, err := neo4j.GetRecordValue[[]any](rec, key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	out := make([]string, 0, len(raw))
	for i, x := range raw {
		s, ok := x.(string)
		if !ok {
			return nil, fmt.Errorf("%s[%d]: want string, got %T", key, i, x)
		}
		out = append(out, s)
	}
	return out, nil
}
