package importer_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestImportResolvesIDs: a later import that uses a merged id lands on the
// kept node; --map and --resolve's shared strong identifier map new ids to
// stored entities; a match on a name alone is only proposed.
func TestImportResolvesIDs(t *testing.T) {
	db := neo4jtest.Open(t)
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	src := graph.Entity{ID: p + "source:s", Kinds: []graph.Kind{graph.KindSource}, Name: "S",
		Properties: map[string]graph.Value{"publisher": graph.StringValue("OFAC"), "published": graph.DateValue(graph.Date{Year: 2025, Month: 10, Day: 14}), "source_type": graph.StringValue("sanction")}}
	person := func(id, name string, props map[string]graph.Value) graph.Entity {
		return graph.Entity{ID: p + id, Kinds: []graph.Kind{graph.KindPerson}, Name: name, Sources: []string{src.ID}, Properties: props}
	}
	neo4jtest.Write(t, db, []graph.Entity{src,
		person("person:chen-zhi", "Chen Zhi", map[string]graph.Value{"passport": graph.StringValue("EA1234567"), "birth_country": graph.StringValue("CN")}),
		person("person:uk-chen", "Zhi CHEN", nil),
		{ID: p + "company:prince", Kinds: []graph.Kind{graph.KindCompany}, Name: "Prince Holding Group", Sources: []string{src.ID}},
	}, nil)
	keep := p + "person:chen-zhi"
	if _, err := db.Merge(ctxT(t), graph.MergeRequest{Keep: keep, Merge: []string{p + "person:uk-chen"}, By: "test"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	line := func(s string) string { return strings.ReplaceAll(s, "P:", p) + "\n" }
	file := filepath.Join(dir, "later.ndjson")
	body := line(`{"record":"entity","id":"P:person:uk-chen","kinds":["person"],"name":"Zhi CHEN","aliases":["Vincent Chen"],"sources":["P:source:s"]}`) +
		line(`{"record":"entity","id":"P:person:ofac-chen","kinds":["person"],"name":"CHEN Zhi","sources":["P:source:s"],"properties":{"passport":"EA 1234567"}}`) +
		line(`{"record":"entity","id":"P:person:namesake","kinds":["person"],"name":"Chen Zhi","sources":["P:source:s"]}`) +
		line(`{"record":"entity","id":"P:person:the-boss","kinds":["person"],"name":"The Prince boss","sources":["P:source:s"]}`) +
		line(`{"record":"relationship","type":"OWNS","from":"P:person:uk-chen","to":"P:company:prince","evidence":"designation","sources":["P:source:s"]}`)
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := importDir(t, db, importer.Options{Resolve: true, Map: map[string]string{p + "person:the-boss": p + "person:uk-chen"}}, file)
	if err != nil {
		t.Fatalf("import: %v %+v", err, rep.Problems)
	}
	why := map[string]string{}
	for _, r := range rep.Resolved {
		if r.To != keep {
			t.Errorf("%s resolved to %s, want %s", r.ID, r.To, keep)
		}
		why[strings.TrimPrefix(r.ID, p)] = r.Why
	}
	want := map[string]string{"person:uk-chen": graph.ResolvedMerged, "person:ofac-chen": graph.ResolvedIdentifier, "person:the-boss": graph.ResolvedMapped}
	for id, w := range want {
		if why[id] != w {
			t.Errorf("%s: resolved %q, want %q (all: %v)", id, why[id], w, why)
		}
	}
	if len(rep.Candidates) != 1 || rep.Candidates[0].ID != p+"person:namesake" || rep.Candidates[0].Candidates[0].ID != keep {
		t.Errorf("candidates %+v", rep.Candidates)
	}
	d, err := db.Entity(ctxT(t), graph.EntityQuery{ID: keep})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"Zhi CHEN", "Vincent Chen", "CHEN Zhi", "The Prince boss"} {
		if !slices.Contains(d.Entity.Aliases, a) {
			t.Errorf("kept node lacks alias %q: %v", a, d.Entity.Aliases)
		}
	}
	if d.Entity.Name != "Chen Zhi" {
		t.Errorf("kept node renamed to %q", d.Entity.Name)
	}
	stored, err := db.StoredEntities(ctxT(t), []string{p + "person:uk-chen", p + "person:ofac-chen", p + "person:namesake"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := stored[p+"person:namesake"]; !ok || len(stored) != 1 {
		t.Errorf("stored %v: want only the namesake as a node of its own", stored)
	}
	snap := strings.Join(neo4jtest.Snapshot(t, db, p), "\n")
	if !strings.Contains(snap, `"type":"OWNS","from":"person:chen-zhi","to":"company:prince"`) {
		t.Errorf("OWNS did not land on the kept node:\n%s", snap)
	}
}
