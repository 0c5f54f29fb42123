package main

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
)

// TestMergeOverHTTP: merge, 308 from the old id, the record, undo; triage
// of a JSON body naming an entity by an alias; a judgement refuses a merge.
func TestMergeOverHTTP(t *testing.T) {
	w := wire(t, nil)
	p := w.prefix
	src := graph.Entity{ID: p + "source:s", Kinds: []graph.Kind{graph.KindSource}, Name: "S",
		Properties: map[string]graph.Value{"publisher": graph.StringValue("AFP"), "published": graph.DateValue(graph.Date{Year: 2026, Month: 1, Day: 19}), "source_type": graph.StringValue("news")}}
	person := func(id, name string, aliases ...string) graph.Entity {
		return graph.Entity{ID: p + id, Kinds: []graph.Kind{graph.KindPerson}, Name: name, Aliases: aliases, Sources: []string{src.ID}}
	}
	if _, err := w.db.UpsertEntities(t.Context(), []graph.Entity{src, person("person:chen-zhi", "Chen Zhi"),
		person("person:zhi-chen", "Zhi CHEN", "Vincent Chen"), person("person:other", "Chen Zhiwei")}, false); err != nil {
		t.Fatal(err)
	}
	analyst := w.keys[graph.RoleAnalyst]
	ct := "Content-Type"
	body := `{"keep":"` + p + `person:chen-zhi","merge":["` + p + `person:zhi-chen"],"reason":"UK list"}`
	rec := w.do("POST", "/v1/merges", analyst, strings.NewReader(body), ct, "application/json")
	if rec.Code != 201 || !strings.HasPrefix(rec.Header().Get("Location"), "/v1/merges/merge-") {
		t.Fatalf("merge: %d %s", rec.Code, rec.Body)
	}
	var m graph.MergeRecord
	decode(t, rec.Body.Bytes(), &m)
	tests := []struct {
		name, method, target, body string
		status                     int
		want                       string // in the body, or the Location
	}{
		{"old id answers 308", "GET", "/v1/entities/" + url.PathEscape(p+"person:zhi-chen"), "", 308, "/v1/entities/" + url.PathEscape(p+"person:chen-zhi")},
		{"kept entity has the alias", "GET", "/v1/entities/" + url.PathEscape(p+"person:chen-zhi"), "", 200, `"Vincent Chen"`},
		{"record", "GET", "/v1/merges/" + m.ID, "", 200, `"by":"`},
		{"repeat answers the record", "POST", "/v1/merges", body, 200, m.ID},
		{"triage finds the alias", "POST", "/v1/triage", `{"text":"Vincent Chen was arrested on Monday.","publisher":"AFP","date":"2026-01-19"}`, 200, `"by_alias":true`},
		{"judgement", "POST", "/v1/judgements", `{"a":"` + p + `person:other","b":"` + p + `person:chen-zhi","reason":"other man"}`, 201, `"verdict":"not_same"`},
		{"judged pair is not merged", "POST", "/v1/merges", `{"keep":"` + p + `person:chen-zhi","merge":["` + p + `person:other"]}`, 409, `"field":"merge"`},
		{"undo", "DELETE", "/v1/merges/" + m.ID, "", 200, `"status":"undone"`},
		{"old id is back", "GET", "/v1/entities/" + url.PathEscape(p+"person:zhi-chen"), "", 200, `"Zhi CHEN"`},
		{"unknown merge", "GET", "/v1/merges/merge-nope", "", 404, ""},
		{"bad keep id", "POST", "/v1/merges", `{"keep":"bad id","merge":["x"]}`, 400, `"field":"keep"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r *strings.Reader
			if tc.body != "" {
				r = strings.NewReader(tc.body)
			}
			var got = w.do(tc.method, tc.target, analyst, nil)
			if r != nil {
				got = w.do(tc.method, tc.target, analyst, r, ct, "application/json")
			}
			if got.Code != tc.status {
				t.Fatalf("%d, want %d: %s", got.Code, tc.status, got.Body)
			}
			if !strings.Contains(got.Body.String()+got.Header().Get("Location"), tc.want) {
				t.Errorf("answer lacks %s: %s %s", tc.want, got.Header().Get("Location"), got.Body)
			}
		})
	}
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
}
