package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/cmd/internal/wiring"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/config"
	"github.com/scamgraph/scamgraph/internal/importsvc"
	"github.com/scamgraph/scamgraph/internal/metrics"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// These tests drive the handler `scamgraph serve` runs (wiring.NewAPI) against the
// test Neo4j: real keys, real Cypher runner, real importer.

// lockedBuffer is an audit log in memory.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type wired struct {
	h         *gin.Engine
	db        *neo4jdb.DB
	prefix    string
	keyPrefix string
	keys      map[graph.Role]string
	audit     *lockedBuffer
}

// wire builds the served handler with the default configuration as
// changed by edit, one key per role (deleted at the end) and the entities
// of the test under a fresh prefix (deleted too).
func wire(t *testing.T, edit func(c *config.Config)) wired {
	t.Helper()
	db := neo4jtest.Open(t)
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&cfg)
	}
	w := wired{db: db, prefix: neo4jtest.Prefix(t), keys: map[graph.Role]string{}, audit: &lockedBuffer{}}
	neo4jtest.Cleanup(t, db, w.prefix)
	keyPrefix := "wiring-test " + w.prefix
	w.keyPrefix = keyPrefix
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.DeleteKeysByNamePrefix(ctx, keyPrefix); err != nil {
			t.Errorf("delete keys: %v", err)
		}
	})
	for _, r := range graph.Roles() {
		plain, _, err := db.CreateKey(context.Background(), keyPrefix+string(r), r)
		if err != nil {
			t.Fatal(err)
		}
		w.keys[r] = plain
	}
	w.h = wiring.NewAPI(cfg, db, metrics.New(), slog.New(slog.DiscardHandler), w.audit, func(c *api.Config) {
		// Every answer of these tests, from the real store, must match
		// api/openapi.yaml.
		c.CheckAnswers = func(method, path string, err error) { t.Errorf("%s %s: %v", method, path, err) }
	})
	return w
}

// deleteRuns removes import runs the test made (they are not entities).
func deleteRuns(t *testing.T, db *neo4jdb.DB, ids ...string) {
	t.Helper()
	runID := regexp.MustCompile(`^run-[A-Za-z0-9-]+$`)
	var quoted []string
	for _, id := range ids {
		if !runID.MatchString(id) {
			t.Fatalf("odd run id %q", id)
		}
		quoted = append(quoted, "'"+id+"'")
	}
	if len(quoted) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.RunScript(ctx, []string{"MATCH (r:ImportRun) WHERE r.id IN [" + strings.Join(quoted, ",") + "] DELETE r"}); err != nil {
		t.Errorf("delete import runs: %v", err)
	}
}

func (w wired) do(method, target, key string, body io.Reader, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, req)
	return rec
}

// loadFixture writes the read API's fixture graph under w.prefix.
func (w wired) loadFixture(t *testing.T) neo4jtest.Fixture {
	t.Helper()
	f := neo4jtest.NewFixture(w.prefix)
	neo4jtest.Write(t, w.db, f.Entities, f.Relationships)
	return f
}

// sourceLine is one valid NDJSON source record, id prefix+"src".
func sourceLine(prefix string) string {
	return fmt.Sprintf(`{"record":"entity","id":%q,"kinds":["source"],"name":"Test report","properties":{"publisher":"Test Wire","published":"2026-01-19","source_type":"news"}}`+"\n", prefix+"src")
}

// entityLine is one valid NDJSON entity record citing prefix+"src".
func entityLine(prefix, short, name string) string {
	return fmt.Sprintf(`{"record":"entity","id":%q,"kinds":["person"],"name":%q,"sources":[%q]}`+"\n", prefix+short, name, prefix+"src")
}

var (
	ginParam = regexp.MustCompile(`:([A-Za-z_]+)`)
	keyRe    = regexp.MustCompile(`sg_[A-Za-z0-9_-]{43}`)
)

