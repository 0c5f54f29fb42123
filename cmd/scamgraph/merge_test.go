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

// TestJudgementsOverHTTP: a judgement hides a pair from the duplicates;
// GET /v1/judgements lists it (a page at a time, by entity); DELETE
// withdraws it (its author or an admin), audited, and the pair is proposed
// again. Every answer is checked against api/openapi.yaml (wire).
func TestJudgementsOverHTTP(t *testing.T) {
	w := wire(t, nil)
	p := w.prefix
	src := graph.Entity{ID: p + "source:s", Kinds: []graph.Kind{graph.KindSource}, Name: "S",
		Properties: map[string]graph.Value{"publisher": graph.StringValue("AFP"), "published": graph.DateValue(graph.Date{Year: 2026, Month: 1, Day: 19}), "source_type": graph.StringValue("news")}}
	person := func(id, name string) graph.Entity {
		return graph.Entity{ID: p + id, Kinds: []graph.Kind{graph.KindPerson}, Name: name, Sources: []string{src.ID}}
	}
	a, b, c := p+"person:chen-zhi", p+"person:chen-zhi-uk", p+"person:zhi-chen"
	if _, err := w.db.UpsertEntities(t.Context(), []graph.Entity{src, person("person:chen-zhi", "Chen Zhi"),
		person("person:chen-zhi-uk", "Chen Zhi"), person("person:zhi-chen", "Zhi CHEN")}, false); err != nil {
		t.Fatal(err)
	}
	analyst, admin := w.keys[graph.RoleAnalyst], w.keys[graph.RoleAdmin]
	judge := func(key, x, y string) graph.Judgement {
		t.Helper()
		rec := w.do("POST", "/v1/judgements", key, strings.NewReader(`{"a":"`+x+`","b":"`+y+`","reason":"other man"}`), "Content-Type", "application/json")
		if rec.Code != 201 {
			t.Fatalf("judge: %d %s", rec.Code, rec.Body)
		}
		var j graph.Judgement
		decode(t, rec.Body.Bytes(), &j)
		return j
	}
	dups := "/v1/entities/" + url.PathEscape(a) + "/duplicates?threshold=0.5&limit=50"
	proposed := func(t *testing.T) bool {
		t.Helper()
		rec := w.do("GET", dups, analyst, nil)
		if rec.Code != 200 {
			t.Fatalf("duplicates: %d %s", rec.Code, rec.Body)
		}
		return strings.Contains(rec.Body.String(), `"id":"`+b+`"`)
	}
	if !proposed(t) {
		t.Fatalf("%s is not proposed as a duplicate of %s before any judgement", b, a)
	}
	mine := judge(analyst, a, b) // the analyst's
	theirs := judge(admin, c, a) // the admin's, newer
	if proposed(t) {
		t.Fatalf("the judged pair is proposed")
	}
	del := func(id string) string { return "/v1/judgements/" + url.PathEscape(id) }
	list := "/v1/judgements?entity=" + url.QueryEscape(a)
	var page graph.JudgementsPage
	tests := []struct {
		name, method, target, key string
		status                    int
		want                      []string // in the body
	}{
		{"list by entity, newest first", "GET", list, analyst, 200, []string{`{"judgements":[{"id":"` + theirs.ID + `"`, `"id":"` + mine.ID + `"`, `"by":"` + w.keyPrefix + `analyst"`, `"reason":"other man"`, `"status":"active"`}},
		{"list by verdict", "GET", list + "&verdict=not_same&limit=1", admin, 200, []string{`"id":"` + theirs.ID + `"`, `"next_cursor":"`}},
		{"list of an entity without judgements", "GET", "/v1/judgements?entity=" + url.QueryEscape(src.ID), analyst, 200, []string{`{"judgements":[]}`}},
		{"readers may not list", "GET", list, w.keys[graph.RoleReader], 403, nil},
		{"limit out of bounds", "GET", list + "&limit=201", analyst, 400, []string{`"field":"limit"`}},
		{"unknown verdict", "GET", list + "&verdict=same", analyst, 400, []string{`"field":"verdict"`}},
		{"garbage cursor", "GET", list + "&cursor=garbage", analyst, 400, []string{`"field":"cursor"`}},
		{"importers may not withdraw", "DELETE", del(mine.ID), w.keys[graph.RoleImporter], 403, nil},
		{"an analyst may not withdraw another's", "DELETE", del(theirs.ID), analyst, 403, []string{`"field":"id"`, "only its author or an admin"}},
		{"the author withdraws", "DELETE", del(mine.ID) + "?reason=" + url.QueryEscape("same passport"), analyst, 200,
			[]string{`"status":"withdrawn"`, `"withdrawn_by":"` + w.keyPrefix + `analyst"`, `"withdraw_reason":"same passport"`}},
		{"withdrawing again answers it unchanged", "DELETE", del(mine.ID), admin, 200, []string{`"withdrawn_by":"` + w.keyPrefix + `analyst"`}},
		{"withdrawn judgements are not listed", "GET", list, analyst, 200, []string{`{"judgements":[{"id":"` + theirs.ID + `"`, `}]}`}},
		{"an admin withdraws another's", "DELETE", del(theirs.ID), admin, 200, []string{`"withdrawn_by":"` + w.keyPrefix + `admin"`, `"by":"` + w.keyPrefix + `admin"`}},
		{"unknown judgement", "DELETE", del(graph.JudgementID(p+"person:x", p+"person:y")), analyst, 404, []string{`"status":404`}},
		{"not a judgement id", "DELETE", del("merge-1"), analyst, 400, []string{`"field":"id"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := w.do(tc.method, tc.target, tc.key, nil)
			if got.Code != tc.status {
				t.Fatalf("%d, want %d: %s", got.Code, tc.status, got.Body)
			}
			if tc.status >= 400 {
				decodeProblem(t, got)
			}
			for _, s := range tc.want {
				if !strings.Contains(got.Body.String(), s) {
					t.Errorf("answer lacks %s: %s", s, got.Body)
				}
			}
			if tc.name == "list by verdict" {
				decode(t, got.Body.Bytes(), &page)
			}
		})
	}
	t.Run("next page", func(t *testing.T) {
		// Taken before the withdrawals: the cursor still goes on from theirs.
		got := w.do("GET", list+"&verdict=not_same&limit=1&cursor="+page.NextCursor, analyst, nil)
		if got.Code != 200 || strings.Contains(got.Body.String(), theirs.ID) || strings.Contains(got.Body.String(), `"next_cursor"`) {
			t.Errorf("%d %s", got.Code, got.Body)
		}
	})
	t.Run("the pair is proposed again", func(t *testing.T) {
		if !proposed(t) {
			t.Errorf("%s is not proposed as a duplicate of %s after the withdrawal", b, a)
		}
	})
	t.Run("withdrawals are audited", func(t *testing.T) {
		var found bool
		for _, l := range strings.Split(strings.TrimSpace(w.audit.String()), "\n") {
			var e struct {
				KeyName string              `json:"key_name"`
				Method  string              `json:"method"`
				Route   string              `json:"route"`
				Status  int                 `json:"status"`
				Query   map[string][]string `json:"query"`
				Notes   map[string]any      `json:"notes"`
			}
			if err := json.Unmarshal([]byte(l), &e); err != nil {
				t.Fatalf("audit line %q: %v", l, err)
			}
			if e.Method == "DELETE" && e.Route == "/v1/judgements/:id" && e.Status == 200 && e.KeyName == w.keyPrefix+"analyst" &&
				e.Notes["withdraw_judgement"] == mine.ID && len(e.Query["reason"]) == 1 && e.Query["reason"][0] == "same passport" {
				found = true
			}
		}
		if !found {
			t.Errorf("no audit line for the withdrawal of %s:\n%s", mine.ID, w.audit.String())
		}
	})
}
