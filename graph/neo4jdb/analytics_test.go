package neo4jdb_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/analytics"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// princeNetwork is a fixture built from the public record of the Prince
// Group case (the US Treasury's October 2025 designation of Chen Zhi and the
// Prince Group network, and the January 2026 reports of his deportation to
// China, /work/shared/reports): Chen Zhi, Prince Holding Group, its
// subsidiaries and the compounds they run; beside it an unrelated network
// of the same size (a tycoon, his companies and compound) and a few
// entities with a single tie, joined to the Prince core by one associate.
func princeNetwork(prefix string) ([]graph.Entity, []graph.Relationship) {
	var ents []graph.Entity
	var rels []graph.Relationship
	ent := func(short, name string, kinds ...graph.Kind) {
		ents = append(ents, graph.Entity{ID: prefix + short, Name: name, Kinds: kinds, Properties: map[string]graph.Value{}})
	}
	rel := func(from string, t graph.RelType, to string, ev graph.Evidence) {
		rels = append(rels, graph.Relationship{ID: graph.RelationshipID(prefix+from, t, prefix+to, ""), From: prefix + from, To: prefix + to, Type: t, Evidence: ev, Properties: map[string]graph.Value{}})
	}
	ent("chen", "Chen Zhi", graph.KindTycoon)
	ent("prince", "Prince Holding Group", graph.KindCompany)
	for _, c := range []struct{ short, name string }{
		{"bank", "Prince Bank"}, {"realestate", "Prince Real Estate Group"}, {"huanyu", "Prince Huan Yu Real Estate"},
		{"jinbei", "Jin Bei Group"}, {"goldenfortune", "Golden Fortune Resorts World"}, {"byex", "Byex Exchange"},
	} {
		ent(c.short, c.name, graph.KindCompany)
		rel("prince", graph.RelOwns, c.short, graph.EvidenceDesignation)
		rel("chen", graph.RelDirects, c.short, graph.EvidenceDesignation)
	}
	ent("jinbei-compound", "Jin Bei compound", graph.KindCompound)
	ent("gf-compound", "Golden Fortune Science and Technology Park", graph.KindCompound)
	rel("jinbei", graph.RelOperates, "jinbei-compound", graph.EvidenceDesignation)
	rel("goldenfortune", graph.RelOperates, "gf-compound", graph.EvidenceDesignation)
	rel("chen", graph.RelOwns, "prince", graph.EvidenceDesignation)
	rel("chen", graph.RelOperates, "jinbei-compound", graph.EvidenceMediaReport)
	ent("assoc", "Prince associate", graph.KindPerson)
	rel("assoc", graph.RelAssociateOf, "chen", graph.EvidenceAllegation)
	// The other network: as dense as Prince's, tied to it only through assoc.
	ent("other", "Other Tycoon", graph.KindTycoon)
	ent("other-group", "Other Group", graph.KindCompany)
	rel("other", graph.RelOwns, "other-group", graph.EvidenceMediaReport)
	for i := range 4 {
		s := fmt.Sprintf("other-co-%d", i)
		ent(s, fmt.Sprintf("Other Company %d", i), graph.KindCompany)
		rel("other-group", graph.RelOwns, s, graph.EvidenceMediaReport)
		rel("other", graph.RelDirects, s, graph.EvidenceMediaReport)
	}
	rel("assoc", graph.RelAssociateOf, "other", graph.EvidenceAllegation)
	// Single ties at the edge.
	for i := range 3 {
		s := fmt.Sprintf("leaf-%d", i)
		ent(s, fmt.Sprintf("Leaf %d", i), graph.KindPerson)
		rel(s, graph.RelAssociateOf, "other-co-0", graph.EvidenceAllegation)
	}
	// A location: out of the default kinds.
	ent("sihanoukville", "Sihanoukville", graph.KindLocation)
	rel("gf-compound", graph.RelLocatedIn, "sihanoukville", graph.EvidenceMediaReport)
	rel("jinbei-compound", graph.RelLocatedIn, "sihanoukville", graph.EvidenceMediaReport)
	return ents, rels
}

var princeCore = []string{"chen", "prince"}
var princeCompanies = []string{"prince", "bank", "realestate", "huanyu", "jinbei", "goldenfortune", "byex"}

func loadPrince(t *testing.T) (*neo4jdb.DB, string) {
	t.Helper()
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	ents, rels := princeNetwork(prefix)
	neo4jtest.Write(t, db, ents, rels)
	return db, prefix
}

