package read_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/read"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestNeighborsLastHopIsTheWholeHop pages through neighbourhoods at depth 2
// and 3, with and without filters, once with the last hop bounded by the
// page (lastHop: ids first, then one page of nodes) and once read whole,
// and requires the same pages: the same nodes in the same order, the same
// edges, the same truncation and cursors.
func TestNeighborsLastHopIsTheWholeHop(t *testing.T) {
	db := neo4jtest.Open(t)
	p := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, p)
	src := p + "src"
	ents := []graph.Entity{{ID: src, Kinds: []graph.Kind{graph.KindSource}, Name: "Test Wire",
		Properties: map[string]graph.Value{"publisher": graph.StringValue("Test Wire"), "source_type": graph.StringValue("news")}}}
	var rels []graph.Relationship
	ent := func(id string, k graph.Kind) {
		ents = append(ents, graph.Entity{ID: p + id, Kinds: []graph.Kind{k}, Name: "N " + id, Sources: []string{src},
			Properties: map[string]graph.Value{}})
	}
	rel := func(from string, ty graph.RelType, to string) {
		rels = append(rels, graph.Relationship{ID: graph.RelationshipID(p+from, ty, p+to, ""), Type: ty, From: p + from, To: p + to,
			Evidence: graph.EvidenceMediaReport, Sources: []string{src}, Properties: map[string]graph.Value{}})
	}
	// A tycoon owns 30 companies; each owns 12 more (neighbours share
	// some), a few own each other, and every fifth second-hop company
	// operates a compound (the third hop).
	ent("root", graph.KindTycoon)
	for i := range 30 {
		ent(fmt.Sprintf("a%02d", i), graph.KindCompany)
		rel("root", graph.RelOwns, fmt.Sprintf("a%02d", i))
	}
	for i := range 150 {
		ent(fmt.Sprintf("b%03d", i), graph.KindCompany)
		if i%5 == 0 {
			ent(fmt.Sprintf("c%03d", i), graph.KindCompound)
			rel(fmt.Sprintf("b%03d", i), graph.RelOperates, fmt.Sprintf("c%03d", i))
		}
	}
	for i := range 30 {
		for j := range 12 {
			rel(fmt.Sprintf("a%02d", i), graph.RelOwns, fmt.Sprintf("b%03d", (i*5+j*7)%150))
		}
		if i%3 == 0 {
			rel(fmt.Sprintf("a%02d", i), graph.RelOwns, fmt.Sprintf("a%02d", (i+1)%30))
		}
	}
	neo4jtest.Write(t, db, ents, rels)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pages := func(q graph.NeighborsQuery) []graph.Subgraph {
		var out []graph.Subgraph
		for range 100 {
			g, err := db.Neighbors(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, g)
			if g.NextCursor == "" {
				return out
			}
			q.Cursor = g.NextCursor
		}
		t.Fatal("more than 100 pages")
		return nil
	}
	cases := []struct {
		name string
		q    graph.NeighborsQuery
	}{
		{"depth 2, pages of 25", graph.NeighborsQuery{Depth: 2, Limit: 25}},
		{"depth 2, pages of 7", graph.NeighborsQuery{Depth: 2, Limit: 7}},
		{"depth 2, one page of everything", graph.NeighborsQuery{Depth: 2, Limit: 1000}},
		{"depth 2, pages of 40 filling across the hops", graph.NeighborsQuery{Depth: 2, Limit: 40}},
		{"depth 3, pages of 50", graph.NeighborsQuery{Depth: 3, Limit: 50}},
		{"depth 3, companies only", graph.NeighborsQuery{Depth: 3, Limit: 20, Kinds: []graph.Kind{graph.KindCompany}}},
		{"depth 3, companies and compounds", graph.NeighborsQuery{Depth: 3, Limit: 60, Kinds: []graph.Kind{graph.KindCompany, graph.KindCompound}}},
		{"depth 2, OWNS only", graph.NeighborsQuery{Depth: 2, Limit: 30, RelTypes: []graph.RelType{graph.RelOwns}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			q.ID = p + "root"
			restore := read.SetBoundLastHop(false)
			whole := pages(q)
			restore()
			bounded := pages(q)
			if len(bounded) != len(whole) {
				t.Fatalf("%d pages, the whole hop gives %d", len(bounded), len(whole))
			}
			seen := 0
			for i := range whole {
				w, b := whole[i], bounded[i]
				if !slices.Equal(nodeIDs(b), nodeIDs(w)) {
					t.Errorf("page %d nodes:\n got %v\nwant %v", i, nodeIDs(b), nodeIDs(w))
				}
				if !slices.Equal(edgeIDs(b), edgeIDs(w)) {
					t.Errorf("page %d edges:\n got %v\nwant %v", i, edgeIDs(b), edgeIDs(w))
				}
				if b.Truncated != w.Truncated || b.NextCursor != w.NextCursor {
					t.Errorf("page %d: truncated %v cursor %q, want %v %q", i, b.Truncated, b.NextCursor, w.Truncated, w.NextCursor)
				}
				seen += len(w.Nodes)
			}
			if seen < 10 {
				t.Fatalf("only %d nodes in all pages: the fixture is not what the case needs", seen)
			}
		})
	}
}

func nodeIDs(g graph.Subgraph) []string {
	out := make([]string, 0, len(g.Nodes))
	for _, n := range g.Nodes {
		out = append(out, n.ID)
	}
	return out
}

// edgeIDs are a page's edges as a sorted list (their order is the order
// they were read in, which differs between the two ways of reading).
func edgeIDs(g graph.Subgraph) []string {
	out := make([]string, 0, len(g.Edges))
	for _, e := range g.Edges {
		out = append(out, e.ID)
	}
	slices.Sort(out)
	return out
}
