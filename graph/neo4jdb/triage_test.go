package neo4jdb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/triage"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestTriageNames: the names triage indexes leave out sources and
// individual victims, and the version moves when a merge changes names.
func TestTriageNames(t *testing.T) {
	db := neo4jtest.Open(t)
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	mergeGraph(t, db, p)
	victim := graph.Entity{ID: p + "victim:v", Kinds: []graph.Kind{graph.KindVictim}, Name: "Real Name", Sources: []string{p + "source:afp"},
		Properties: map[string]graph.Value{"pseudonym": graph.StringValue("Worker A")}}
	cohort := graph.Entity{ID: p + "victim:c", Kinds: []graph.Kind{graph.KindVictim}, Name: "270 Vietnamese nationals", Sources: []string{p + "source:afp"},
		Properties: map[string]graph.Value{"cohort": graph.BoolValue(true), "count": graph.IntValue(270), "nationality": graph.StringValue("VN")}}
	neo4jtest.Write(t, db, []graph.Entity{victim, cohort}, nil)
	v1, err := db.NamesVersion(ctx)
	if err != nil || v1 == "" {
		t.Fatalf("version %q %v", v1, err)
	}
	names := func() map[string]triage.Named {
		out := map[string]triage.Named{}
		if err := db.EachNamed(ctx, func(n triage.Named) error {
			if strings.HasPrefix(n.ID, p) {
				out[strings.TrimPrefix(n.ID, p)] = n
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	got := names()
	for _, id := range []string{"source:afp", "victim:v"} {
		if _, ok := got[id]; ok {
			t.Errorf("%s is indexed", id)
		}
	}
	if got["victim:c"].Name != "270 Vietnamese nationals" || len(got["person:chen-zhi"].Kinds) != 2 {
		t.Errorf("names %+v", got)
	}
	if _, err := db.Merge(ctx, graph.MergeRequest{Keep: p + "person:chen-zhi", Merge: []string{p + "person:uk-chen"}}); err != nil {
		t.Fatal(err)
	}
	if v2, err := db.NamesVersion(ctx); err != nil || v2 == v1 {
		t.Errorf("version after a merge %q (was %q) %v", v2, v1, err)
	}
	if a := names()["person:chen-zhi"].Aliases; len(a) != 1 || a[0] != "Zhi CHEN" {
		t.Errorf("aliases after the merge %v", a)
	}
}
