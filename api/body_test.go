package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/graph"
)

// fakeCypher records the statement it was given.
type fakeCypher struct{ got *graph.CypherQuery }

func (f *fakeCypher) RunReadOnly(ctx context.Context, q graph.CypherQuery) (graph.CypherResult, error) {
	f.got = &q
	return graph.CypherResult{}, nil
}

func TestCypherBody(t *testing.T) {
	tests := []struct {
		name, contentType, body, field string
		status                         int
	}{
		{"query only", "application/json", `{"query":"RETURN 1"}`, "", 200},
		{"with params", "application/json; charset=utf-8", `{"query":"RETURN $n","params":{"n":3,"m":{"a":[1,2.5]}}}`, "", 200},
		{"empty body", "application/json", ``, "body", 400},
		{"not JSON", "application/json", `RETURN 1`, "body", 400},
		{"two values", "application/json", `{"query":"RETURN 1"} {}`, "body", 400},
		{"unknown member", "application/json", `{"query":"RETURN 1","db":"system"}`, "body", 400},
		{"query not a string", "application/json", `{"query":1}`, "query", 400},
		{"params not an object", "application/json", `{"query":"RETURN 1","params":[1]}`, "params", 400},
		{"blank query", "application/json", `{"query":" "}`, "query", 400},
		{"no Content-Type", "", `{"query":"RETURN 1"}`, "Content-Type", 415},
		{"form Content-Type", "application/x-www-form-urlencoded", `{"query":"RETURN 1"}`, "Content-Type", 415},
		{"text Content-Type", "text/plain", `{"query":"RETURN 1"}`, "Content-Type", 415},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cy := &fakeCypher{}
			s := newTestServerConfig(t, api.Config{Reader: &fakeReader{}, Cypher: cy, Limits: unlimited})
			req := request("POST", "/v1/cypher", s.keys[graph.RoleAnalyst], strings.NewReader(tt.body))
			req.Header.Del("Content-Type")
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			rec := serve(s.h, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status != http.StatusOK {
				if p := decodeProblem(t, rec); p.Field != tt.field {
					t.Fatalf("field %q, want %q (%s)", p.Field, tt.field, p.Detail)
				}
				if cy.got != nil {
					t.Fatal("a bad body reached the runner")
				}
				return
			}
			if cy.got == nil || cy.got.Text == "" {
				t.Fatalf("the runner got %+v", cy.got)
			}
		})
	}
	t.Run("integral numbers stay integral", func(t *testing.T) {
		cy := &fakeCypher{}
		s := newTestServerConfig(t, api.Config{Reader: &fakeReader{}, Cypher: cy, Limits: unlimited})
		req := request("POST", "/v1/cypher", s.keys[graph.RoleAnalyst], strings.NewReader(`{"query":"RETURN $n","params":{"n":9007199254740993}}`))
		req.Header.Set("Content-Type", "application/json")
		if rec := serve(s.h, req); rec.Code != 200 || cy.got == nil {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if got := cy.got.Params["n"]; got == nil || got.(interface{ String() string }).String() != "9007199254740993" {
			t.Fatalf("n = %#v, want the json.Number 9007199254740993", got)
		}
	})
}

func TestImportParams(t *testing.T) {
	tests := []struct {
		name, query, field string
	}{
		{"ndjson", "name=r.ndjson", ""},
		{"csv with flags", "name=R.CSV&skip_bad=true&dry_run=1", ""},
		{"jsonl", "name=r.jsonl&dry_run=false", ""},
		{"no name", "dry_run=true", "name"},
		{"directory", "name=a%2Fb.csv", "name"},
		{"backslash", "name=a%5Cb.csv", "name"},
		{"control character", "name=a%0Ab.csv", "name"},
		{"extension", "name=r.xml", "name"},
		{"ftm by name", "name=entities.ftm.json", ""},
		{"ftm by format", "name=entities.json&format=ftm", ""},
		{"unknown format", "name=r.csv&format=xml", "format"},
		{"icij is a directory, not an upload", "name=r.csv&format=icij", "format"},
		{"bad flag", "name=r.csv&skip_bad=yes", "skip_bad"},
		{"empty flag", "name=r.csv&dry_run=", "dry_run"},
		{"repeated", "name=r.csv&name=s.csv", "name"},
		{"unknown", "name=r.csv&batch=5", "batch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, &fakeReader{}, nil, 0) // no import service: good parameters get 503
			rec := s.doAs(graph.RoleImporter, "POST", "/v1/imports?"+tt.query, strings.NewReader("x"))
			want := http.StatusBadRequest
			if tt.field == "" {
				want = http.StatusServiceUnavailable
			}
			if rec.Code != want {
				t.Fatalf("status %d, want %d: %s", rec.Code, want, rec.Body)
			}
			if p := decodeProblem(t, rec); p.Field != tt.field {
				t.Fatalf("field %q, want %q", p.Field, tt.field)
			}
		})
	}
}

func TestImportRunID(t *testing.T) {
	for id, ok := range map[string]bool{
		"run-20260119T080000Z-1a2b3c4d": true, "run-1737273600000000000": true,
		"run-": false, "key_0011223344556677": false, "run-..%2Fx": false, "run-a%20b": false,
		"run-" + strings.Repeat("a", 61): false,
	} {
		s := newTestServer(t, &fakeReader{}, nil, 0)
		rec := s.doAs(graph.RoleImporter, "GET", "/v1/imports/"+id, nil)
		if want := map[bool]int{true: 503, false: 400}[ok]; rec.Code != want {
			t.Errorf("GET /v1/imports/%s = %d, want %d: %s", id, rec.Code, want, rec.Body)
		}
	}
}
