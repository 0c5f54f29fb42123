package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http/httptest"
	"os"
	"slices"
	"testing"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/api/audit"
	"github.com/scamgraph/scamgraph/graph"
)

// BenchmarkAPIOverhead is the API's own cost per request (authentication
// cached, parameters checked, answer written) over a store that answers at
// once: GET /v1/paths with every parameter.
func BenchmarkAPIOverhead(b *testing.B) {
	store := &memKeys{}
	keys := testKeys(b, store)
	h := api.New(api.Config{Reader: &fakeReader{}, Keys: store, Limits: unlimited, Logger: discardLogger()})
	target := "/v1/paths?from=person:a&to=company:b&max_hops=4&mode=all&rel=OWNS,CONTROLS&min_evidence=charge&as_of=2025-01-01&limit=10&max_degree=500"
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, request("GET", target, keys[graph.RoleReader], nil))
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// networkInvestigator answers compound-network with a real answer read
// from a 100k-entity generated graph (testdata/compound-network-100k.json:
// 44 entities in its lists, a subgraph of 65 nodes and 78 edges, 40 KB of
// JSON), so the benchmark below weighs redaction and encoding at the size
// investigators see.
type networkInvestigator struct {
	graph.Investigator
	n graph.CompoundNetwork
}

func (f *networkInvestigator) CompoundNetwork(context.Context, string, *graph.Date) (graph.CompoundNetwork, error) {
	return f.n, nil
}

// BenchmarkAPIOverheadCompoundNetwork is the API's own cost of one
// compound-network answer of real size: everything the API adds to the
// store call (authentication cached, validation, redaction, JSON, audit
// line), which is what separates the API from the driver in make bench.
func BenchmarkAPIOverheadCompoundNetwork(b *testing.B) {
	raw, err := os.ReadFile("testdata/compound-network-100k.json")
	if err != nil {
		b.Fatal(err)
	}
	n := decodeNetwork(b, raw)
	store := &memKeys{}
	keys := testKeys(b, store)
	h := api.New(api.Config{Reader: &fakeReader{}, Investigator: &networkInvestigator{n: n}, Keys: store, Limits: unlimited,
		Logger: discardLogger(), Audit: audit.New(io.Discard)})
	target := "/v1/queries/compound-network/gen:compound:37"
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, request("GET", target, keys[graph.RoleReader], nil))
		if rec.Code != 200 || rec.Body.Len() < len(raw)/2 {
			b.Fatalf("status %d, %d bytes", rec.Code, rec.Body.Len())
		}
	}
}

// decodeNetwork reads a compound-network answer back into the domain type.
// graph.Value has no UnmarshalJSON (a JSON number or string does not say
// which property type it was), so properties are read as JSON values and
// typed here: strings, whole numbers, other numbers, booleans and lists.
func decodeNetwork(b *testing.B, raw []byte) graph.CompoundNetwork {
	b.Helper()
	var props []map[string]any
	strip := func(m map[string]any) {
		if p, ok := m["properties"].(map[string]any); ok {
			props = append(props, p)
			m["properties"] = map[string]any{}
		}
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		b.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			strip(v)
			for _, k := range slices.Sorted(maps.Keys(v)) {
				walk(v[k])
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(doc)
	stripped, err := json.Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	var n graph.CompoundNetwork
	if err := json.Unmarshal(stripped, &n); err != nil {
		b.Fatal(err)
	}
	typed := func(p map[string]any) map[string]graph.Value {
		out := make(map[string]graph.Value, len(p))
		for k, v := range p {
			switch v := v.(type) {
			case string:
				out[k] = graph.StringValue(v)
			case bool:
				out[k] = graph.BoolValue(v)
			case float64:
				if v == float64(int64(v)) {
					out[k] = graph.IntValue(int64(v))
				} else {
					out[k] = graph.FloatValue(v)
				}
			case []any:
				l := make([]string, 0, len(v))
				for _, e := range v {
					l = append(l, fmt.Sprint(e))
				}
				out[k] = graph.StringsValue(l)
			}
		}
		return out
	}
	// The walk's order (keys sorted) over the typed answer: each entity and
	// relationship takes the next properties.
	i := 0
	next := func() map[string]graph.Value { i++; return typed(props[i-1]) }
	entities := func(l []graph.Entity) {
		for j := range l {
			l[j].Properties = next()
		}
	}
	entities(n.Companies)
	n.Compound.Properties = next()
	entities(n.Events)
	for j := range n.Graph.Edges {
		n.Graph.Edges[j].Properties = next()
	}
	entities(n.Graph.Nodes)
	entities(n.Locations)
	entities(n.Officials)
	entities(n.Operators)
	entities(n.Owners)
	if i != len(props) {
		b.Fatalf("read %d property sets of %d", i, len(props))
	}
	return n
}
