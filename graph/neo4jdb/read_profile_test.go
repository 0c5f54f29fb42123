package neo4jdb_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/read"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestProfileSuperNode PROFILEs the neighbour and path queries around a
// super-node (a country with superNodeSize LOCATED_IN, more than
// DefaultPathHubDegree and MaxNeighborFanout) and fails when a plan returns
// more rows or reads more db hits than its ceiling; it logs each plan's
// total db hits and time. It runs in make test. SCAMGRAPH_PROFILE_N sets
// another size (e.g. 100000, the size the ceilings were first set at) for
// a look at the figures; the ceilings hold only at the default size.
func TestProfileSuperNode(t *testing.T) {
	db := neo4jtest.Open(t)
	cfg := neo4jtest.Config(t)
	drv, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer drv.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	n := superNodeSize
	if v := os.Getenv("SCAMGRAPH_PROFILE_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			t.Fatal(err)
		}
	}
	setup := []string{
		`CREATE (:Entity:Location {id: $p + 'country', name: 'Superland', sources: [$p + 'src']})`,
		`CREATE (:Entity:Source {id: $p + 'src', name: 'S', published: date('2020-01-01')})`,
		`MATCH (c:Entity {id: $p + 'country'})
		 UNWIND range(1, $n) AS i
		 CALL (c, i) {
		   CREATE (:Entity:Company {id: $p + 'co-' + right('000000' + i, 6), name: 'Co ' + i, sources: [$p + 'src']})
		     -[:LOCATED_IN {id: $p + 'r' + i, evidence: 'media_report', evidence_rank: 2, sources: [$p + 'src'],
		                    _from_id: $p + 'co-' + right('000000' + i, 6), _to_id: c.id}]->(c)
		 } IN TRANSACTIONS OF 10000 ROWS`,
		`MATCH (a:Entity {id: $p + 'co-000001'}), (b:Entity {id: $p + 'co-000002'})
		 CREATE (x:Entity:Person {id: $p + 'x', name: 'X', sources: [$p + 'src']}),
		        (x)-[:OWNS {id: $p + 'o1', evidence: 'charge', evidence_rank: 4, sources: [$p + 'src'], _from_id: x.id, _to_id: a.id}]->(a)`,
	}
	sess := drv.NewSession(ctx, neo4j.SessionConfig{DatabaseName: cfg.Database})
	defer sess.Close(ctx)
	for _, s := range setup { // auto-commit: CALL IN TRANSACTIONS needs it
		res, err := sess.Run(ctx, s, map[string]any{"p": p, "n": n})
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			t.Fatalf("setup: %v", err)
		}
	}
	// Plan on this graph, not on what the shared database held before.
	if _, err := neo4j.ExecuteQuery(ctx, drv, "CALL db.prepareForReplanning()", nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(cfg.Database)); err != nil {
		t.Fatalf("prepare for replanning: %v", err)
	}
	far := p + fmt.Sprintf("co-%06d", n-1) // a company at the far side of the super-node
	types := func(ts ...graph.RelType) []string {
		if len(ts) == 0 {
			ts = graph.RelTypes()
		}
		var out []string
		for _, x := range ts {
			out = append(out, string(x))
		}
		return out
	}
	mid := p + fmt.Sprintf("co-%06d", n/2)    // a cursor half-way through its neighbours
	last := p + fmt.Sprintf("co-%06d", n-100) // the cursor of the last page
	cases := []struct {
		name, query string
		text        string // the query as sent, when not query's text
		ints        map[string]int
		params      map[string]any
		// Ceilings at superNodeSize: maxRows is the query's limit (plus the
		// start node where it is returned), maxHits the db hits logged on
		// 2026-12-01 (Neo4j embedded launcher) times about 1.5, rounded up;
		// the figure of that day is in each case's comment.
		maxRows int
		maxHits int64
	}{
		{name: "neighbors depth 1 of the super-node (limit 100)", query: "read-neighbors",
			params: map[string]any{"id": p + "country", "types": types(), "labels": []string{}, "after": "", "limit": int64(100), "asOf": nil, "late": []string{}, "keysetMin": int64(math.MaxInt32)},
			// today: 101 rows, 2435 db hits run alone, 26823 after TestInvProfile
			// (the planner then expands all superNodeSize relationships before
			// the top 100, even after db.prepareForReplanning): the ceiling
			// takes the worse plan, ~5 hits a relationship.
			maxRows: 101, maxHits: 40000},
		{name: "neighbors depth 1 with as_of", query: "read-neighbors",
			params: map[string]any{"id": p + "country", "types": types(), "labels": []string{}, "after": "", "limit": int64(100), "asOf": neo4j.DateOf(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)), "late": []string{}, "keysetMin": int64(math.MaxInt32)},
			// today: 101 rows, 3350 db hits alone, 57126 after TestInvProfile.
			maxRows: 101, maxHits: 86000},
		// As served: the super-node's degree is past read.KeysetMinDegree, so
		// read-neighbors reads its relationship groups and none of its
		// relationships, and answers dense (the store then pages by keyset).
		{name: "neighbors depth 1 of the super-node, dense", query: "read-neighbors",
			params: map[string]any{"id": p + "country", "types": types(), "labels": []string{}, "after": "", "limit": int64(100), "asOf": nil, "late": []string{}, "keysetMin": int64(read.KeysetMinDegree)},
			// today: 1 row, 5 db hits
			maxRows: 1, maxHits: 20},
		// The keyset query (queries/schema/005-relationship-ends.cypher): the
		// same page in a bounded number of db hits, first, middle or last.
		{name: "neighbors keyset depth 1, first page", text: read.KeysetQuery(nil, []string{string(graph.RelLocatedIn)}),
			params:  map[string]any{"id": p + "country", "types": types(), "labels": []string{}, "after": "", "limit": int64(100), "asOf": nil, "late": []string{}},
			maxRows: 101, maxHits: keysetMaxHits},
		{name: "neighbors keyset depth 1, middle page", text: read.KeysetQuery(nil, []string{string(graph.RelLocatedIn)}),
			params:  map[string]any{"id": p + "country", "types": types(), "labels": []string{}, "after": mid, "limit": int64(100), "asOf": nil, "late": []string{}},
			maxRows: 101, maxHits: keysetMaxHits},
		{name: "neighbors keyset depth 1, last page", text: read.KeysetQuery(nil, []string{string(graph.RelLocatedIn)}),
			params:  map[string]any{"id": p + "country", "types": types(), "labels": []string{}, "after": last, "limit": int64(100), "asOf": nil, "late": []string{}},
			maxRows: 101, maxHits: keysetMaxHits},
		{name: "neighbors keyset depth 1 with as_of", text: read.KeysetQuery(nil, []string{string(graph.RelLocatedIn)}),
			params:  map[string]any{"id": p + "country", "types": types(), "labels": []string{}, "after": mid, "limit": int64(100), "asOf": neo4j.DateOf(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)), "late": []string{}},
			maxRows: 101, maxHits: keysetMaxHits},
		{name: "neighbors hop through the super-node", query: "read-neighbors-hop",
			params: map[string]any{"ids": []string{p + "country"}, "behind": []string{}, "types": types(), "labels": []string{},
				"fanout": int64(graph.MaxNeighborFanout), "asOf": nil, "late": []string{}},
			maxRows: graph.MaxNeighborFanout + 1, maxHits: 30 * int64(graph.MaxNeighborFanout)}, // today: 201 rows, 5029 db hits; the bound 30×fanout predates it
		{name: "last hop through the super-node (ids only)", query: "read-neighbors-last-hop",
			params: map[string]any{"ids": []string{p + "country"}, "behind": []string{}, "types": types(), "labels": []string{},
				"fanout": int64(graph.MaxNeighborFanout), "asOf": nil, "late": []string{}},
			maxRows: 1, maxHits: 1600}, // today: 1 row (the frontier node, 201 ids), 1010 db hits: the hop's expansion without its 4020 hits of sending nodes
		{name: "fetch of a last hop's page", query: "read-neighbors-fetch",
			params:  map[string]any{"mids": []string{p + "co-000001", p + "co-000002", p + "x"}, "rids": []string{}},
			maxRows: 1, maxHits: 30}, // today: 1 row, 18 db hits
		{name: "shortest path across the super-node", query: "read-paths-shortest", ints: map[string]int{"__max_hops": 4},
			params: map[string]any{"from": p + "x", "to": far, "types": types(), "minRank": int64(0), "limit": int64(25), "asOf": nil, "late": []string{},
				"maxDegree": int64(graph.DefaultPathHubDegree)},
			maxRows: 1, maxHits: 60}, // today: 1 row, 40 db hits
		{name: "shortest path, min evidence cuts the super-node", query: "read-paths-shortest", ints: map[string]int{"__max_hops": 4},
			params: map[string]any{"from": p + "x", "to": far, "types": types(), "minRank": int64(3), "limit": int64(25), "asOf": nil, "late": []string{},
				"maxDegree": int64(graph.DefaultPathHubDegree)},
			maxRows: 1, maxHits: 60}, // today: 1 row, 36 db hits
		{name: "all paths (k shortest) across the super-node", query: "read-paths-all", ints: map[string]int{"__max_hops": 4, "__k": 26},
			params: map[string]any{"from": p + "x", "to": far, "types": types(), "minRank": int64(0), "limit": int64(25), "asOf": nil, "late": []string{},
				"maxDegree": int64(graph.DefaultPathHubDegree)},
			maxRows: 25, maxHits: 60}, // today: 1 row, 40 db hits (the hub cut keeps it off the super-node)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.text == "" {
				c.text = neo4jdb.ReadQueryText(c.query, c.ints)
			}
			text := "PROFILE " + stripHeader(c.text)
			start := time.Now()
			res, err := neo4j.ExecuteQuery(ctx, drv, text, c.params, neo4j.EagerResultTransformer)
			if err != nil {
				t.Fatalf("profile: %v", err)
			}
			el := time.Since(start)
			prof := res.Summary.Profile()
			if prof == nil {
				t.Fatal("no profile")
			}
			hits, ops := totalHits(prof)
			t.Logf("%s: %d rows, %d db hits, %v; operators: %s", c.name, len(res.Records), hits, el, ops)
			if n != superNodeSize && c.maxHits != keysetMaxHits {
				return // the ceilings hold at superNodeSize only, but the keyset's at any size
			}
			if len(res.Records) > c.maxRows {
				t.Errorf("%d rows, want at most %d", len(res.Records), c.maxRows)
			}
			if hits > c.maxHits {
				t.Errorf("%d db hits, want at most %d", hits, c.maxHits)
			}
		})
	}
}

// keysetMaxHits is the ceiling of a read-neighbors-keyset page of 100 from
// the super-node: it must not grow with the degree (the same at
// SCAMGRAPH_PROFILE_N=100000). A page reads about 101 index entries, their
// relationships and end nodes, then the 100 kept neighbours' relationships
// with the root (the query has the one branch the root's degrees ask for).
// On 2026-12-02: 2431 first page, 2430 middle, 2403 last, 3345 with as_of
// (of which ~1400 are the answer's properties); the same at 100000.
const keysetMaxHits = 4500

// superNodeSize is the super-node's degree in TestProfileSuperNode:
// above DefaultPathHubDegree (1000) and MaxNeighborFanout (200), so an
// unbounded expansion shows in the db hits, and small enough to write in a
// few seconds.
const superNodeSize = 5000

func stripHeader(q string) string {
	var out []string
	for _, l := range strings.Split(q, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "//") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func totalHits(p neo4j.ProfiledPlan) (int64, string) {
	hits := p.DbHits()
	ops := fmt.Sprintf("%s(rows=%d,hits=%d)", p.Operator(), p.Records(), p.DbHits())
	for _, c := range p.Children() {
		h, o := totalHits(c)
		hits += h
		ops += " " + o
	}
	return hits, ops
}
