package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
)

// A refused parameter's detail says what the parameter takes, in the
// schema's own terms (a number parameter is no "string").
func TestParamProblemDetail(t *testing.T) {
	tests := []struct {
		name, target, field, detail string
	}{
		{name: "threshold above 1", target: "/v1/duplicates?threshold=2", field: "threshold", detail: `"2" is not a number between 0 and 1`},
		{name: "threshold not a number", target: "/v1/duplicates?threshold=abc", field: "threshold", detail: `"abc" is not a number between 0 and 1`},
		{name: "entity duplicates threshold below 0", target: "/v1/entities/person:chen-zhi/duplicates?threshold=-1", field: "threshold", detail: `"-1" is not a number between 0 and 1`},
		{name: "integer bounds stay as they were", target: "/v1/search?q=chen&limit=0", field: "limit", detail: `"0" is not an integer between 1 and 100`},
		{name: "large bound written out", target: "/v1/paths?from=person:a&to=person:b&max_degree=0", field: "max_degree", detail: `"0" is not an integer between 1 and 1000000`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, &fakeReader{}, &fakeInvestigator{}, time.Second)
			req := httptest.NewRequest("GET", tt.target, nil)
			req.Header.Set("Authorization", "Bearer "+s.keys[graph.RoleAdmin])
			rec := serve(s.h, req)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("GET %s = %d, want 400: %s", tt.target, rec.Code, rec.Body)
			}
			p := decodeProblem(t, rec)
			if p.Field != tt.field || !strings.Contains(p.Detail, tt.detail) {
				t.Fatalf("field %q detail %q, want field %q detail containing %q", p.Field, p.Detail, tt.field, tt.detail)
			}
		})
	}
}

// An empty body where the operation requires one is refused naming the
// body and saying it is empty, whatever the media type.
func TestEmptyBodyProblemDetail(t *testing.T) {
	tests := []struct{ name, target, contentType string }{
		{"triage text", "/v1/triage", "text/plain"},
		{"triage JSON", "/v1/triage", "application/json"},
		{"match JSON", "/v1/match", "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, &fakeReader{}, &fakeInvestigator{}, time.Second)
			req := request("POST", tt.target, s.keys[graph.RoleAdmin], strings.NewReader(""))
			req.Header.Set("Content-Type", tt.contentType)
			rec := serve(s.h, req)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", rec.Code, rec.Body)
			}
			if p := decodeProblem(t, rec); p.Field != "body" || !strings.Contains(p.Detail, "is empty") {
				t.Fatalf("field %q detail %q, want field body saying it is empty", p.Field, p.Detail)
			}
		})
	}
}
