package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// The integration tests wire the real Neo4j reader (tests may import the
// implementation; the api package itself never does).

func TestAPIIntegration(t *testing.T) {
	db, f := neo4jtest.LoadFixture(t)
	s := newTestServer(t, db, nil, 10*time.Second)
	id := func(short string) string { return url.PathEscape(f.ID(short)) }
	qid := func(short string) string { return url.QueryEscape(f.ID(short)) }
	q := func(s string) string { return `"` + s + `"` } // an exact id, not a prefix of another
	tests := []struct {
		name, target, path string
		status             int
		mediaType          string
		contains           []string // substrings of the body
		lacks              []string // substrings the body must not hold: what a filter leaves out
		field              string   // for problems
	}{
		{name: "healthz", target: "/healthz", path: "/healthz", status: 200, mediaType: "application/json"},
		{name: "readyz", target: "/readyz", path: "/readyz", status: 200, mediaType: "application/json"},
		{name: "search folded", target: "/v1/search?q=CHEN+ZHI&limit=100", path: "/v1/search", status: 200, mediaType: "application/json",
			contains: []string{`"id":"` + f.ID("chen") + `"`}},
		{name: "search diacritics", target: "/v1/search?q=tran+thi+ha&limit=100&kind=person", path: "/v1/search", status: 200, mediaType: "application/json",
			contains: []string{`"id":"` + f.ID("tran") + `"`}},
		{name: "search garbage cursor", target: "/v1/search?q=chen&cursor=xyz", path: "/v1/search", status: 400, mediaType: api.ProblemContentType, field: "cursor"},
		{name: "entity", target: "/v1/entities/" + id("compound"), path: "/v1/entities/{id}", status: 200, mediaType: "application/json",
			contains: []string{`"relationship_counts"`, `"type":"OPERATES","direction":"in","count":1`}},
		{name: "entity unknown", target: "/v1/entities/" + id("nobody"), path: "/v1/entities/{id}", status: 404, mediaType: api.ProblemContentType, field: "id"},
		{name: "neighbors", target: "/v1/entities/" + id("compound") + "/neighbors", path: "/v1/entities/{id}/neighbors", status: 200, mediaType: "application/json",
			contains: []string{f.ID("prince"), f.ID("sokha"), q(f.ID("victims")), q(f.ID("sihanoukville")), `"truncated":false`}, lacks: []string{q(f.ID("cambodia"))}},
		// Each filter changes the answer above: what it leaves out is asserted gone.
		{name: "neighbors as_of", target: "/v1/entities/" + id("compound") + "/neighbors?as_of=2024-06-01", path: "/v1/entities/{id}/neighbors", status: 200, mediaType: "application/json",
			contains: []string{f.ID("prince")}, lacks: []string{f.ID("sokha"), q(f.ID("victims"))}},
		{name: "neighbors rel", target: "/v1/entities/" + id("compound") + "/neighbors?rel=OPERATES", path: "/v1/entities/{id}/neighbors", status: 200, mediaType: "application/json",
			contains: []string{f.ID("prince")}, lacks: []string{f.ID("sokha"), q(f.ID("sihanoukville"))}},
		{name: "neighbors kind", target: "/v1/entities/" + id("compound") + "/neighbors?kind=official", path: "/v1/entities/{id}/neighbors", status: 200, mediaType: "application/json",
			contains: []string{f.ID("sokha")}, lacks: []string{f.ID("prince"), q(f.ID("sihanoukville"))}},
		{name: "neighbors depth", target: "/v1/entities/" + id("compound") + "/neighbors?depth=2", path: "/v1/entities/{id}/neighbors", status: 200, mediaType: "application/json",
			contains: []string{q(f.ID("cambodia")), f.ID("chen")}},
		{name: "neighbors paged", target: "/v1/entities/" + id("hub") + "/neighbors?limit=10", path: "/v1/entities/{id}/neighbors", status: 200, mediaType: "application/json",
			contains: []string{`"truncated":true`, `"next_cursor"`}},
		{name: "neighbors depth 2 cytoscape", target: "/v1/entities/" + id("chen") + "/neighbors?depth=2&format=cytoscape&rel=OWNS,OPERATES", path: "/v1/entities/{id}/neighbors", status: 200, mediaType: "application/json",
			contains: []string{`"elements"`, `"source":"` + f.ID("prince") + `"`}},
		{name: "neighbors graphml", target: "/v1/entities/" + id("compound") + "/neighbors?format=graphml", path: "/v1/entities/{id}/neighbors", status: 200, mediaType: "application/graphml+xml",
			contains: []string{`<graphml`, `attr.name="evidence"`}},
		{name: "neighbors unknown", target: "/v1/entities/" + id("nobody") + "/neighbors", path: "/v1/entities/{id}/neighbors", status: 404, mediaType: api.ProblemContentType, field: "id"},
		{name: "paths", target: "/v1/paths?from=" + qid("chen") + "&to=" + qid("cambodia"), path: "/v1/paths", status: 200, mediaType: "application/json",
			contains: []string{`"length":4`, `"evidence":"designation"`, `"since":"2015-01-01"`}},
		{name: "paths rel", target: "/v1/paths?from=" + qid("chen") + "&to=" + qid("cambodia") + "&rel=OWNS", path: "/v1/paths", status: 200, mediaType: "application/json",
			contains: []string{`"paths":[]`}},
		{name: "paths max_degree", target: "/v1/paths?from=" + qid("chen") + "&to=" + qid("cambodia") + "&max_degree=2", path: "/v1/paths", status: 200, mediaType: "application/json",
			contains: []string{`"paths":[]`}},
		{name: "paths max_hops", target: "/v1/paths?from=" + qid("chen") + "&to=" + qid("cambodia") + "&max_hops=3", path: "/v1/paths", status: 200, mediaType: "application/json",
			contains: []string{`"paths":[]`}},
		{name: "search kind", target: "/v1/search?q=chen+zhi&limit=100&kind=company", path: "/v1/search", status: 200, mediaType: "application/json",
			lacks: []string{`"id":"` + f.ID("chen") + `"`}},
		{name: "paths min evidence", target: "/v1/paths?from=" + qid("chen") + "&to=" + qid("cambodia") + "&min_evidence=charge", path: "/v1/paths", status: 200, mediaType: "application/json",
			contains: []string{`"paths":[]`}},
		{name: "paths as_of", target: "/v1/paths?from=" + qid("chen") + "&to=" + qid("cambodia") + "&as_of=2025-12-31", path: "/v1/paths", status: 200, mediaType: "application/json",
			contains: []string{`"paths":[]`}},
		{name: "paths all graphml", target: "/v1/paths?mode=all&from=" + qid("sokha") + "&to=" + qid("prince") + "&format=graphml", path: "/v1/paths", status: 200, mediaType: "application/graphml+xml",
			contains: []string{`<edge id=`}},
		{name: "paths unknown", target: "/v1/paths?from=" + qid("nobody") + "&to=" + qid("chen"), path: "/v1/paths", status: 404, mediaType: api.ProblemContentType, field: "from"},
		{name: "stats", target: "/v1/stats", path: "/v1/stats", status: 200, mediaType: "application/json", contains: []string{`"LOCATED_IN"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := s.do("GET", tt.target)
			body := rec.Body.Bytes()
			if rec.Code != tt.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), tt.mediaType) {
				t.Fatalf("GET %s = %d %s, want %d %s; body %.500s", tt.target, rec.Code, rec.Header().Get("Content-Type"), tt.status, tt.mediaType, body)
			}
			for _, c := range tt.contains {
				if !strings.Contains(string(body), c) {
					t.Errorf("body lacks %s: %.1000s", c, body)
				}
			}
			for _, c := range tt.lacks {
				if strings.Contains(string(body), c) {
					t.Errorf("body holds %s, which the filter leaves out: %.1000s", c, body)
				}
			}
			if tt.field != "" {
				var p api.Problem
				if err := json.Unmarshal(body, &p); err != nil || p.Field != tt.field {
					t.Fatalf("problem %+v (%v), want field %s", p, err, tt.field)
				}
			}
		})
	}

	t.Run("cursor pages through the hub", func(t *testing.T) {
		target := "/v1/entities/" + id("hub") + "/neighbors?limit=100"
		seen := map[string]bool{}
		for pages := 0; pages < 10; pages++ {
			rec := s.do("GET", target)
			if rec.Code != http.StatusOK {
				t.Fatalf("page %d: %d %s", pages, rec.Code, rec.Body)
			}
			var g struct {
				Nodes []struct {
					ID string `json:"id"`
				} `json:"nodes"`
				NextCursor string `json:"next_cursor"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &g); err != nil {
				t.Fatal(err)
			}
			for _, n := range g.Nodes[1:] {
				if seen[n.ID] {
					t.Fatalf("page %d repeats %s", pages, n.ID)
				}
				seen[n.ID] = true
			}
			if g.NextCursor == "" {
				break
			}
			target = "/v1/entities/" + id("hub") + "/neighbors?limit=100&cursor=" + url.QueryEscape(g.NextCursor)
		}
		if len(seen) != neo4jtest.HubSize+1 {
			t.Fatalf("paged %d neighbours, want %d", len(seen), neo4jtest.HubSize+1)
		}
	})
}
