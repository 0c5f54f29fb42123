package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestSampleData asks the served API the investigators' questions over the
// sample reports (imported under a fresh prefix): every endpoint, the
// prosecuted-compound links that tie Ly Kuong to the compounds he is charged
// with running, as_of before 2024, each output format and each error status.
func TestSampleData(t *testing.T) {
	w := wire(t, nil)
	dir := neo4jtest.PrefixedCopy(t, neo4jtest.SampleDir(t), w.prefix)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := importer.New(w.db, importer.Options{}).ImportPaths(ctx, []string{dir})
	if err != nil {
		t.Fatalf("import sample: %v", err)
	}
	t.Cleanup(func() {
		var ids []string
		for _, f := range rep.Files {
			ids = append(ids, f.RunID)
		}
		deleteRuns(t, w.db, ids...)
	})
	p := w.prefix
	id := func(s string) string { return url.PathEscape(p + s) }
	qid := func(s string) string { return url.QueryEscape(p + s) }
	analyst, reader := w.keys[graph.RoleAnalyst], w.keys[graph.RoleReader]

	type check func(t *testing.T, body string)
	has := func(subs ...string) check {
		return func(t *testing.T, body string) {
			for _, s := range subs {
				if !strings.Contains(body, s) {
					t.Errorf("answer lacks %q:\n%.1500s", s, body)
				}
			}
		}
	}
	lacks := func(subs ...string) check {
		return func(t *testing.T, body string) {
			for _, s := range subs {
				if strings.Contains(body, s) {
					t.Errorf("answer should not hold %q:\n%.1500s", s, body)
				}
			}
		}
	}
	tests := []struct {
		name   string
		target string
		key    string
		status int
		checks []check
	}{
		{"search folds case", "/v1/search?q=" + url.QueryEscape("LY KUONG") + "&kind=tycoon", reader, 200, []check{has(`"id":"` + p + `person:ly-kuong"`)}},
		{"search fuzzy", "/v1/search?q=chen+zhi", reader, 200, []check{has(`"id":"` + p + `person:chen-zhi"`)}},
		{"entity with counts", "/v1/entities/" + id("person:ly-kuong"), reader, 200, []check{has(`"tycoon"`, `"OPERATES"`, `"relationship_counts"`)}},
		{"neighbors", "/v1/entities/" + id("person:ly-kuong") + "/neighbors?depth=2", reader, 200, []check{has(p+"compound:ly-kuong-charged-compounds", `"edges"`)}},
		{"neighbors cytoscape", "/v1/entities/" + id("person:ly-kuong") + "/neighbors?format=cytoscape", reader, 200, []check{has(`"elements"`, `"source":"`+p+`person:ly-kuong"`)}},
		{"neighbors graphml", "/v1/entities/" + id("person:ly-kuong") + "/neighbors?format=graphml", reader, 200, []check{has(`<graphml`, `<edge `)}},
		{"path tycoon to compound", "/v1/paths?from=" + qid("person:ly-kuong") + "&to=" + qid("compound:ly-kuong-charged-compounds"), reader, 200, []check{has(`"evidence":"charge"`, `"sources":["`+p+`source:afp-2026-01-indonesians-released"]`,
			`"id":"`+p+`person:ly-kuong-[OPERATES]->`+p+`compound:ly-kuong-charged-compounds"`)}},
		{"prosecuted-compound-links finds Ly Kuong", "/v1/queries/prosecuted-compound-links?max_hops=2&person=" + qid("person:ly-kuong"), reader, 200, []check{has(p+"person:ly-kuong", p+"compound:ly-kuong-charged-compounds", p+"event:ly-kuong-charge-2026-01")}},
		{"prosecuted-compound-links as of 2023 shows no charge", "/v1/queries/prosecuted-compound-links?as_of=2023-12-31&person=" + qid("person:ly-kuong"), reader, 200, []check{has(`"links":[]`)}},
		{"victims by nationality", "/v1/queries/victims-by-nationality?compound=" + qid("compound:cambodia-scam-compounds-unspecified"), reader, 200, []check{has(`"nationality":"ID"`, `"people":440`)}},
		{"victims held in Sihanoukville", "/v1/queries/victims-by-nationality?compound=" + qid("compound:sihanoukville-operations-indians-2024"), reader, 200, []check{has(`"nationality":"IN"`, `"people":360`)}},
		{"victims as of 2023 hide the 2024-2026 releases", "/v1/queries/victims-by-nationality?as_of=2023-12-31&compound=" + qid("compound:sihanoukville-operations-indians-2024"), reader, 200, []check{lacks(`"people":440`, `"people":360`)}},
		{"compound network of the Bavet compound", "/v1/queries/compound-network/" + id("compound:bavet-unnamed-afp-2026-01"), reader, 200, []check{has(`"victims_released"`, `"nationality":"ID"`)}},
		{"timeline of Chen Zhi", "/v1/queries/timeline/" + id("person:chen-zhi"), reader, 200, []check{has(p+"event:chen-zhi-us-indictment-2025-10", p+"event:chen-zhi-deportation-2026-01")}},
		// The only report on him was published 2026-01-19: before it, the graph knows nothing of him.
		{"timeline as of 2025-12-31 is empty", "/v1/queries/timeline/" + id("person:chen-zhi") + "?as_of=2025-12-31", reader, 200, []check{has(`"items":[]`)}},
		{"official links", "/v1/queries/official-links?max_hops=3&focus=" + qid("person:ly-kuong"), reader, 200, []check{has(`"links"`)}},
		{"ownership chains", "/v1/queries/ownership-chains/" + id("compound:ly-kuong-charged-compounds"), reader, 200, []check{has(p + "person:ly-kuong")}},
		{"stats", "/v1/stats", reader, 200, []check{has(`"by_kind"`, `"tycoon":`)}},
		{"reader sees no victim's age", "/v1/entities/" + id("victim:released-worker-a-afp-2026-01"), reader, 200, []check{lacks(`"age"`)}},
		{"analyst sees the victim's age", "/v1/entities/" + id("victim:released-worker-a-afp-2026-01"), analyst, 200, []check{has(`"age":18`)}},
		{"bad depth is 400 naming it", "/v1/entities/" + id("person:ly-kuong") + "/neighbors?depth=9", reader, 400, []check{has(`"field":"depth"`)}},
		{"bad as_of is 400 naming it", "/v1/queries/timeline/" + id("person:chen-zhi") + "?as_of=2023-13-01", reader, 400, []check{has(`"field":"as_of"`)}},
		{"unknown id is 404", "/v1/entities/" + id("person:nobody"), reader, 404, []check{has(`"status":404`)}},
		{"unknown format is 400", "/v1/entities/" + id("person:ly-kuong") + "/neighbors?format=pdf", reader, 400, []check{has(`"field":"format"`)}},
		{"no key is 401", "/v1/stats", "", 401, []check{has(`"status":401`)}},
		// Analytics over the sample's neighbourhood of Ly Kuong (other tests share the database).
		{"key players", "/v1/analytics/key-players?hops=3&focus=" + qid("person:ly-kuong"), analyst, 200, []check{has(`"players"`, `"reason":"1st of `, p+"person:ly-kuong")}},
		{"key players cytoscape carry scores", "/v1/analytics/key-players?hops=3&format=cytoscape&focus=" + qid("person:ly-kuong"), analyst, 200, []check{has(`"elements"`, `"pagerank":`, `"score":`)}},
		{"brokers graphml carry scores", "/v1/analytics/brokers?hops=3&format=graphml&focus=" + qid("person:ly-kuong"), analyst, 200, []check{has(`<graphml`, `attr.name="betweenness"`, `attr.name="score"`)}},
		{"communities", "/v1/analytics/communities?algorithm=wcc&hops=3&focus=" + qid("person:ly-kuong"), analyst, 200, []check{has(`"algorithm":"wcc"`, `"members"`)}},
		{"similar", "/v1/analytics/similar/" + id("person:ly-kuong"), analyst, 200, []check{has(`"similar"`, `"entity":{"id":"`+p+`person:ly-kuong"`)}},
		{"analytics are not for readers", "/v1/analytics/key-players?focus=" + qid("person:ly-kuong"), reader, 403, []check{has(`"status":403`)}},
		{"analytics hops need focus", "/v1/analytics/key-players?hops=2", analyst, 400, []check{has(`"field":"hops"`)}},
		{"analytics unknown focus is 404", "/v1/analytics/brokers?focus=" + qid("person:nobody"), analyst, 404, []check{has(`"field":"focus"`)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := w.do(http.MethodGet, tc.target, tc.key, nil)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %.800s", rec.Code, tc.status, rec.Body.String())
			}
			if tc.status >= 400 && rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("error content type %q", rec.Header().Get("Content-Type"))
			}
			if tc.status == 200 && !strings.Contains(tc.target, "graphml") && !json.Valid(rec.Body.Bytes()) {
				t.Errorf("not JSON: %.300s", rec.Body.String())
			}
			for _, c := range tc.checks {
				c(t, rec.Body.String())
			}
		})
	}
	// issue 15: an importer's dry run must not confirm a guessed hidden age
	// (the sample's victim is 18): the right and a wrong guess get the same
	// answer, as does the admin's own view of what it may do.
	t.Run("importer cannot confirm a victim's age by dry run", func(t *testing.T) {
		guess := func(age int) (int, string) {
			line := fmt.Sprintf(`{"record":"entity","id":%q,"kinds":["victim"],"name":"Released worker A (AFP, Jan 2026)","sources":[%q],"properties":{"pseudonym":"Released worker A (AFP, Jan 2026)","age":%d}}`+"\n",
				p+"victim:released-worker-a-afp-2026-01", p+"source:afp-2026-01-indonesians-released", age)
			rec := w.do(http.MethodPost, "/v1/imports?name=guess.ndjson&dry_run=true", w.keys[graph.RoleImporter], strings.NewReader(line))
			body := regexp.MustCompile(`"(duration_ms|checksum)":[^,}]*`).ReplaceAllString(rec.Body.String(), "")
			return rec.Code, body
		}
		rightCode, right := guess(18)
		wrongCode, wrong := guess(19)
		if rightCode != wrongCode || right != wrong {
			t.Errorf("right guess: %d %s\nwrong guess: %d %s", rightCode, right, wrongCode, wrong)
		}
		if rightCode != http.StatusUnprocessableEntity || !strings.Contains(right, "properties.age") {
			t.Errorf("want the record refused naming properties.age: %d %s", rightCode, right)
		}
	})
}
