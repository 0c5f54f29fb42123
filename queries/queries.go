// Package queries holds every Cypher statement scamgraph runs, one .cypher
// file per query, embedded at build time. Each file starts with a header
// comment naming the query, its parameters and what it returns:
//
//	// name: entity-upsert
//	// params: $rows LIST<MAP>
//	// returns: count of rows written
//
// Schema statements live in schema/, applied in lexical file order; each
// statement there is idempotent (IF NOT EXISTS).
package queries

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed *.cypher schema/*.cypher
var files embed.FS

// RelFromKey and RelToKey are the properties every typed relationship
// carries with the ids of its start and end nodes (written by
// relationship-upsert through its props, by the bulk importer, and
// backfilled by schema/005-relationship-ends.cypher), so the composite
// indexes of that file make a node's neighbours a keyset seek in id order
// (read-neighbors). The leading underscore keeps them out of the keys a
// record may use.
const (
	RelFromKey = "_from_id"
	RelToKey   = "_to_id"
)

// Query is one embedded Cypher statement and its header.
type Query struct {
	Name    string // from the header's name: line; equals the file name without .cypher
	Params  string // the header's params: line
	Returns string // the header's returns: line
	Text    string // the whole file, header included (comments are valid Cypher)
}

var byName = map[string]Query{}

func init() {
	all, err := load()
	if err != nil {
		panic(err) // a malformed embedded file is a build defect, caught by TestAllQueriesLoad
	}
	for _, q := range all {
		byName[q.Name] = q
	}
}

func load() ([]Query, error) {
	entries, err := fs.Glob(files, "*.cypher")
	if err != nil {
		return nil, err
	}
	out := make([]Query, 0, len(entries))
	for _, e := range entries {
		q, err := parse(e)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}

func parse(file string) (Query, error) {
	b, err := files.ReadFile(file)
	if err != nil {
		return Query{}, fmt.Errorf("read %s: %w", file, err)
	}
	q := Query{Text: string(b)}
	for _, line := range strings.Split(q.Text, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "//") {
			break
		}
		line = strings.TrimSpace(strings.TrimPrefix(line, "//"))
		switch {
		case strings.HasPrefix(line, "name:"):
			q.Name = strings.TrimSpace(strings.TrimPrefix(line, "name:"))
		case strings.HasPrefix(line, "params:"):
			q.Params = strings.TrimSpace(strings.TrimPrefix(line, "params:"))
		case strings.HasPrefix(line, "returns:"):
			q.Returns = strings.TrimSpace(strings.TrimPrefix(line, "returns:"))
		}
	}
	want := strings.TrimSuffix(path.Base(file), ".cypher")
	if q.Name != want {
		return Query{}, fmt.Errorf("%s: header name %q must equal the file name %q", file, q.Name, want)
	}
	if q.Params == "" || q.Returns == "" {
		return Query{}, fmt.Errorf("%s: header needs params: and returns: lines", file)
	}
	return q, nil
}

// All returns every query, sorted by name.
func All() []Query {
	out := make([]Query, 0, len(byName))
	for _, q := range byName {
		out = append(out, q)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Get returns the query called name. Names are compile-time constants in
// callers, so a missing one is a programming error: Get panics, and
// TestAllQueriesLoad keeps every caller's name honest.
func Get(name string) string {
	q, ok := byName[name]
	if !ok {
		panic("queries: no query named " + name)
	}
	return q.Text
}

// Lookup returns the query called name, or false.
func Lookup(name string) (Query, bool) {
	q, ok := byName[name]
	return q, ok
}

// Schema returns the schema statements in the order they must run: files in
// lexical order, statements split on semicolons at line ends, comments kept
// out.
func Schema() ([]string, error) {
	entries, err := fs.Glob(files, "schema/*.cypher")
	if err != nil {
		return nil, err
	}
	sort.Strings(entries)
	var out []string
	for _, e := range entries {
		b, err := files.ReadFile(e)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", e, err)
		}
		var cur []string
		for _, line := range strings.Split(string(b), "\n") {
			t := strings.TrimSpace(line)
			if t == "" || strings.HasPrefix(t, "//") {
				continue
			}
			cur = append(cur, line)
			if strings.HasSuffix(t, ";") {
				stmt := strings.TrimSuffix(strings.TrimSpace(strings.Join(cur, "\n")), ";")
				out = append(out, stmt)
				cur = nil
			}
		}
		if len(cur) > 0 {
			return nil, fmt.Errorf("%s: last statement has no terminating semicolon", e)
		}
	}
	return out, nil
}