// TestRouteRoles sends every registered route a request with no key, bad
// keys and each role's key: 401, 401 and 403 or 2xx as the permission
// table says. A new route fails the test until it has an example here.
func TestRouteRoles(t *testing.T) {
	w := wire(t, func(c *config.Config) { c.RateLimitRPS, c.RateLimitIPRPS, c.RateLimitBurst = 1e6, 1e6, 1_000_000 })
	f := w.loadFixture(t)
	pid := func(short string) string { return url.PathEscape(f.ID(short)) }

	// A stored run for GET /v1/imports/{id}.
	dir := t.TempDir()
	file := filepath.Join(dir, "seed.ndjson")
	if err := os.WriteFile(file, []byte(sourceLine(f.Prefix)+entityLine(f.Prefix, "seeded", "Seeded Person")), 0o600); err != nil {
		t.Fatal(err)
	}
	admin := graph.WithPrincipal(context.Background(), graph.Principal{Role: graph.RoleAdmin})
	rep, err := importsvc.New(w.db, 100, nil, nil).Import(admin, file, "seed.ndjson", graph.ImportOptions{})
	if err != nil || len(rep.RunIDs) != 1 {
		t.Fatalf("seed import: %v %+v", err, rep)
	}
	t.Cleanup(func() { deleteRuns(t, w.db, rep.RunIDs...) })

	// Entities of its own for the merge routes: a pair to merge (POST), a
	// pair merged already (GET and DELETE its record), a pair to judge, a
	// pair judged by the analyst key (DELETE: its author, then an admin).
	var people []graph.Entity
	for _, short := range []string{"m1", "m2", "m3", "m4", "j1", "j2", "j3", "j4"} {
		people = append(people, graph.Entity{ID: f.Prefix + "person:" + short, Kinds: []graph.Kind{graph.KindPerson}, Name: "Merge Person " + short, Sources: []string{f.ID("src")}})
	}
	if _, err := w.db.UpsertEntities(admin, people, false); err != nil {
		t.Fatal(err)
	}
	merged, err := w.db.Merge(admin, graph.MergeRequest{Keep: f.Prefix + "person:m3", Merge: []string{f.Prefix + "person:m4"}, By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	judged, _, err := w.db.Judge(admin, graph.Judgement{A: f.Prefix + "person:j3", B: f.Prefix + "person:j4", By: w.keyPrefix + string(graph.RoleAnalyst)})
	if err != nil {
		t.Fatal(err)
	}

	// Every route's request is its operation's x-scamgraph-example in
	// api/openapi.yaml ({fixture:NAME} is the fixture's id), or, for the
	// routes with a body, the one below; the role it needs is reader for a
	// GET under /v1 unless listed here. A new route whose document says
	// otherwise, or that has no example, fails.
	type example struct {
		target, body, contentType string
		role                      graph.Role
	}
	bodies := map[string]example{
		"POST /v1/cypher": {target: "/v1/cypher", contentType: "application/json",
			body: `{"query":"MATCH (n:Entity {id: $id}) RETURN n.name AS name","params":{"id":"` + f.ID("chen") + `"}}`},
		"POST /v1/imports":    {target: "/v1/imports?name=matrix.ndjson&dry_run=true", body: sourceLine(f.Prefix) + entityLine(f.Prefix, "matrix", "Matrix Person")},
		"GET /v1/imports/:id": {target: "/v1/imports/" + rep.RunIDs[0]},
		// Scored on the fixture's neighbourhood only: other tests share the database.
		"POST /v1/analytics/runs": {target: "/v1/analytics/runs", contentType: "application/json",
			body: `{"focus":"` + f.ID("chen") + `","hops":2}`},
		"POST /v1/merges": {target: "/v1/merges", contentType: "application/json",
			body: `{"keep":"` + f.Prefix + `person:m1","merge":["` + f.Prefix + `person:m2"],"reason":"role matrix"}`},
		"GET /v1/merges/:id":    {target: "/v1/merges/" + merged.ID},
		"DELETE /v1/merges/:id": {target: "/v1/merges/" + merged.ID},
		"POST /v1/judgements": {target: "/v1/judgements", contentType: "application/json",
			body: `{"a":"` + f.Prefix + `person:j1","b":"` + f.Prefix + `person:j2"}`},
		"POST /v1/triage": {target: "/v1/triage", contentType: "text/plain", body: "Chen Zhi was arrested on Monday."},
		// Withdrawn by its author (the analyst key); the admin's repeat answers it unchanged.
		"DELETE /v1/judgements/:id": {target: "/v1/judgements/" + url.PathEscape(judged.ID)},
		"POST /v1/match": {target: "/v1/match", contentType: "application/json",
			body: `{"entity":{"name":"Zhi CHEN","kinds":["person"]}}`},
	}
	roles := map[string]graph.Role{
		"GET /healthz": "", "GET /readyz": "", "GET /openapi.json": "",
		"POST /v1/cypher": graph.RoleAnalyst, "POST /v1/imports": graph.RoleImporter, "GET /v1/imports/:id": graph.RoleImporter,
		// Analytics project a graph per request: analysts and admins; readers
		// see the scores a run keeps as entity properties (docs/analytics.md).
		"GET /v1/analytics/key-players": graph.RoleAnalyst, "GET /v1/analytics/brokers": graph.RoleAnalyst,
		"GET /v1/analytics/communities": graph.RoleAnalyst, "GET /v1/analytics/similar/:id": graph.RoleAnalyst,
		"POST /v1/analytics/runs": graph.RoleAdmin,
		"POST /v1/merges":         graph.RoleAnalyst, "GET /v1/merges/:id": graph.RoleAnalyst, "DELETE /v1/merges/:id": graph.RoleAnalyst,
		"POST /v1/judgements": graph.RoleAnalyst, "POST /v1/triage": graph.Role("importer|analyst"),
		"POST /v1/match": graph.RoleAnalyst, "GET /v1/entities/:id/duplicates": graph.RoleAnalyst, "GET /v1/duplicates": graph.RoleAnalyst,
		"GET /v1/export":     graph.RoleAnalyst,
		"GET /v1/judgements": graph.RoleAnalyst, "DELETE /v1/judgements/:id": graph.RoleAnalyst,
	}
	fixture := regexp.MustCompile(`\{fixture:(\w+)\}`)
	documented := map[string]api.Operation{}
	for _, op := range api.Operations() {
		documented[op.Method+" "+op.Path] = op
	}
	unknown, _, _, _, _ := graph.NewKey()
	for _, r := range w.h.Routes() {
		route := r.Method + " " + r.Path
		op := documented[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")]
		ex, ok := bodies[route]
		if !ok {
			ex.target = fixture.ReplaceAllStringFunc(op.Example, func(m string) string { return pid(fixture.FindStringSubmatch(m)[1]) })
		}
		if ex.target == "" {
			t.Errorf("%s has no x-scamgraph-example in api/openapi.yaml (nor a body example in TestRouteRoles)", route)
			continue
		}
		want, listed := roles[route]
		if !listed && r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/v1/") {
			want = graph.RoleReader
		}
		if op.Role != want {
			t.Errorf("%s: the OpenAPI document says role %q, TestRouteRoles %q", route, op.Role, want)
		}
		ex.role = op.Role
		cases := []struct {
			name string
			key  string
			role graph.Role
		}{
			{"no key", "", ""}, {"malformed key", "sg_nope", ""}, {"unknown key", unknown, ""},
		}
		for _, role := range graph.Roles() {
			cases = append(cases, struct {
				name string
				key  string
				role graph.Role
			}{string(role), w.keys[role], role})
		}
		for _, tc := range cases {
			t.Run(route+"/"+tc.name, func(t *testing.T) {
				var body io.Reader
				if ex.body != "" {
					body = strings.NewReader(ex.body)
				}
				rec := w.do(r.Method, ex.target, tc.key, body, "Content-Type", ex.contentType)
				switch {
				case ex.role == "":
					if rec.Code != http.StatusOK {
						t.Fatalf("public route: %d %s", rec.Code, rec.Body)
					}
				case tc.role == "":
					if rec.Code != http.StatusUnauthorized || !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
						t.Fatalf("want 401 with WWW-Authenticate: Bearer, got %d %q %s", rec.Code, rec.Header().Get("WWW-Authenticate"), rec.Body)
					}
				case !tc.role.Allows(ex.role):
					if rec.Code != http.StatusForbidden {
						t.Fatalf("want 403, got %d %s", rec.Code, rec.Body)
					}
				default:
					if rec.Code < 200 || rec.Code > 299 {
						t.Fatalf("want 2xx, got %d %s", rec.Code, rec.Body)
					}
				}
				if keyRe.MatchString(rec.Body.String()) {
					t.Errorf("the answer holds key material: %.300s", rec.Body)
				}
			})
		}
	}
}

type problemBody struct {
	Status int    `json:"status"`
	Field  string `json:"field"`
	Detail string `json:"detail"`
	Report *struct {
		Written  bool `json:"written"`
		Rejected int  `json:"rejected"`
		Problems []struct {
			File   string `json:"file"`
			Line   int    `json:"line"`
			Reason string `json:"reason"`
		} `json:"problems"`
	} `json:"report"`
}

func decodeProblem(t *testing.T, rec *httptest.ResponseRecorder) problemBody {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != api.ProblemContentType {
		t.Fatalf("Content-Type %q, want %s: %s", ct, api.ProblemContentType, rec.Body)
	}
	var p problemBody
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != rec.Code {
		t.Fatalf("problem %s (%v)", rec.Body, err)
	}
	return p
}

// TestGuards: body limits, rate limits, CORS and the audit log, as served.
func TestGuards(t *testing.T) {
	w := wire(t, func(c *config.Config) {
		c.RateLimitRPS, c.RateLimitBurst, c.RateLimitIPRPS = 0.5, 3, 1000
		c.MaxBodyBytes, c.ImportMaxBytes = 1024, 2048
		c.CORSOrigins = []string{"https://desk.example.org"}
	})
	big := `{"query":"RETURN 1 AS x //` + strings.Repeat("x", 2000) + `"}`
	bigFile := strings.Repeat(entityLine(w.prefix, "big", "Big Person"), 100)
	tests := []struct {
		name   string
		method string
		target string
		role   graph.Role
		body   string
		header []string
		status int
		check  func(t *testing.T, rec *httptest.ResponseRecorder)
	}{
		{name: "cypher body over MAX_BODY_BYTES is 413", method: "POST", target: "/v1/cypher", role: graph.RoleAnalyst, body: big, status: 413},
		{name: "upload over IMPORT_MAX_BYTES is 413", method: "POST", target: "/v1/imports?name=big.ndjson", role: graph.RoleImporter, body: bigFile, status: 413},
		{name: "wrong role is 403 before the body is read", method: "POST", target: "/v1/imports?name=big.ndjson", role: graph.RoleReader, body: bigFile, status: 403},
		{name: "allowed origin", method: "GET", target: "/v1/stats", role: graph.RoleReader, header: []string{"Origin", "https://desk.example.org"}, status: 200,
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				if rec.Header().Get("Access-Control-Allow-Origin") != "https://desk.example.org" {
					t.Errorf("Allow-Origin %q", rec.Header().Get("Access-Control-Allow-Origin"))
				}
			}},
		{name: "refused origin gets no CORS headers", method: "GET", target: "/v1/stats", role: graph.RoleReader, header: []string{"Origin", "https://evil.example"}, status: 200,
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				if rec.Header().Get("Access-Control-Allow-Origin") != "" {
					t.Errorf("Allow-Origin %q", rec.Header().Get("Access-Control-Allow-Origin"))
				}
			}},
		{name: "preflight from allowed origin", method: "OPTIONS", target: "/v1/cypher",
			header: []string{"Origin", "https://desk.example.org", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type"}, status: 204,
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				if !strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "Authorization") {
					t.Errorf("Allow-Headers %q", rec.Header().Get("Access-Control-Allow-Headers"))
				}
			}},
		{name: "preflight from refused origin", method: "OPTIONS", target: "/v1/cypher",
			header: []string{"Origin", "https://evil.example", "Access-Control-Request-Method", "POST"}, status: 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := w.do(tc.method, tc.target, w.keys[tc.role], strings.NewReader(tc.body), tc.header...)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %.300s", rec.Code, tc.status, rec.Body)
			}
			if tc.status >= 400 && tc.method != "OPTIONS" {
				decodeProblem(t, rec)
			}
			if tc.check != nil {
				tc.check(t, rec)
			}
		})
	}

	t.Run("per-key rate limit is 429 with Retry-After", func(t *testing.T) {
		// The admin key has not been used above: a burst of 3, then 429.
		var last *httptest.ResponseRecorder
		for i := 0; i < 4; i++ {
			last = w.do("GET", "/v1/stats", w.keys[graph.RoleAdmin], nil)
			if i < 3 && last.Code != http.StatusOK {
				t.Fatalf("request %d: %d %s", i+1, last.Code, last.Body)
			}
		}
		if last.Code != http.StatusTooManyRequests {
			t.Fatalf("4th request: %d, want 429", last.Code)
		}
		// One token at 0.5/s is 2 s away: the limiter's figure, not the
		// problem writer's default.
		if got := last.Header().Get("Retry-After"); got != "2" {
			t.Errorf("Retry-After %q, want 2", got)
		}
		decodeProblem(t, last)
		// Another key has its own bucket.
		other, _, err := w.db.CreateKey(context.Background(), w.keyPrefix+"other", graph.RoleReader)
		if err != nil {
			t.Fatal(err)
		}
		if rec := w.do("GET", "/v1/stats", other, nil); rec.Code != http.StatusOK {
			t.Errorf("another key after admin's 429: %d", rec.Code)
		}
	})

	t.Run("audit log", func(t *testing.T) {
		w.do("GET", "/v1/stats?api_key=hunter2", w.keys[graph.RoleAnalyst], nil)
		w.do("GET", "/v1/stats", "sg_wrong", nil)
		log := w.audit.String()
		lines := strings.Split(strings.TrimSpace(log), "\n")
		if len(lines) < 5 {
			t.Fatalf("%d audit lines", len(lines))
		}
		for _, k := range w.keys {
			if strings.Contains(log, k) || strings.Contains(log, k[:12]) {
				t.Fatal("the audit log holds key material")
			}
		}
		for _, bad := range []string{"sg_wrong", "hunter2", "Bearer"} {
			if strings.Contains(log, bad) {
				t.Errorf("the audit log holds %q", bad)
			}
		}
		var ok, refused bool
		for _, l := range lines {
			var e struct {
				KeyID  string `json:"key_id"`
				Role   string `json:"role"`
				Route  string `json:"route"`
				Status int    `json:"status"`
			}
			if err := json.Unmarshal([]byte(l), &e); err != nil {
				t.Fatalf("audit line %q: %v", l, err)
			}
			ok = ok || e.Route == "/v1/stats" && e.Status == 200 && e.Role == "reader" && strings.HasPrefix(e.KeyID, "key_")
			refused = refused || e.Status == 401 && e.KeyID == ""
		}
		if !ok || !refused {
			t.Errorf("want a reader 200 line and a refused 401 line without key id:\n%s", log)
		}
	})
}

