package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/graph"
)

// fakeInvestigator answers every named query with one small result. It
// embeds the interface so that a new named query needs no fake here: it is
// tested through the real store (TestRouteRoles, graph/neo4jdb).
type fakeInvestigator struct {
	graph.Investigator
	called int
	got    any // the last query, as the API handed it over
}

func (f *fakeInvestigator) path() graph.Path {
	g := sampleGraph()
	return graph.Path{Nodes: g.Nodes[:2], Edges: g.Edges}
}

func (f *fakeInvestigator) ProsecutedCompoundLinks(ctx context.Context, q graph.LinkQuery) ([]graph.ProsecutedLink, error) {
	f.called++
	f.got = q
	p := f.path()
	return []graph.ProsecutedLink{{Person: p.Nodes[0], Events: []graph.Entity{}, Compound: p.Nodes[1], Path: p, Basis: graph.BasisNetwork}}, nil
}

func (f *fakeInvestigator) OfficialLinks(ctx context.Context, q graph.LinkQuery) ([]graph.OfficialLink, error) {
	f.called++
	f.got = q
	p := f.path()
	return []graph.OfficialLink{{Official: p.Nodes[0], Target: p.Nodes[1], Path: p}}, nil
}

func (f *fakeInvestigator) CompoundNetwork(ctx context.Context, id string, asOf *graph.Date) (graph.CompoundNetwork, error) {
	f.called++
	f.got = graph.EntityQuery{ID: id, AsOf: asOf}
	if id == "compound:none" {
		return graph.CompoundNetwork{}, graph.Errorf(graph.CodeNotFound, "id", "no compound %q", id)
	}
	g := sampleGraph()
	return graph.CompoundNetwork{Compound: g.Nodes[1], Graph: g}, nil
}

func (f *fakeInvestigator) VictimsByNationality(ctx context.Context, q graph.VictimQuery) ([]graph.VictimTally, error) {
	f.called++
	f.got = q
	return []graph.VictimTally{{Nationality: "ID", Relation: "HELD_AT", People: 400, Cohorts: 1}}, nil
}

func (f *fakeInvestigator) Timeline(ctx context.Context, id string, asOf *graph.Date) ([]graph.TimelineItem, error) {
	f.called++
	f.got = graph.EntityQuery{ID: id, AsOf: asOf}
	g := sampleGraph()
	return []graph.TimelineItem{{Date: graph.Date{Year: 2015, Month: 1, Day: 1}, What: "relationship_start", Relationship: &g.Edges[0], Other: &g.Nodes[1]}}, nil
}

func (f *fakeInvestigator) OwnershipChains(ctx context.Context, id string, q graph.LinkQuery) ([]graph.OwnershipChain, error) {
	f.called++
	q.FocusID = id + "|" + q.FocusID
	f.got = q
	p := f.path()
	return []graph.OwnershipChain{{UltimateOwner: p.Nodes[0], Path: p}}, nil
}

func TestNamedQueryValidation(t *testing.T) {
	tests := []struct {
		name, target, field string
	}{
		{"prosecuted hops", "/v1/queries/prosecuted-compound-links?max_hops=9", "max_hops"},
		{"prosecuted evidence", "/v1/queries/prosecuted-compound-links?min_evidence=hearsay", "min_evidence"},
		{"prosecuted as_of", "/v1/queries/prosecuted-compound-links?as_of=2026-02-30", "as_of"},
		{"prosecuted limit", "/v1/queries/prosecuted-compound-links?limit=0", "limit"},
		{"prosecuted person", "/v1/queries/prosecuted-compound-links?person=%3Cscript%3E", "person"},
		{"prosecuted format", "/v1/queries/prosecuted-compound-links?format=pdf", "format"},
		{"official focus", "/v1/queries/official-links?focus=a%20b", "focus"},
		{"official unknown parameter", "/v1/queries/official-links?person=x", "person"},
		{"network id", "/v1/queries/compound-network/%20", "id"},
		{"network format", "/v1/queries/compound-network/compound:x?format=dot", "format"},
		{"victims nationality", "/v1/queries/victims-by-nationality?nationality=IDN", "nationality"},
		{"victims compound", "/v1/queries/victims-by-nationality?compound=-x", "compound"},
		{"timeline as_of", "/v1/queries/timeline/person:x?as_of=soon", "as_of"},
		{"ownership hops", "/v1/queries/ownership-chains/company:x?max_hops=0", "max_hops"},
		{"queries takes nothing", "/v1/queries?x=1", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := &fakeInvestigator{}
			s := newTestServer(t, &fakeReader{}, inv, time.Second)
			rec := s.do("GET", tt.target)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400; body %s", rec.Code, rec.Body)
			}
			if p := decodeProblem(t, rec); p.Field != tt.field {
				t.Fatalf("field = %q, want %q", p.Field, tt.field)
			}
			if inv.called != 0 {
				t.Fatal("the investigator was called for a bad request")
			}
		})
	}
}

