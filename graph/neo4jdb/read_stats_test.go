package neo4jdb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
	"github.com/scamgraph/scamgraph/queries"
)

// Stats counts every relationship type the model has, from the count store
// as from the as_of scan: a type missing from queries/read-stats.cypher
// reads 0 however many there are (LINKED_TO and POSSIBLY_SAME_AS did).
func TestStatsCountsEveryRelType(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	src := graph.Entity{ID: prefix + "src", Kinds: []graph.Kind{graph.KindSource}, Name: "Test leak",
		Properties: map[string]graph.Value{"publisher": graph.StringValue("Test Wire"),
			"published": graph.DateValue(graph.Date{Year: 2020, Month: 1, Day: 1}), "source_type": graph.StringValue("other")}}
	a := graph.Entity{ID: prefix + "a", Kinds: []graph.Kind{graph.KindCompany}, Name: "Alpha Holdings", Sources: []string{src.ID}, Properties: map[string]graph.Value{}}
	b := graph.Entity{ID: prefix + "b", Kinds: []graph.Kind{graph.KindCompany}, Name: "Alpha Holding", Sources: []string{src.ID}, Properties: map[string]graph.Value{}}
	types := []graph.RelType{graph.RelLinkedTo, graph.RelPossiblySameAs, graph.RelOwns}
	var rels []graph.Relationship
	for _, ty := range types {
		ev := graph.EvidenceRecord
		if ty == graph.RelPossiblySameAs {
			ev = graph.EvidenceMediaReport
		}
		rels = append(rels, graph.Relationship{ID: graph.RelationshipID(a.ID, ty, b.ID, ""), Type: ty, From: a.ID, To: b.ID,
			Evidence: ev, Sources: []string{src.ID}, Properties: map[string]graph.Value{}})
	}
	neo4jtest.Write(t, db, []graph.Entity{src, a, b}, rels)
	asOf := graph.Date{Year: 2030, Month: 1, Day: 1}
	for _, view := range []struct {
		name string
		q    graph.StatsQuery
	}{{"count store", graph.StatsQuery{}}, {"as_of scan", graph.StatsQuery{AsOf: &asOf}}} {
		s, err := db.Stats(context.Background(), view.q)
		if err != nil {
			t.Fatalf("%s: Stats: %v", view.name, err)
		}
		for _, ty := range types {
			t.Run(view.name+"/"+string(ty), func(t *testing.T) {
				if s.ByRelType[string(ty)] < 1 {
					t.Fatalf("by_relationship_type[%s] = %d, want at least 1 (this test wrote one)", ty, s.ByRelType[string(ty)])
				}
			})
		}
	}
}

// Every kind's label and every relationship type (graph.RelTypes and
// MENTIONED_IN) has its branch in queries/read-stats.cypher.
func TestStatsQueryCoversAllowLists(t *testing.T) {
	q := queries.Get("read-stats")
	for _, k := range graph.AllKinds() {
		l, _ := graph.KindLabel(k)
		t.Run("kind "+string(k), func(t *testing.T) {
			if !strings.Contains(q, "MATCH (n:"+l+")") || !strings.Contains(q, "'"+string(k)+"' AS name") {
				t.Fatalf("read-stats has no branch for kind %s (label %s)", k, l)
			}
		})
	}
	for _, ty := range append(graph.RelTypes(), graph.RelMentionedIn) {
		t.Run("rel "+string(ty), func(t *testing.T) {
			if !strings.Contains(q, "[r:"+string(ty)+"]") || !strings.Contains(q, "'"+string(ty)+"' AS name") {
				t.Fatalf("read-stats has no branch for relationship type %s", ty)
			}
		})
	}
}
