package triage_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/triage"
)

// slowSource is a NameSource whose EachNamed can be held (gate) or fail,
// as a rebuild at a million names takes tens of seconds.
type slowSource struct {
	mu      sync.Mutex
	version string
	names   []triage.Named
	gate    chan struct{} // EachNamed waits for it to close
	entered chan struct{} // EachNamed sends on it (when not nil) as it starts
	fail    error
	reads   int
}

func (s *slowSource) NamesVersion(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version, nil
}

func (s *slowSource) EachNamed(ctx context.Context, fn func(triage.Named) error) error {
	s.mu.Lock()
	s.reads++
	gate, fail, names, entered := s.gate, s.fail, slices.Clone(s.names), s.entered
	s.mu.Unlock()
	if entered != nil {
		entered <- struct{}{}
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if fail != nil {
		return fail
	}
	for _, n := range names {
		if err := fn(n); err != nil {
			return err
		}
	}
	return nil
}

func (s *slowSource) set(f func(s *slowSource)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

// index asks the cache, failing (not hanging) if it blocks on the build.
func index(t *testing.T, c *triage.Cache) *triage.Index {
	t.Helper()
	type answer struct {
		idx *triage.Index
		err error
	}
	ch := make(chan answer, 1)
	go func() { idx, err := c.Index(context.Background()); ch <- answer{idx, err} }()
	select {
	case a := <-ch:
		if a.err != nil {
			t.Fatal(a.err)
		}
		return a.idx
	case <-time.After(20 * time.Second):
		t.Fatal("Index waited for the rebuild instead of answering the previous index")
		return nil
	}
}

func knownIDs(r triage.Result) []string {
	var out []string
	for _, k := range r.Known {
		out = append(out, k.ID)
	}
	slices.Sort(out)
	return out
}

// TestCacheRebuildsInBackground: after the graph changed, triage is
// answered at once from the previous index, marked stale, while the new
// one is built once in the background; then the new one serves; a failed
// build leaves the previous index serving and is tried again.
func TestCacheRebuildsInBackground(t *testing.T) {
	chen := triage.Named{ID: "person:chen-zhi", Name: "Chen Zhi", Kinds: []graph.Kind{graph.KindPerson}}
	ly := triage.Named{ID: "person:ly-yong-phat", Name: "Ly Yong Phat", Kinds: []graph.Kind{graph.KindPerson}}
	doc := triage.Document{Text: "Chen Zhi met Ly Yong Phat in Phnom Penh."}
	src := &slowSource{version: "v1", names: []triage.Named{chen}}
	c := triage.NewCache(src)
	ctx := context.Background()

	t.Run("the first index is built on the request", func(t *testing.T) {
		idx := index(t, c)
		r := triage.Run(idx, doc)
		if idx.Stale || r.IndexStale || r.IndexVersion != "v1" || !slices.Equal(knownIDs(r), []string{chen.ID}) {
			t.Errorf("stale %v, version %q, known %v", r.IndexStale, r.IndexVersion, knownIDs(r))
		}
	})

	gate := make(chan struct{})
	entered := make(chan struct{}, 10)
	src.set(func(s *slowSource) {
		s.version, s.names, s.gate, s.entered = "v2", []triage.Named{chen, ly}, gate, entered
	})
	t.Run("after an import the previous index answers, marked stale", func(t *testing.T) {
		for range 3 {
			r := triage.Run(index(t, c), doc)
			if !r.IndexStale || r.IndexVersion != "v1" || r.GraphVersion != "v2" || !slices.Equal(knownIDs(r), []string{chen.ID}) {
				t.Errorf("stale %v, index %q, graph %q, known %v", r.IndexStale, r.IndexVersion, r.GraphVersion, knownIDs(r))
			}
		}
		select {
		case <-entered: // the background build is under way
		case <-time.After(20 * time.Second):
			t.Fatal("no background build started")
		}
		src.mu.Lock()
		reads := src.reads
		src.mu.Unlock()
		if reads != 2 {
			t.Errorf("the names were read %d times, want 2 (the first build, one rebuild)", reads)
		}
	})

	t.Run("the new index serves once built", func(t *testing.T) {
		close(gate)
		if err := c.Wait(ctx); err != nil {
			t.Fatal(err)
		}
		r := triage.Run(index(t, c), doc)
		if r.IndexStale || r.IndexVersion != "v2" || r.GraphVersion != "" || !slices.Equal(knownIDs(r), []string{chen.ID, ly.ID}) {
			t.Errorf("stale %v, index %q, graph %q, known %v", r.IndexStale, r.IndexVersion, r.GraphVersion, knownIDs(r))
		}
	})

	t.Run("a failed rebuild keeps the previous index and is tried again", func(t *testing.T) {
		boom := errors.New("neo4j went away")
		src.set(func(s *slowSource) {
			s.version, s.names, s.gate, s.entered, s.fail = "v3", []triage.Named{ly}, nil, nil, boom
		})
		if idx := index(t, c); !idx.Stale || idx.Version != "v2" {
			t.Fatalf("stale %v version %q", idx.Stale, idx.Version)
		}
		if err := c.Wait(ctx); !errors.Is(err, boom) {
			t.Fatalf("Wait: %v", err)
		}
		src.set(func(s *slowSource) { s.fail = nil })
		if idx := index(t, c); !idx.Stale || idx.Version != "v2" {
			t.Fatalf("after the failure: stale %v version %q", idx.Stale, idx.Version)
		}
		if err := c.Wait(ctx); err != nil {
			t.Fatal(err)
		}
		r := triage.Run(index(t, c), doc)
		if r.IndexStale || r.IndexVersion != "v3" || !slices.Equal(knownIDs(r), []string{ly.ID}) {
			t.Errorf("stale %v, index %q, known %v", r.IndexStale, r.IndexVersion, knownIDs(r))
		}
	})
}

// TestCacheRefresh: Refresh after an import starts the rebuild without a
// triage request, and does nothing before the first index.
func TestCacheRefresh(t *testing.T) {
	ctx := context.Background()
	src := &slowSource{version: "v1", names: []triage.Named{{ID: "person:chen-zhi", Name: "Chen Zhi", Kinds: []graph.Kind{graph.KindPerson}}}}
	c := triage.NewCache(src)
	reads := func() int { src.mu.Lock(); defer src.mu.Unlock(); return src.reads }
	if err := c.Refresh(ctx); err != nil || reads() != 0 {
		t.Fatalf("Refresh before the first index: %v, %d reads", err, reads())
	}
	if idx := index(t, c); idx.Version != "v1" {
		t.Fatalf("version %q", idx.Version)
	}
	if err := c.Refresh(ctx); err != nil || reads() != 1 {
		t.Fatalf("Refresh of an unchanged graph: %v, %d reads", err, reads())
	}
	src.set(func(s *slowSource) { s.version = "v2" })
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if idx := index(t, c); idx.Stale || idx.Version != "v2" || reads() != 2 {
		t.Errorf("after Refresh: stale %v, version %q, %d reads", idx.Stale, idx.Version, reads())
	}
}
