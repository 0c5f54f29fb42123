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
	"time"

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
	Version string
	// Stale says the graph's names changed since this index was built (an
	// import, a merge or an undo): Cache.Index answers it while a new one
	// is built in the background. Latest is the graph's version then.
	Stale    bool
	Latest   string
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
// (after an import, a merge or an undo). The first index is built on the
// caller's request; later ones in the background (a rebuild at a million
// names takes tens of seconds), and meanwhile Index answers the previous
// index marked Stale. One build at a time. Safe for concurrent use.
type Cache struct {
	src NameSource
	// BuildTimeout bounds a background build (DefaultBuildTimeout when 0).
	BuildTimeout time.Duration

	mu       sync.Mutex
	idx      *Index
	building bool          // a background build is under way
	done     chan struct{} // closed when that build ends
	lastErr  error         // the last background build's error, if it failed
}

// DefaultBuildTimeout bounds a background rebuild of the index.
const DefaultBuildTimeout = 10 * time.Minute

// NewCache returns a cache over src.
func NewCache(src NameSource) *Cache { return &Cache{src: src} }

// build reads every name of the source and builds their index.
func (c *Cache) build(ctx context.Context, version string) (*Index, error) {
	var ents []Named
	if err := c.src.EachNamed(ctx, func(n Named) error { ents = append(ents, n); return nil }); err != nil {
		return nil, err
	}
	return NewIndex(version, ents), nil
}

// Index returns the index of the graph's names. When the graph changed
// since the index was built, it starts a rebuild in the background (unless
// one is under way) and answers the previous index, marked Stale, at once.
// Only the first index is built on the caller's time.
func (c *Cache) Index(ctx context.Context) (*Index, error) {
	v, err := c.src.NamesVersion(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idx == nil {
		idx, err := c.build(ctx, v)
		if err != nil {
			return nil, err
		}
		c.idx = idx
		return idx, nil
	}
	if c.idx.Version == v {
		return c.idx, nil
	}
	c.startRebuild(v)
	stale := *c.idx
	stale.Stale, stale.Latest = true, v
	return &stale, nil
}

// Refresh starts a background rebuild when the graph changed since the
// index was built (call it after an import, a merge or an undo, so the
// next triage finds the new names sooner). It never builds on the
// caller's time: before the first Index it does nothing.
func (c *Cache) Refresh(ctx context.Context) error {
	v, err := c.src.NamesVersion(ctx)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idx != nil && c.idx.Version != v {
		c.startRebuild(v)
	}
	return nil
}

// startRebuild starts a background build of version v unless one is under
// way. c.mu is held.
func (c *Cache) startRebuild(v string) {
	if !c.building {
		c.building, c.done = true, make(chan struct{})
		go c.rebuild(v, c.done)
	}
}

// rebuild builds the index of version v in the background and swaps it in.
func (c *Cache) rebuild(v string, done chan struct{}) {
	timeout := c.BuildTimeout
	if timeout <= 0 {
		timeout = DefaultBuildTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	idx, err := c.build(ctx, v)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.building, c.lastErr = false, err
	if err == nil {
		c.idx = idx
	}
	close(done)
}

// Wait waits until the background build under way (if any) ends, or ctx
// does, and answers the last background build's error.
func (c *Cache) Wait(ctx context.Context) error {
	c.mu.Lock()
	done, building, err := c.done, c.building, c.lastErr
	c.mu.Unlock()
	if !building {
		return err
	}
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastErr
}