// TestCypherEndpoint: analysts read, writes are refused with 400 on query
// and change nothing, readers get 403.
func TestCypherEndpoint(t *testing.T) {
	w := wire(t, nil)
	f := w.loadFixture(t)
	tests := []struct {
		name   string
		role   graph.Role
		body   string
		status int
		field  string
		want   string
	}{
		{"analyst reads", graph.RoleAnalyst, `{"query":"MATCH (n:Entity {id: $id}) RETURN n.name AS name, $n AS n","params":{"id":"` + f.ID("chen") + `","n":3}}`, 200, "", `{"columns":["name","n"],"rows":[["Chen Zhi",3]],"truncated":false}`},
		{"admin reads", graph.RoleAdmin, `{"query":"RETURN 1 AS one"}`, 200, "", `"rows":[[1]]`},
		{"CREATE refused", graph.RoleAnalyst, `{"query":"CREATE (n:Entity {id: '` + f.ID("evil") + `'}) RETURN n"}`, 400, "query", ""},
		{"MERGE refused for admin too", graph.RoleAdmin, `{"query":"MERGE (n:Entity {id: '` + f.ID("evil") + `'})"}`, 400, "query", ""},
		{"empty query", graph.RoleAnalyst, `{"query":"  "}`, 400, "query", ""},
		{"not JSON", graph.RoleAnalyst, `MATCH (n) RETURN n`, 400, "body", ""},
		{"unknown member", graph.RoleAnalyst, `{"query":"RETURN 1","timeout":"1h"}`, 400, "body", ""},
		{"reader forbidden", graph.RoleReader, `{"query":"RETURN 1"}`, 403, "", ""},
		{"importer forbidden", graph.RoleImporter, `{"query":"RETURN 1"}`, 403, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := w.do("POST", "/v1/cypher", w.keys[tc.role], strings.NewReader(tc.body), "Content-Type", "application/json")
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if tc.status >= 400 {
				if p := decodeProblem(t, rec); p.Field != tc.field {
					t.Errorf("field %q, want %q (%s)", p.Field, tc.field, p.Detail)
				}
			}
			if tc.want != "" && !strings.Contains(rec.Body.String(), tc.want) {
				t.Errorf("body %s, want %s", rec.Body, tc.want)
			}
		})
	}
	exist, err := w.db.ExistingIDs(context.Background(), []string{f.ID("evil")})
	if err != nil || exist[f.ID("evil")] {
		t.Fatalf("a refused write wrote: %v %v", exist, err)
	}
	if !strings.Contains(w.audit.String(), `"cypher_sha256"`) {
		t.Error("no cypher_sha256 note in the audit log")
	}
}

