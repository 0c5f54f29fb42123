package api_test

import (
	"net/http/httptest"
	"testing"

	"github.com/scamgraph/scamgraph/api"
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
