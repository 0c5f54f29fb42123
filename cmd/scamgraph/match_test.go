package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
)

// TestMatchEndpoints: OFAC- and UK-style FtM records of Chen Zhi find the
// report's Chen Zhi (by name order and alias), with explanations; bad bodies
// are 400 on the field; readers get 403.
func TestMatchEndpoints(t *testing.T) {
	w := wire(t, nil)
	f := w.loadFixture(t)
	first := func(t *testing.T, body string) graph.MatchCandidate {
		t.Helper()
		var res graph.MatchResult
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatalf("decode %s: %v", body, err)
		}
		for _, c := range res.Candidates {
			if strings.HasPrefix(c.Entity.ID, f.Prefix) {
				return c
			}
		}
		t.Fatalf("no fixture candidate in %s", body)
		return graph.MatchCandidate{}
	}
	tests := []struct {
		name, method, target string
		role                 graph.Role
		body                 string
		status               int
		field, want          string
	}{
		{"ofac ftm record", "POST", "/v1/match", graph.RoleAnalyst, `{"ftm":{"id":"ofac-1","schema":"Person","properties":{"name":["CHEN Zhi"],"nationality":["kh"]}}}`, 200, "", "chen"},
		{"uk record, given name first", "POST", "/v1/match", graph.RoleAdmin, `{"entity":{"name":"Zhi CHEN","kinds":["person"]}}`, 200, "", "chen"},
		{"press release alias", "POST", "/v1/match", graph.RoleAnalyst, `{"entity":{"name":"Vincent Chen","kinds":["person"]},"threshold":0.8}`, 200, "", "chen"},
		{"duplicates of a stored entity", "GET", "/v1/entities/" + f.ID("chen") + "/duplicates?threshold=0.5", graph.RoleAnalyst, "", 200, "", ""},
		{"whole graph", "GET", "/v1/duplicates?limit=5", graph.RoleAnalyst, "", 200, "", ""},
		{"both shapes", "POST", "/v1/match", graph.RoleAnalyst, `{"entity":{"name":"x"},"ftm":{"schema":"Person","properties":{"name":["x"]}}}`, 400, "entity", ""},
		{"neither shape", "POST", "/v1/match", graph.RoleAnalyst, `{}`, 400, "entity", ""},
		{"unknown ftm schema", "POST", "/v1/match", graph.RoleAnalyst, `{"ftm":{"schema":"Vessel","properties":{"name":["x"]}}}`, 400, "ftm.schema", ""},
		{"name without letters", "POST", "/v1/match", graph.RoleAnalyst, `{"entity":{"name":",,,"}}`, 400, "name", ""},
		{"bad threshold", "GET", "/v1/duplicates?threshold=2", graph.RoleAnalyst, "", 400, "threshold", ""},
		{"unknown entity", "GET", "/v1/entities/" + f.ID("nobody") + "/duplicates", graph.RoleAnalyst, "", 404, "id", ""},
		{"reader forbidden", "POST", "/v1/match", graph.RoleReader, `{"entity":{"name":"Chen Zhi"}}`, 403, "", ""},
		{"importer forbidden", "GET", "/v1/duplicates", graph.RoleImporter, "", 403, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rec = w.do(tc.method, tc.target, w.keys[tc.role], strings.NewReader(tc.body), "Content-Type", "application/json")
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if tc.status >= 400 {
				if p := decodeProblem(t, rec); p.Field != tc.field {
					t.Errorf("field %q, want %q (%s)", p.Field, tc.field, p.Detail)
				}
				return
			}
			if tc.want != "" {
				c := first(t, rec.Body.String())
				if c.Entity.ID != f.ID(tc.want) || !c.Match || len(c.Features) == 0 {
					t.Errorf("first candidate %+v, want %s, a match with features", c, tc.want)
				}
			}
		})
	}
}
