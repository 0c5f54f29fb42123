package api_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestVictimRedaction: every answer that carries a victim shows readers and
// importers no personal details, and analysts and admins all of them.
func TestVictimRedaction(t *testing.T) {
	s := newTestServer(t, &fakeReader{}, &fakeInvestigator{}, time.Second)
	tests := []struct {
		name, target string
		personal     []string // in the body only for roles that see personal details
		always       []string // in every body
	}{
		{"entity", "/v1/entities/victim:x", []string{`"age":19`}, []string{`"count":3`}},
		{"neighbors json", "/v1/entities/x/neighbors", []string{`"age":23`}, []string{`"count":40`}},
		{"neighbors cytoscape", "/v1/entities/x/neighbors?format=cytoscape", []string{`"age":23`}, []string{`"count":40`}},
		{"neighbors graphml", "/v1/entities/x/neighbors?format=graphml", []string{`n_p_age`}, []string{`n_p_count`}},
		{"search leaves victims out", "/v1/search?q=name", []string{`victim:v-17`, `Real Victim Name`}, []string{`person:chen-zhi`}},
		{"compound network json", "/v1/queries/compound-network/compound:x", []string{`"age":23`}, []string{`"count":40`}},
		{"compound network graphml", "/v1/queries/compound-network/compound:x?format=graphml", []string{`n_p_age`}, []string{`n_p_count`}},
	}
	for _, tt := range tests {
		for _, role := range graph.Roles() {
			t.Run(tt.name+"/"+string(role), func(t *testing.T) {
				rec := s.doAs(role, "GET", tt.target, nil)
				if rec.Code != 200 {
					t.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				body := rec.Body.String()
				for _, want := range tt.always {
					if !strings.Contains(body, want) {
						t.Errorf("body lacks %s: %.600s", want, body)
					}
				}
				for _, p := range tt.personal {
					if got := strings.Contains(body, p); got != role.SeesVictimPersonal() {
						t.Errorf("%s in the body: %v, want %v: %.600s", p, got, role.SeesVictimPersonal(), body)
					}
				}
			})
		}
	}
}

// TestVictimRedactionIntegration: an individual victim with personal
// details, held at the fixture's compound, as a reader and as an analyst
// see it through the real database.
func TestVictimRedactionIntegration(t *testing.T) {
	db, f := neo4jtest.LoadFixture(t)
	victim := graph.Entity{ID: f.ID("victim-17"), Kinds: []graph.Kind{graph.KindVictim}, Name: "Nguyen Real Name",
		Aliases: []string{"Real Alias"}, Sources: []string{f.ID("source-a")}, Properties: map[string]graph.Value{
			"pseudonym": graph.StringValue("Worker 17"), "nationality": graph.StringValue("VN"),
			"age": graph.IntValue(19), "origin": graph.StringValue("Nghe An"),
			"description": graph.StringValue("passport held by the boss"),
		}}
	held := graph.Relationship{ID: graph.RelationshipID(victim.ID, graph.RelHeldAt, f.ID("compound"), ""), Type: graph.RelHeldAt,
		From: victim.ID, To: f.ID("compound"), Evidence: graph.EvidenceMediaReport, Sources: []string{f.ID("source-a")},
		Properties: map[string]graph.Value{"injuries": graph.StringValue("broken arm")}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.UpsertEntities(ctx, []graph.Entity{victim}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpsertRelationships(ctx, []graph.Relationship{held}, false); err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, db, db, 10*time.Second)
	secret := []string{"Nguyen Real Name", "Real Alias", `"age"`, "Nghe An", "passport held", "broken arm"}
	vid, cid := url.PathEscape(victim.ID), url.PathEscape(f.ID("compound"))
	tests := []struct {
		name, target, path string
		reader             []string // what a reader sees instead
	}{
		{"entity", "/v1/entities/" + vid, "/v1/entities/{id}", []string{`"name":"Worker 17"`, `"nationality":"VN"`}},
		{"neighbors", "/v1/entities/" + cid + "/neighbors", "/v1/entities/{id}/neighbors", []string{`"name":"Worker 17"`}},
		{"paths", "/v1/paths?from=" + url.QueryEscape(victim.ID) + "&to=" + url.QueryEscape(f.ID("prince")), "/v1/paths", []string{`"name":"Worker 17"`}},
		{"compound network", "/v1/queries/compound-network/" + cid, "/v1/queries/compound-network/{id}", []string{`"name":"Worker 17"`}},
		{"search", "/v1/search?q=nguyen+real+name&limit=100", "/v1/search", nil},
	}
	for _, tt := range tests {
		for _, role := range []graph.Role{graph.RoleReader, graph.RoleImporter, graph.RoleAnalyst, graph.RoleAdmin} {
			t.Run(tt.name+"/"+string(role), func(t *testing.T) {
				rec := s.doAs(role, "GET", tt.target, nil)
				if rec.Code != 200 {
					t.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				body := rec.Body.String()
				if role.SeesVictimPersonal() {
					for _, want := range []string{"Nguyen Real Name"} {
						if !strings.Contains(body, want) {
							t.Errorf("an %s does not see %s: %.800s", role, want, body)
						}
					}
					return
				}
				for _, sec := range secret {
					if strings.Contains(body, sec) {
						t.Errorf("a %s sees %s: %.800s", role, sec, body)
					}
				}
				for _, want := range tt.reader {
					if !strings.Contains(body, want) {
						t.Errorf("a %s does not see %s: %.800s", role, want, body)
					}
				}
			})
		}
	}
	t.Run("analyst sees the edge's properties", func(t *testing.T) {
		rec := s.doAs(graph.RoleAnalyst, "GET", "/v1/entities/"+cid+"/neighbors", nil)
		if !strings.Contains(rec.Body.String(), "broken arm") || !strings.Contains(rec.Body.String(), `"age":19`) {
			t.Fatalf("%.800s", rec.Body)
		}
	})
}

// TestNoKeyStore: a server built without a key store lets nobody in.
func TestNoKeyStore(t *testing.T) {
	h := api.New(api.Config{Reader: &fakeReader{}, Logger: discardLogger()})
	key, _, _, _, _ := graph.NewKey()
	if rec := serve(h, request("GET", "/v1/stats", key, nil)); rec.Code != 503 {
		t.Fatalf("with a key: %d %s", rec.Code, rec.Body)
	}
	if rec := serve(h, request("GET", "/v1/stats", "", nil)); rec.Code != 401 {
		t.Fatalf("without a key: %d %s", rec.Code, rec.Body)
	}
	if rec := serve(h, request("GET", "/healthz", "", nil)); rec.Code != 200 {
		t.Fatalf("healthz: %d", rec.Code)
	}
}