// scoped is the fixture's own projection: the neighbourhood of chen, wide
// enough to hold all of it, so other tests' data sharing the database never
// enters.
func scoped(prefix string) graph.Projection {
	return graph.Projection{Focus: prefix + "chen", Hops: 3}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestGDSVersion(t *testing.T) {
	drv := gdsDriver(t)
	res, err := neo4j.ExecuteQuery(ctxT(t), drv, "CALL gds.version() YIELD gdsVersion RETURN gdsVersion", nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatalf("gds.version(): %v", err)
	}
	if v := res.Records[0].Values[0].(string); !strings.HasPrefix(v, "2.13.") {
		t.Errorf("GDS %s, want the 2.13 line (Neo4j 5.26)", v)
	}
	// The community limit of 4 threads holds.
	_, err = neo4j.ExecuteQuery(ctxT(t), drv, "CALL gds.pageRank.stream.estimate({nodeCount: 10, relationshipCount: 10, nodeProjection: '*', relationshipProjection: '*'}, {concurrency: 8})", nil, neo4j.EagerResultTransformer)
	if err == nil || !strings.Contains(err.Error(), "concurrency") {
		t.Errorf("concurrency 8: %v, want a refusal over 4", err)
	}
}

func gdsDriver(t *testing.T) neo4j.DriverWithContext {
	cfg := neo4jtest.Config(t)
	neo4jtest.Open(t)
	drv, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = drv.Close(context.Background()) })
	return drv
}

func shortIDs(prefix string, es []graph.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = strings.TrimPrefix(e.ID, prefix)
	}
	return out
}