// TestImportEndpoint: an upload is imported as the CLI would, its run can
// be read back, and a bad upload is refused with file:line problems and
// nothing written.
func TestImportEndpoint(t *testing.T) {
	w := wire(t, nil)
	good := sourceLine(w.prefix) + entityLine(w.prefix, "alice", "Alice Example") + entityLine(w.prefix, "bob", "Bob Example") +
		fmt.Sprintf(`{"record":"relationship","type":"ASSOCIATE_OF","from":%q,"to":%q,"evidence":"allegation","sources":[%q]}`+"\n", w.prefix+"alice", w.prefix+"bob", w.prefix+"src")
	bad := sourceLine(w.prefix) + entityLine(w.prefix, "carol", "Carol Example") + "{\"record\":\"entity\",\n" +
		`{"record":"entity","id":"` + w.prefix + `dave","kinds":["wizard"],"name":"Dave","sources":["` + w.prefix + `src"]}` + "\n"
	exists := func(t *testing.T, short string) bool {
		t.Helper()
		m, err := w.db.ExistingIDs(context.Background(), []string{w.prefix + short})
		if err != nil {
			t.Fatal(err)
		}
		return m[w.prefix+short]
	}
	key := w.keys[graph.RoleImporter]
	var runs []string
	t.Cleanup(func() { deleteRuns(t, w.db, runs...) })

	t.Run("dry run writes nothing", func(t *testing.T) {
		rec := w.do("POST", "/v1/imports?name=report.ndjson&dry_run=true", key, strings.NewReader(good))
		if rec.Code != http.StatusOK {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		var rep graph.ImportReport
		if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		if !rep.DryRun || rep.Written || rep.Entities.Created != 3 || len(rep.RunIDs) != 0 || exists(t, "alice") {
			t.Fatalf("report %+v", rep)
		}
	})
	var runID string
	t.Run("import writes and answers 201", func(t *testing.T) {
		rec := w.do("POST", "/v1/imports?name=report.ndjson", key, strings.NewReader(good), "Content-Type", "application/x-ndjson")
		if rec.Code != http.StatusCreated {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		var rep graph.ImportReport
		if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.RunIDs) != 1 {
			t.Fatalf("report %+v", rep)
		}
		runID = rep.RunIDs[0]
		runs = append(runs, rep.RunIDs...)
		if !rep.Written || rep.Entities.Created != 3 || rep.Relationships.Created != 1 || rep.Files[0].File != "report.ndjson" {
			t.Fatalf("report %+v", rep)
		}
		if loc := rec.Header().Get("Location"); loc != "/v1/imports/"+runID {
			t.Errorf("Location %q", loc)
		}
		if !exists(t, "alice") || !exists(t, "bob") {
			t.Fatal("not written")
		}
	})
	t.Run("the run can be read back", func(t *testing.T) {
		rec := w.do("GET", "/v1/imports/"+runID, key, nil)
		var run graph.ImportRun
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &run) != nil {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		if run.ID != runID || run.Status != "succeeded" || run.File != "report.ndjson" || run.Entities.Created != 3 {
			t.Fatalf("run %+v", run)
		}
	})
	t.Run("re-import changes nothing", func(t *testing.T) {
		rec := w.do("POST", "/v1/imports?name=report.ndjson", key, strings.NewReader(good))
		var rep graph.ImportReport
		if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &rep) != nil {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		runs = append(runs, rep.RunIDs...)
		if rep.Entities.Changes()+rep.Relationships.Changes() != 0 || rep.Entities.Unchanged != 3 {
			t.Fatalf("report %+v", rep)
		}
	})
	t.Run("malformed upload is 422 with file:line problems, nothing written", func(t *testing.T) {
		rec := w.do("POST", "/v1/imports?name=bad.ndjson", key, strings.NewReader(bad))
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		p := decodeProblem(t, rec)
		if p.Report == nil || p.Report.Written || p.Report.Rejected != 2 || len(p.Report.Problems) != 2 {
			t.Fatalf("problem %s", rec.Body)
		}
		for i, line := range []int{3, 4} {
			if pr := p.Report.Problems[i]; pr.File != "bad.ndjson" || pr.Line != line || pr.Reason == "" {
				t.Errorf("problem %d: %+v, want bad.ndjson:%d", i, pr, line)
			}
		}
		if exists(t, "carol") {
			t.Fatal("a rejected import wrote its good records")
		}
	})
	t.Run("skip_bad imports the good records", func(t *testing.T) {
		rec := w.do("POST", "/v1/imports?name=bad.ndjson&skip_bad=true", key, strings.NewReader(bad))
		var rep graph.ImportReport
		if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &rep) != nil {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		runs = append(runs, rep.RunIDs...)
		// The source is already there from the import above.
		if rep.Rejected != 2 || rep.Entities.Created != 1 || !exists(t, "carol") {
			t.Fatalf("report %+v", rep)
		}
	})
	badRequests := []struct {
		name, target, body, field string
		status                    int
	}{
		{"no name", "/v1/imports", good, "name", 400},
		{"unsupported extension", "/v1/imports?name=report.xlsx", good, "name", 400},
		{"a path as name", "/v1/imports?name=..%2F..%2Fetc%2Fpasswd.csv", good, "name", 400},
		{"bad flag", "/v1/imports?name=a.ndjson&dry_run=maybe", good, "dry_run", 400},
		{"unknown parameter", "/v1/imports?name=a.ndjson&force=1", good, "force", 400},
		{"empty body", "/v1/imports?name=a.ndjson", "", "body", 400},
		{"bad run id", "/v1/imports/..%2Fkeys", "", "id", 400},
		{"unknown run", "/v1/imports/run-20990101T000000Z-00000000", "", "id", 404},
	}
	for _, tc := range badRequests {
		t.Run(tc.name, func(t *testing.T) {
			method := "POST"
			if strings.HasPrefix(tc.target, "/v1/imports/") {
				method = "GET"
			}
			rec := w.do(method, tc.target, key, strings.NewReader(tc.body))
			if rec.Code != tc.status {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			if p := decodeProblem(t, rec); p.Field != tc.field {
				t.Errorf("field %q, want %q", p.Field, tc.field)
			}
		})
	}
}
