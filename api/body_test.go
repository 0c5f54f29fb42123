package api_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/graph"
)

func TestParseCypherRequest(t *testing.T) {
	tests := []struct {
		name, body, field string
	}{
		{"query only", `{"query":"RETURN 1"}`, ""},
		{"with params", `{"query":"RETURN $n","params":{"n":3,"m":{"a":[1,2.5]}}}`, ""},
		{"empty body", ``, "body"},
		{"not JSON", `RETURN 1`, "body"},
		{"two values", `{"query":"RETURN 1"} {}`, "body"},
		{"unknown member", `{"query":"RETURN 1","db":"system"}`, "body"},
		{"query not a string", `{"query":1}`, "query"},
		{"params not an object", `{"query":"RETURN 1","params":[1]}`, "params"},
		{"blank query", `{"query":" "}`, "query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := api.ParseCypherRequest(strings.NewReader(tt.body))
			if tt.field == "" {
				if err != nil || req.Query == "" {
					t.Fatalf("%+v, %v", req, err)
				}
				return
			}
			if graph.ErrorCode(err) != graph.CodeInvalid || graph.ErrorField(err) != tt.field {
				t.Fatalf("error %v (field %q), want invalid on %s", err, graph.ErrorField(err), tt.field)
			}
		})
	}
}

func TestParseImportParams(t *testing.T) {
	tests := []struct {
		name, query, field string
		want               api.ImportRequest
	}{
		{"ndjson", "name=r.ndjson", "", api.ImportRequest{Name: "r.ndjson"}},
		{"csv with flags", "name=R.CSV&skip_bad=true&dry_run=1", "", api.ImportRequest{Name: "R.CSV", Opts: graph.ImportOptions{SkipBad: true, DryRun: true}}},
		{"no name", "dry_run=true", "name", api.ImportRequest{}},
		{"directory", "name=a%2Fb.csv", "name", api.ImportRequest{}},
		{"backslash", "name=a%5Cb.csv", "name", api.ImportRequest{}},
		{"control character", "name=a%0Ab.csv", "name", api.ImportRequest{}},
		{"extension", "name=r.json", "name", api.ImportRequest{}},
		{"bad flag", "name=r.csv&skip_bad=yes", "skip_bad", api.ImportRequest{}},
		{"empty flag", "name=r.csv&dry_run=", "dry_run", api.ImportRequest{}},
		{"repeated", "name=r.csv&name=s.csv", "name", api.ImportRequest{}},
		{"unknown", "name=r.csv&batch=5", "batch", api.ImportRequest{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _ := url.ParseQuery(tt.query)
			got, err := api.ParseImportParams(v)
			if tt.field != "" {
				if graph.ErrorField(err) != tt.field {
					t.Fatalf("error %v, want one on %s", err, tt.field)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("%+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestParseImportRunID(t *testing.T) {
	for id, ok := range map[string]bool{
		"run-20260119T080000Z-1a2b3c4d": true, "run-1737273600000000000": true,
		"": false, "run-": false, "key_0011223344556677": false, "run-../x": false, "run-a b": false,
		"run-" + strings.Repeat("a", 61): false,
	} {
		if _, err := api.ParseImportRunID(id); (err == nil) != ok {
			t.Errorf("ParseImportRunID(%q) = %v, want ok=%v", id, err, ok)
		}
	}
}