func TestKeyPlayersPrince(t *testing.T) {
	db, prefix := loadPrince(t)
	cases := []struct {
		name  string
		q     graph.AnalyticsQuery
		check func(t *testing.T, got graph.KeyPlayers)
	}{
		{"the Prince core leads", graph.AnalyticsQuery{Projection: scoped(prefix), Limit: 5}, func(t *testing.T, got graph.KeyPlayers) {
			var es []graph.Entity
			for _, p := range got.Players {
				es = append(es, p.Entity)
			}
			top := shortIDs(prefix, es)
			for _, want := range princeCore {
				if !slices.Contains(top[:3], want) {
					t.Errorf("top 3 %v lacks %s", top[:3], want)
				}
			}
			if got.Projection.Nodes != 17 {
				t.Errorf("projected %d nodes, want the 17 actors within 3 hops (not the location)", got.Projection.Nodes)
			}
			p := got.Players[0]
			if p.Rank != 1 || p.PageRank <= got.Players[1].PageRank-1e-9 || p.Degree == 0 || !strings.Contains(p.Reason, "1st of 17 by PageRank") {
				t.Errorf("first player %+v", p)
			}
			if len(got.Edges) == 0 {
				t.Error("no edges among the players")
			}
		}},
		{"kinds narrow the projection", graph.AnalyticsQuery{Projection: graph.Projection{Focus: prefix + "chen", Hops: 3, Kinds: []graph.Kind{graph.KindCompany, graph.KindTycoon}}}, func(t *testing.T, got graph.KeyPlayers) {
			if got.Projection.Nodes != 8 {
				t.Errorf("projected %d, want Chen Zhi and the 7 Prince companies (assoc left out: the other network is cut off)", got.Projection.Nodes)
			}
		}},
		{"min_evidence keeps designation-grade ties", graph.AnalyticsQuery{Projection: graph.Projection{Focus: prefix + "chen", Hops: 3, MinEvidence: graph.EvidenceDesignation}}, func(t *testing.T, got graph.KeyPlayers) {
			if got.Projection.Nodes != 10 {
				t.Errorf("projected %d, want Chen Zhi, 7 companies and 2 compounds", got.Projection.Nodes)
			}
			// Over designation-grade ties alone chen and prince are
			// symmetric (each tied to the other and to the six companies):
			// an exact tie, which PageRank's float sums may break either way.
			var es []graph.Entity
			for _, p := range got.Players[:2] {
				es = append(es, p.Entity)
			}
			if top := shortIDs(prefix, es); !slices.Contains(top, "chen") || !slices.Contains(top, "prince") {
				t.Errorf("first two %v, want chen and prince", top)
			}
		}},
		{"rel_types narrow the projection", graph.AnalyticsQuery{Projection: graph.Projection{Focus: prefix + "chen", Hops: 1, RelTypes: []graph.RelType{graph.RelOwns}}}, func(t *testing.T, got graph.KeyPlayers) {
			if got.Projection.Nodes != 2 || got.Projection.Relationships != 1 {
				t.Errorf("projection %+v, want chen and prince", got.Projection)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.KeyPlayers(ctxT(t), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, got)
		})
	}
}

func TestCommunitiesPrince(t *testing.T) {
	db, prefix := loadPrince(t)
	for _, algo := range []graph.CommunityAlgorithm{graph.CommunityLouvain, graph.CommunityWCC} {
		t.Run(string(algo), func(t *testing.T) {
			got, err := db.Communities(ctxT(t), graph.CommunityQuery{Algorithm: algo, AnalyticsQuery: graph.AnalyticsQuery{Projection: scoped(prefix)}})
			if err != nil {
				t.Fatal(err)
			}
			// Which community holds each Prince company, and chen.
			where := map[string]int64{}
			for _, c := range got.Communities {
				for _, m := range c.Members {
					where[strings.TrimPrefix(m.Entity.ID, prefix)] = c.ID
				}
			}
			if _, ok := where["chen"]; !ok {
				t.Fatalf("chen is not among the central members: %+v", got.Communities)
			}
			sizes := 0
			for _, c := range got.Communities {
				sizes += c.Size
			}
			if sizes != got.Projection.Nodes {
				t.Errorf("sizes add to %d, projected %d", sizes, got.Projection.Nodes)
			}
			if algo == graph.CommunityWCC && got.Count != 1 {
				t.Errorf("wcc: %d components, want 1 (assoc ties the two networks)", got.Count)
			}
			if algo == graph.CommunityLouvain {
				if got.Count < 2 {
					t.Errorf("louvain: %d communities, want the two networks apart", got.Count)
				}
				// The members shown are the five most central; chen and prince lead the Prince community.
				if where["prince"] != where["chen"] {
					t.Errorf("chen in %d, prince in %d", where["chen"], where["prince"])
				}
				if o, ok := where["other"]; ok && o == where["chen"] {
					t.Errorf("the other tycoon is in the Prince community")
				}
			}
		})
	}
	t.Run("louvain groups every Prince company", func(t *testing.T) {
		// Which companies form one group: the people and companies (with the
		// compounds, a company and the compound it runs may form a pair of
		// their own).
		p := scoped(prefix)
		p.Kinds = []graph.Kind{graph.KindPerson, graph.KindCompany}
		run, err := db.RunAnalytics(ctxT(t), p)
		if err != nil {
			t.Fatal(err)
		}
		comm := map[string]int64{}
		for _, s := range princeCompanies {
			d, err := db.Entity(ctxT(t), graph.EntityQuery{ID: prefix + s})
			if err != nil {
				t.Fatal(err)
			}
			comm[s] = d.Properties[graph.PropCommunity].I
			if d.Properties[graph.PropRunID].S != run.ID {
				t.Errorf("%s: run id %q, want %q", s, d.Properties[graph.PropRunID].S, run.ID)
			}
		}
		other, err := db.Entity(ctxT(t), graph.EntityQuery{ID: prefix + "other-group"})
		if err != nil {
			t.Fatal(err)
		}
		if other.Properties[graph.PropCommunity].I == comm["prince"] {
			t.Error("Other Group is in the Prince community")
		}
		if run.Written != run.Projection.Nodes || run.Written == 0 {
			t.Errorf("run %+v: wrote %d of %d", run, run.Written, run.Projection.Nodes)
		}
		for s, c := range comm {
			if c != comm["prince"] {
				t.Errorf("%s in community %d, prince in %d", s, c, comm["prince"])
			}
		}
	})
}

func TestBrokers(t *testing.T) {
	db, prefix := loadPrince(t)
	got, err := db.Brokers(ctxT(t), graph.AnalyticsQuery{Projection: scoped(prefix), Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	// assoc is the only tie between the two networks: an articulation point
	// with the highest betweenness, and its ties are bridges.
	var top []graph.Entity
	for _, b := range got.Brokers {
		top = append(top, b.Entity)
	}
	names := shortIDs(prefix, top)
	if !slices.Contains(names, "assoc") {
		t.Fatalf("brokers %v lack assoc", names)
	}
	for _, b := range got.Brokers {
		if strings.TrimPrefix(b.Entity.ID, prefix) == "assoc" && (!b.ArticulationPoint || !strings.Contains(b.Reason, "cuts")) {
			t.Errorf("assoc: %+v", b)
		}
	}
	found := false
	for _, br := range got.Bridges {
		if (br.From == prefix+"assoc" || br.To == prefix+"assoc") && (br.From == prefix+"other" || br.To == prefix+"other") {
			found = true
		}
	}
	if !found {
		t.Errorf("bridges %v lack assoc-other", got.Bridges)
	}
	if got.Sampled {
		t.Error("sampled betweenness on a small graph")
	}
}

func TestSimilar(t *testing.T) {
	db, prefix := loadPrince(t)
	// Prince Bank and Jin Bei share their owner and director; the other
	// companies' counterparts are others.
	got, err := db.Similar(ctxT(t), graph.SimilarQuery{ID: prefix + "bank", AnalyticsQuery: graph.AnalyticsQuery{Limit: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Entity.ID != prefix+"bank" || len(got.Similar) == 0 {
		t.Fatalf("answer %+v", got)
	}
	first := got.Similar[0]
	if !slices.Contains(princeCompanies, strings.TrimPrefix(first.Entity.ID, prefix)) || first.Shared != 2 || first.Similarity != 1 {
		t.Errorf("most similar %+v, want a Prince company sharing its 2 counterparts", first)
	}
	for _, s := range got.Similar {
		if strings.HasPrefix(strings.TrimPrefix(s.Entity.ID, prefix), "other-co") {
			t.Errorf("%s shares nothing with Prince Bank", s.Entity.ID)
		}
	}
	// The parameter is the path's id (GET /v1/analytics/similar/{id}), not focus.
	if _, err := db.Similar(ctxT(t), graph.SimilarQuery{ID: prefix + "nobody"}); graph.ErrorCode(err) != graph.CodeNotFound || graph.ErrorField(err) != "id" {
		t.Errorf("unknown id: %v (field %q), want not found naming id", err, graph.ErrorField(err))
	}
}

func TestAnalyticsBounds(t *testing.T) {
	db, prefix := loadPrince(t)
	cases := []struct {
		name  string
		q     graph.AnalyticsQuery
		code  graph.Code
		field string
	}{
		{"hops without focus", graph.AnalyticsQuery{Projection: graph.Projection{Hops: 2}}, graph.CodeInvalid, "hops"},
		{"hops too many", graph.AnalyticsQuery{Projection: graph.Projection{Focus: prefix + "chen", Hops: 4}}, graph.CodeInvalid, "hops"},
		{"limit", graph.AnalyticsQuery{Limit: 101}, graph.CodeInvalid, "limit"},
		{"unknown kind", graph.AnalyticsQuery{Projection: graph.Projection{Kinds: []graph.Kind{"alien"}}}, graph.CodeInvalid, "kinds"},
		{"unknown type", graph.AnalyticsQuery{Projection: graph.Projection{RelTypes: []graph.RelType{"LOVES"}}}, graph.CodeInvalid, "rel_types"},
		{"unknown grade", graph.AnalyticsQuery{Projection: graph.Projection{MinEvidence: "gossip"}}, graph.CodeInvalid, "min_evidence"},
		{"unknown focus", graph.AnalyticsQuery{Projection: graph.Projection{Focus: prefix + "nobody"}}, graph.CodeNotFound, "focus"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.KeyPlayers(ctxT(t), tc.q)
			if graph.ErrorCode(err) != tc.code || graph.ErrorField(err) != tc.field {
				t.Errorf("err %v (code %s field %q), want %s on %s", err, graph.ErrorCode(err), graph.ErrorField(err), tc.code, tc.field)
			}
		})
	}
	t.Run("over the memory cap", func(t *testing.T) {
		cfg := neo4jtest.Config(t)
		cfg.AnalyticsMaxMemory = 1 << 10
		small, err := neo4jdb.Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer small.Close(context.Background())
		_, err = small.KeyPlayers(ctxT(t), graph.AnalyticsQuery{Projection: scoped(prefix)})
		if graph.ErrorCode(err) != graph.CodeTooLarge || graph.ErrorField(err) != "hops" || !strings.Contains(err.Error(), "ANALYTICS_MAX_MEMORY") {
			t.Errorf("err %v, want too large on hops naming ANALYTICS_MAX_MEMORY", err)
		}
	})
}

// TestProjectionDroppedOnCancel cancels requests at moments spread over
// their run: the projection never stays.
func TestProjectionDroppedOnCancel(t *testing.T) {
	db, prefix := loadPrince(t)
	for _, after := range []time.Duration{5 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second} {
		t.Run(after.String(), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(after, cancel)
			_, err := db.KeyPlayers(ctx, graph.AnalyticsQuery{Projection: scoped(prefix)})
			cancel()
			t.Logf("after %s: %v", after, err)
		})
	}
	// Timeouts: a deadline that ends mid-run.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := db.Communities(ctx, graph.CommunityQuery{AnalyticsQuery: graph.AnalyticsQuery{Projection: scoped(prefix)}})
	t.Logf("timeout: %v", err)
	if left := leftProjections(t, 10*time.Second); len(left) > 0 {
		t.Errorf("projections left after cancelled requests: %v", left)
	}
}

// leftProjections lists this service's projections still in the catalog
// after waiting up to wait for requests still under way (other test
// packages share the database) to drop theirs.
func leftProjections(t testing.TB, wait time.Duration) []string {
	cfg := neo4jtest.Config(t)
	drv, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer drv.Close(context.Background())
	deadline := time.Now().Add(wait)
	for {
		res, err := neo4j.ExecuteQuery(context.Background(), drv,
			"CALL gds.graph.list() YIELD graphName WHERE graphName STARTS WITH $p RETURN collect(graphName)",
			map[string]any{"p": analytics.ProjectionPrefix}, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatalf("gds.graph.list(): %v", err)
		}
		var names []string
		for _, n := range res.Records[0].Values[0].([]any) {
			names = append(names, n.(string))
		}
		if len(names) == 0 || time.Now().After(deadline) {
			return names
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// TestBrokersWithoutTies: a projection with entities but no ties has no
// brokers, articulation points or bridges; GDS's articulation points fail
// on it (ArrayIndexOutOfBounds), which answered 500 (Schemathesis found it
// with rel=OWNS on the sample).
func TestBrokersWithoutTies(t *testing.T) {
	db, prefix := loadPrince(t)
	for _, tc := range []struct {
		name string
		p    graph.Projection
	}{
		{"focus without ties of the type", graph.Projection{Focus: prefix + "chen", Hops: 1, RelTypes: []graph.RelType{graph.RelHeldAt}}},
		{"kinds without ties among them", graph.Projection{Focus: prefix + "chen", Hops: 2, Kinds: []graph.Kind{graph.KindPerson}, RelTypes: []graph.RelType{graph.RelOwns}}},
	} {
		t.Run(tc.name+": key players", func(t *testing.T) {
			// PageRank and Louvain weigh ties by a property that a
			// projection without ties does not hold.
			got, err := db.KeyPlayers(ctxT(t), graph.AnalyticsQuery{Projection: tc.p, Limit: 5})
			if err != nil || len(got.Players) == 0 {
				t.Fatalf("key players: %v %+v", err, got)
			}
			if _, err := db.Communities(ctxT(t), graph.CommunityQuery{AnalyticsQuery: graph.AnalyticsQuery{Projection: tc.p}}); err != nil {
				t.Fatalf("communities: %v", err)
			}
		})
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.Brokers(ctxT(t), graph.AnalyticsQuery{Projection: tc.p, Limit: 5})
			if err != nil {
				t.Fatalf("brokers: %v", err)
			}
			if got.Projection.Relationships != 0 || len(got.Bridges) != 0 {
				t.Errorf("projection %+v, bridges %v: want no ties and no bridges", got.Projection, got.Bridges)
			}
			for _, b := range got.Brokers {
				if b.ArticulationPoint {
					t.Errorf("%s is an articulation point of a graph without ties", b.Entity.ID)
				}
			}
		})
	}
}

// TestKeyPlayersWholeGraph: without focus, as_of or min_evidence the
// projection is native (gds-project-native). Other tests' data share the
// database, so only the fixture's lower bounds are checked; the kinds and
// type keep the projection small (tycoons and compounds, OPERATES).
func TestKeyPlayersWholeGraph(t *testing.T) {
	db, prefix := loadPrince(t)
	q := graph.AnalyticsQuery{Limit: graph.MaxAnalyticsLimit, Projection: graph.Projection{
		Kinds: []graph.Kind{graph.KindTycoon, graph.KindCompound}, RelTypes: []graph.RelType{graph.RelOperates}}}
	got, err := db.KeyPlayers(ctxT(t), q)
	if err != nil {
		t.Fatal(err)
	}
	// chen, other, the two compounds; chen OPERATES jinbei-compound.
	if got.Projection.Nodes < 4 || got.Projection.Relationships < 1 || len(got.Players) == 0 {
		t.Errorf("projection %+v, %d players", got.Projection, len(got.Players))
	}
	for _, p := range got.Players {
		if p.Entity.ID == prefix+"chen" && p.Degree < 1 {
			t.Errorf("chen: %+v", p)
		}
	}
	b, err := db.Brokers(ctxT(t), q)
	if err != nil || b.Projection.Nodes < 4 {
		t.Errorf("brokers: %v %+v", err, b.Projection)
	}
}
