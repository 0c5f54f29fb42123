// Package triage reads a new report against the graph: which known
// entities it names (by their names and aliases, through an Aho-Corasick
// automaton over normalised names), which names in it are new, what dates,
// victim cohorts and events it states, and a draft import file
// (docs/import-format.md) an investigator reviews before importing it.
// It is pure Go and writes nothing: the store supplies the names
// (NameSource) and the caller decides what to import.
package triage

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/names"
)

// Named is one known entity as the index needs it.
type Named struct {
	ID      string       `json:"id"`
	Name    string       `json:"name"`
	Aliases []string     `json:"aliases,omitempty"`
	Kinds   []graph.Kind `json:"kinds"`
}

// NameSource streams the graph's entities with their names (sources and
// the victims a role may not see left out by the store), and says which
// version of the graph it is: the index is rebuilt when the version moves.
type NameSource interface {
	// NamesVersion changes whenever an import, merge or undo changes names.
	NamesVersion(ctx context.Context) (string, error)
	// EachNamed calls fn for every entity that triage may name.
	EachNamed(ctx context.Context, fn func(Named) error) error
}

// ref is what one pattern stands for: an entity, by one of its names.
type ref struct {
	entity int32 // index into Index.entities
	alias  bool  // matched by an alias, not the display name
}

// Index is the Aho-Corasick automaton over every known name, normalised
// (names.Words, and for companies also without the legal form), over words
// (wordAutomaton): it matches whole normalised words only.
type Index struct {
	Version  string
	entities []Named
	patterns []string // "w1 w2" -> refs[i]
	refs     [][]ref
	ac       *wordAutomaton
	empty    bool
}

// MinNameLetters is the shortest normalised name indexed; shorter ones
// ("U", "Ly") would match everywhere.
const MinNameLetters = 2

// NewIndex builds the automaton over the names of ents.
func NewIndex(version string, ents []Named) *Index {
	idx := &Index{Version: version, entities: ents}
	at := map[string]int{}
	add := func(key string, r ref) {
		if len(strings.ReplaceAll(key, " ", "")) < MinNameLetters {
			return
		}
		p := key
		i, ok := at[p]
		if !ok {
			i = len(idx.patterns)
			at[p] = i
			idx.patterns = append(idx.patterns, p)
			idx.refs = append(idx.refs, nil)
		}
		if !slices.ContainsFunc(idx.refs[i], func(x ref) bool { return x.entity == r.entity }) {
			idx.refs[i] = append(idx.refs[i], r)
		}
	}
	for i, e := range ents {
		company := slices.Contains(e.Kinds, graph.KindCompany)
		for j, n := range append([]string{e.Name}, e.Aliases...) {
			r := ref{entity: int32(i), alias: j > 0}
			w := names.Words(n)
			add(strings.Join(w, " "), r)
			if company {
				if core, suffix := names.StripCompanySuffix(w); suffix != "" {
					add(strings.Join(core, " "), r)
				}
			}
		}
	}
	if len(idx.patterns) == 0 {
		idx.empty = true
		return idx
	}
	idx.ac = newWordAutomaton()
	for _, p := range idx.patterns {
		idx.ac.add(strings.Fields(p))
	}
	idx.ac.build()
	return idx
}

// Size is the number of distinct normalised names indexed.
func (idx *Index) Size() int { return len(idx.patterns) }

// Cache keeps one index and rebuilds it when the source's version moves
// (after an import, a merge or an undo). Safe for concurrent use; one
// build at a time.
type Cache struct {
	src NameSource
	mu  sync.Mutex
	idx *Index
}

// NewCache returns a cache over src.
func NewCache(src NameSource) *Cache { return &Cache{src: src} }

// Index returns the current index, rebuilding it when the graph changed.
func (c *Cache) Index(ctx context.Context) (*Index, error) {
	v, err := c.src.NamesVersion(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idx != nil && c.idx.Version == v {
		return c.idx, nil
	}
	var ents []Named
	if err := c.src.EachNamed(ctx, func(n Named) error { ents = append(ents, n); return nil }); err != nil {
		return nil, err
	}
	c.idx = NewIndex(v, ents)
	return c.idx, nil
}