func TestNamedQueryAnswers(t *testing.T) {
	tests := []struct {
		name, target, path, mediaType string
		status                        int
	}{
		{"prosecuted", "/v1/queries/prosecuted-compound-links?min_evidence=charge", "/v1/queries/prosecuted-compound-links", "application/json", 200},
		{"prosecuted cytoscape", "/v1/queries/prosecuted-compound-links?format=cytoscape", "/v1/queries/prosecuted-compound-links", "application/json", 200},
		{"official", "/v1/queries/official-links?focus=person:chen-zhi", "/v1/queries/official-links", "application/json", 200},
		{"official graphml", "/v1/queries/official-links?format=graphml", "/v1/queries/official-links", "application/graphml+xml", 200},
		{"network", "/v1/queries/compound-network/compound:x", "/v1/queries/compound-network/{id}", "application/json", 200},
		{"network graphml", "/v1/queries/compound-network/compound:x?format=graphml", "/v1/queries/compound-network/{id}", "application/graphml+xml", 200},
		{"network unknown", "/v1/queries/compound-network/compound:none", "/v1/queries/compound-network/{id}", api.ProblemContentType, 404},
		{"victims", "/v1/queries/victims-by-nationality?nationality=id", "/v1/queries/victims-by-nationality", "application/json", 200},
		{"timeline", "/v1/queries/timeline/person:chen-zhi?as_of=2026-01-01", "/v1/queries/timeline/{id}", "application/json", 200},
		{"ownership", "/v1/queries/ownership-chains/company:prince", "/v1/queries/ownership-chains/{id}", "application/json", 200},
		{"ownership cytoscape", "/v1/queries/ownership-chains/company:prince?format=cytoscape", "/v1/queries/ownership-chains/{id}", "application/json", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, &fakeReader{}, &fakeInvestigator{}, time.Second)
			rec := s.do("GET", tt.target)
			if rec.Code != tt.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), tt.mediaType) {
				t.Fatalf("status = %d %s, want %d %s; body %s", rec.Code, rec.Header().Get("Content-Type"), tt.status, tt.mediaType, rec.Body)
			}
		})
	}
}

// TestNamedQueriesDocumented: every named query in openapi.yaml has the
// description that is its reference (docs/contributing.md), and is listed
// by GET /v1/queries with its parameters.
func TestNamedQueriesDocumented(t *testing.T) {
	s := newTestServer(t, &fakeReader{}, nil, time.Second)
	rec := s.do("GET", "/v1/queries")
	var list api.QueryList
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || rec.Code != 200 {
		t.Fatalf("GET /v1/queries = %d %v", rec.Code, err)
	}
	listed := map[string]api.QueryDoc{}
	for _, q := range list.Queries {
		listed[q.Path] = q
	}
	doc := loadDoc(t)
	n := 0
	for _, op := range api.Operations() {
		o := doc.Paths.Value(op.Path).GetOperation(op.Method)
		if o.Extensions["x-scamgraph-named-query"] != true {
			continue
		}
		n++
		q, ok := listed[op.Path]
		switch {
		case !ok:
			t.Errorf("%s is not listed by GET /v1/queries", op.Path)
		case len(strings.TrimSpace(o.Description)) < 40:
			t.Errorf("%s: its description in openapi.yaml is its reference; write what it answers", op.Path)
		case len(q.Parameters) != len(o.Parameters):
			t.Errorf("%s: listed with %d parameters, the document has %d", op.Path, len(q.Parameters), len(o.Parameters))
		}
	}
	if n != len(list.Queries) || n < 6 {
		t.Errorf("%d named queries in the document, %d listed", n, len(list.Queries))
	}
}

// manyLinks answers prosecuted-compound-links with two links of one person
// and one of another, each link carrying its person's events, as the store
// does.
type manyLinks struct{ fakeInvestigator }

func (f *manyLinks) ProsecutedCompoundLinks(ctx context.Context, q graph.LinkQuery) ([]graph.ProsecutedLink, error) {
	p := f.path()
	ent := func(id string, k graph.Kind) graph.Entity {
		return graph.Entity{ID: id, Kinds: []graph.Kind{k}, Name: id, Aliases: []string{}, Sources: []string{}, Properties: map[string]graph.Value{}}
	}
	a, b := p.Nodes[0], ent("person:other", graph.KindPerson)
	aEvents := []graph.Entity{ent("event:charge", graph.KindEvent), ent("event:arrest", graph.KindEvent)}
	bEvents := []graph.Entity{ent("event:indictment", graph.KindEvent)}
	link := func(person graph.Entity, events []graph.Entity, compound string) graph.ProsecutedLink {
		return graph.ProsecutedLink{Person: person, Events: events, Compound: ent(compound, graph.KindCompound), Path: p, Basis: graph.BasisNetwork}
	}
	return []graph.ProsecutedLink{link(a, aEvents, "compound:one"), link(a, aEvents, "compound:two"), link(b, bEvents, "compound:three")}, nil
}

// A person's events are sent once, under their id, however many links they
// have (146 charges on 25 links were 866 KB at 1M, docs/benchmarks.md).
func TestProsecutedLinksSendEventsOnce(t *testing.T) {
	s := newTestServer(t, &fakeReader{}, &manyLinks{}, time.Second)
	rec := s.do("GET", "/v1/queries/prosecuted-compound-links")
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
	}
	var got struct {
		Links  []map[string]json.RawMessage `json:"links"`
		Events map[string][]graph.Entity    `json:"events"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Links) != 3 {
		t.Fatalf("%d links, want 3", len(got.Links))
	}
	for i, l := range got.Links {
		if _, ok := l["events"]; ok {
			t.Errorf("link %d carries events", i)
		}
	}
	ids := func(es []graph.Entity) (out []string) {
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	want := map[string][]string{"person:chen-zhi": {"event:charge", "event:arrest"}, "person:other": {"event:indictment"}}
	if len(got.Events) != len(want) {
		t.Errorf("events for %d people, want %d: %v", len(got.Events), len(want), got.Events)
	}
	for person, w := range want {
		if g := ids(got.Events[person]); strings.Join(g, ",") != strings.Join(w, ",") {
			t.Errorf("events of %s = %v, want %v", person, g, w)
		}
	}
	if n := strings.Count(rec.Body.String(), `"id":"event:charge"`); n != 1 {
		t.Errorf("event:charge appears %d times in the answer, want 1", n)
	}
}
