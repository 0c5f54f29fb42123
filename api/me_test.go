package api_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
)

// TestMe: every role learns its role and what it may do.
func TestMe(t *testing.T) {
	s := newTestServer(t, &fakeReader{}, &fakeInvestigator{}, time.Second)
	tests := []struct {
		role                         graph.Role
		victims, cypher, importFiles bool
	}{
		{role: graph.RoleReader},
		{role: graph.RoleAnalyst, victims: true, cypher: true},
		{role: graph.RoleImporter, importFiles: true},
		{role: graph.RoleAdmin, victims: true, cypher: true, importFiles: true},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			rec := s.doAs(tt.role, "GET", "/v1/me", nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			var m struct {
				KeyID string `json:"key_id"`
				Role  string `json:"role"`
				May   struct {
					Read, Cypher, Import bool
					Victims              bool `json:"see_victim_personal"`
				} `json:"may"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
				t.Fatal(err)
			}
			if m.Role != string(tt.role) || m.KeyID == "" || !m.May.Read || m.May.Victims != tt.victims ||
				m.May.Cypher != tt.cypher || m.May.Import != tt.importFiles {
				t.Errorf("got %+v", m)
			}
		})
	}
	t.Run("no key", func(t *testing.T) {
		if rec := s.doAs("", "GET", "/v1/me", nil); rec.Code != http.StatusUnauthorized {
			t.Errorf("status %d", rec.Code)
		}
	})
}

// TestAsOfParams: as_of reaches search, entity detail and stats, and a bad
// date is a 400 naming it.
func TestAsOfParams(t *testing.T) {
	tests := []struct {
		name, target, field string
		want                any
	}{
		{name: "search", target: "/v1/search?q=chen&as_of=2023-12-31",
			want: graph.SearchQuery{Text: "chen", Limit: graph.DefaultSearchLimit, Role: graph.RoleAdmin, AsOf: date("2023-12-31")}},
		{name: "entity", target: "/v1/entities/person:chen-zhi?as_of=2023-12-31",
			want: graph.EntityQuery{ID: "person:chen-zhi", AsOf: date("2023-12-31")}},
		{name: "entity now", target: "/v1/entities/person:chen-zhi", want: graph.EntityQuery{ID: "person:chen-zhi"}},
		{name: "stats", target: "/v1/stats?as_of=2020-01-01", want: graph.StatsQuery{AsOf: date("2020-01-01")}},
		{name: "stats now", target: "/v1/stats", want: graph.StatsQuery{}},
		{name: "search bad date", target: "/v1/search?q=chen&as_of=2023-13-01", field: "as_of"},
		{name: "entity bad date", target: "/v1/entities/person:chen-zhi?as_of=yesterday", field: "as_of"},
		{name: "stats bad date", target: "/v1/stats?as_of=2023-02-30", field: "as_of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantQuery(t, tt.target, tt.field, tt.want) })
	}
}
