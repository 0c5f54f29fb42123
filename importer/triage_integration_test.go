package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/triage"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestTriageDraftPassesDryRun: triage of the two real reports against the
// sample graph, as stored in Neo4j, names known entities (one only by an
// alias) and drafts an import file that `import --dry-run` accepts.
func TestTriageDraftPassesDryRun(t *testing.T) {
	db := neo4jtest.Open(t)
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	dir := neo4jtest.PrefixedCopy(t, neo4jtest.SampleDir(t), p)
	if _, err := importDir(t, db, importer.Options{}, dir); err != nil {
		t.Fatal(err)
	}
	var ents []triage.Named
	err := db.EachNamed(ctxT(t), func(n triage.Named) error {
		if strings.HasPrefix(n.ID, p) { // other tests' entities share the database
			ents = append(ents, n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	idx := triage.NewIndex("test", ents)
	tests := []struct {
		file, publisher string
		date            graph.Date
		alias           string
	}{
		{"afp-2026-01-indonesians-released-cambodia-crackdown.txt", "AFP", graph.Date{Year: 2026, Month: 1, Day: 19}, "org:chinese-embassy-phnom-penh"},
		{"rfa-2024-05-indians-freed-from-sihanoukville.txt", "Radio Free Asia", graph.Date{Year: 2024, Month: 5, Day: 23}, "org:taiwan-criminal-investigation-bureau"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join("..", "graph", "triage", "testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			res := triage.Run(idx, triage.Document{Text: string(text), Publisher: tc.publisher, Date: &tc.date})
			found := false
			for _, k := range res.Known {
				found = found || (k.ID == p+tc.alias && k.ByAlias)
			}
			if !found {
				t.Errorf("%s not found by its alias: %+v", tc.alias, res.Known)
			}
			file := filepath.Join(t.TempDir(), "draft.ndjson")
			if err := os.WriteFile(file, []byte(res.Draft.NDJSON), 0o600); err != nil {
				t.Fatal(err)
			}
			admin := graph.WithPrincipal(context.Background(), graph.Principal{Role: graph.RoleImporter})
			rep, err := importer.New(db, importer.Options{DryRun: true, Role: graph.RoleImporter}).ImportPaths(admin, []string{file})
			if err != nil || rep.Rejected != 0 || rep.Written {
				t.Fatalf("dry run of the draft: %v %+v\n%s", err, rep.Problems, res.Draft.NDJSON)
			}
			if rep.Entities.Created != res.Draft.Entities+1 || rep.Relationships.Created != res.Draft.Relationships {
				t.Errorf("dry run would create %+v/%+v, draft has %d entities (+ source) and %d relationships",
					rep.Entities, rep.Relationships, res.Draft.Entities, res.Draft.Relationships)
			}
		})
	}
}
