package neo4jdb_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// loadSampleAndSanctions imports data/sample (the reports' Prince Group
// slice: Chen Zhi, Prince Holding Group and the compounds attributed to
// them) and the OFAC and UK designations of Chen Zhi and Prince Holding
// Group (importer/testdata/ftm/prince-group.ftm.json, an OpenSanctions-style
// FtM file) with the project's importer, then merges the designations'
// records into the sample's Chen Zhi and Prince Holding Group, as an
// investigator does with the duplicates the match proposes (issue 12).
func loadSampleAndSanctions(t *testing.T) (*neo4jdb.DB, string) {
	t.Helper()
	db := neo4jtest.Open(t)
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	sample := neo4jtest.PrefixedCopy(t, neo4jtest.SampleDir(t), p)
	if rep, err := importer.New(db, importer.Options{}).ImportPaths(ctx, []string{sample}); err != nil {
		t.Fatalf("import the sample: %v %+v", err, rep.Problems)
	}
	if rep, err := importer.New(db, importer.Options{IDNamespace: p}).ImportPaths(ctx, []string{"../../importer/testdata/ftm/prince-group.ftm.json"}); err != nil {
		t.Fatalf("import the sanctions: %v %+v", err, rep.Problems)
	}
	for keep, dups := range map[string][]string{
		"person:chen-zhi":              {"ftm:ofac-chen-zhi", "ftm:gb-fcdo-chen-zhi"},
		"company:prince-holding-group": {"ftm:ofac-prince-holding-group", "ftm:gb-fcdo-prince-holding-group"},
	} {
		req := graph.MergeRequest{Keep: p + keep, Reason: "the OFAC and UK designations of the same", By: "test"}
		for _, d := range dups {
			req.Merge = append(req.Merge, p+d)
		}
		if _, err := db.Merge(ctx, req); err != nil {
			t.Fatalf("merge %v into %s: %v", req.Merge, keep, err)
		}
	}
	return db, p
}

// TestPrinceGroupOnSampleAndSanctions is issue 13's done-criterion: the
// sample plus a sanctions import shows the Prince Group core among the key
// players, with scores and reasons, and as one community. The ranked list
// is in docs/analytics.md.
func TestPrinceGroupOnSampleAndSanctions(t *testing.T) {
	db, p := loadSampleAndSanctions(t)
	// The sample shares the database with other tests' data: Chen Zhi's
	// neighbourhood of 3 hops holds every actor of the sample tied to him.
	proj := graph.Projection{Focus: p + "person:chen-zhi", Hops: 3}
	chen, prince := p+"person:chen-zhi", p+"company:prince-holding-group"
	compounds := []string{p + "compound:prince-group-scam-compounds-cambodia", p + "compound:chen-zhi-scam-operations-cambodia"}
	group := append([]string{chen, prince, p + "ftm:ofac-prince-group-tco"}, compounds...)
	government := []string{p + "org:cambodian-government", p + "org:cambodia-ministry-of-interior"}

	t.Run("key players", func(t *testing.T) {
		kp, err := db.KeyPlayers(ctxT(t), graph.AnalyticsQuery{Projection: proj})
		if err != nil {
			t.Fatal(err)
		}
		rank := map[string]graph.KeyPlayer{}
		for _, pl := range kp.Players {
			rank[pl.Entity.ID] = pl
			t.Logf("%d %s pagerank %.3f degree %d betweenness %.1f: %s", pl.Rank, pl.Entity.Name, pl.PageRank, pl.Degree, pl.Betweenness, pl.Reason)
		}
		if len(kp.Players) < 2 || !slices.Contains([]string{chen, prince}, kp.Players[0].Entity.ID) || !slices.Contains([]string{chen, prince}, kp.Players[1].Entity.ID) {
			t.Fatalf("the first two players are not Chen Zhi and Prince Holding Group: %+v", kp.Players)
		}
		for _, id := range append([]string{chen, prince}, compounds...) {
			pl, ok := rank[id]
			if !ok {
				t.Errorf("%s is not among the key players", id)
				continue
			}
			if pl.PageRank <= 0 || !strings.Contains(pl.Reason, "by PageRank") || !strings.Contains(pl.Reason, "direct tie") {
				t.Errorf("%s: score %.3f, reason %q", id, pl.PageRank, pl.Reason)
			}
		}
		for _, pl := range kp.Players { // "1 direct tie", "2 direct ties"
			if want := fmt.Sprintf("; %d direct tie (", pl.Degree); pl.Degree == 1 && !strings.Contains(pl.Reason, want) {
				t.Errorf("%s: reason %q, want %q", pl.Entity.ID, pl.Reason, want)
			}
			if want := fmt.Sprintf("; %d direct ties (", pl.Degree); pl.Degree != 1 && !strings.Contains(pl.Reason, want) {
				t.Errorf("%s: reason %q, want %q", pl.Entity.ID, pl.Reason, want)
			}
		}
		// Chen Zhi ties the Prince Group to the government he advised: the
		// most shortest paths run through him.
		for _, pl := range kp.Players {
			if pl.Entity.ID != chen && pl.Betweenness >= rank[chen].Betweenness {
				t.Errorf("%s's betweenness %.1f is not below Chen Zhi's %.1f", pl.Entity.ID, pl.Betweenness, rank[chen].Betweenness)
			}
		}
		if !strings.Contains(rank[chen].Reason, "a broker") {
			t.Errorf("Chen Zhi's reason %q does not call him a broker", rank[chen].Reason)
		}
	})

	t.Run("one community", func(t *testing.T) {
		com, err := db.Communities(ctxT(t), graph.CommunityQuery{AnalyticsQuery: graph.AnalyticsQuery{Projection: proj}})
		if err != nil {
			t.Fatal(err)
		}
		where := map[string]int64{}
		for _, c := range com.Communities {
			var ms []string
			for _, m := range c.Members {
				where[m.Entity.ID] = c.ID
				ms = append(ms, m.Entity.Name)
			}
			t.Logf("community %d, %d members: %v", c.ID, c.Size, ms)
		}
		for _, id := range group {
			if c, ok := where[id]; !ok || c != where[prince] {
				t.Errorf("%s is not in Prince Holding Group's community (%v)", id, where)
			}
		}
		for _, id := range government {
			if c, ok := where[id]; ok && c == where[prince] {
				t.Errorf("%s is in Prince Holding Group's community", id)
			}
		}
	})
}
