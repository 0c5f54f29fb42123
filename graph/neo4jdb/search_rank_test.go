package neo4jdb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// rankEntities are names that compete for the same searches, as in the
// sample data: the person and the city must come first, ahead of events,
// compounds and cohorts whose long names contain theirs, and of namesakes.
func rankEntities(p string) []graph.Entity {
	e := func(id string, k graph.Kind, name string, aliases ...string) graph.Entity {
		return graph.Entity{ID: p + id, Kinds: []graph.Kind{k}, Name: name, Aliases: aliases, Properties: map[string]graph.Value{}}
	}
	return []graph.Entity{
		e("chen", graph.KindTycoon, "Chen Zhi", "Vincent Chen", "陈志"),
		e("chen-indictment", graph.KindEvent, "US indictment of Chen Zhi (Oct 2025)"),
		e("chen-arrest", graph.KindEvent, "Cambodia arrests Chen Zhi (Jan 2026)"),
		e("chen-ops", graph.KindCompound, "Internet scam operations run from Cambodia attributed to Chen Zhi (unnamed)"),
		e("chen-zhiwei", graph.KindPerson, "Chen Zhiwei"),
		e("chen-xi", graph.KindPerson, "Chen Xi"),
		e("zi-chen", graph.KindPerson, "Zhou Chen"),
		e("sihanoukville", graph.KindLocation, "Sihanoukville"),
		e("protest", graph.KindCompound, "Unnamed suspected scam compound in Sihanoukville (Indian workers' protest, May 2024)"),
		e("freed", graph.KindVictim, "360 Indian nationals freed from Sihanoukville cyberscam operations (May 2024)"),
		e("rescue", graph.KindEvent, "Rescue of 360 Indian nationals from Sihanoukville scam operations (spring 2024)"),
		e("raids", graph.KindEvent, "Raids on Sihanoukville scam compounds incl. Great Wall Park (Sep 2022)"),
	}
}

// TestSearchRanking: the searches a new user tries find the person or the
// place first, whatever the order, case, punctuation, script or a typo.
func TestSearchRanking(t *testing.T) {
	db := neo4jtest.Open(t)
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	neo4jtest.Write(t, db, rankEntities(p), nil)
	ctx := context.Background()
	for _, tt := range []struct{ q, want string }{
		{"Chen Zhi", "chen"},
		{"chen zi", "chen"},
		{"CHEN, Zhi", "chen"},
		{"Zhi Chen", "chen"},
		{"vincent chen", "chen"},
		{"陈志", "chen"},
		{"Chen Zhiwei", "chen-zhiwei"},
		{"Sihanouk", "sihanoukville"},
		{"sihanoukvile", "sihanoukville"},
		{"Sihanoukville", "sihanoukville"},
	} {
		t.Run(tt.q, func(t *testing.T) {
			page, err := db.Search(ctx, graph.SearchQuery{Text: tt.q, Limit: graph.MaxSearchLimit, Role: graph.RoleAnalyst})
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			var mine []string
			for _, h := range page.Hits {
				if strings.HasPrefix(h.ID, p) {
					mine = append(mine, strings.TrimPrefix(h.ID, p))
					if h.Score <= 0 || h.Score > 1 {
						t.Errorf("hit %s score %v, want in (0,1]", h.ID, h.Score)
					}
				}
			}
			if len(mine) == 0 || mine[0] != tt.want {
				t.Fatalf("hits %v, want %s first", mine, tt.want)
			}
		})
	}
}
