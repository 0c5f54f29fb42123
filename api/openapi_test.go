package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/scamgraph/scamgraph/api"
	"github.com/scamgraph/scamgraph/graph"
)

var ginParam = regexp.MustCompile(`:([A-Za-z_]+)`)

func loadDoc(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPIYAML())
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("openapi.yaml is not a valid OpenAPI document: %v", err)
	}
	return doc
}

// TestOpenAPIMatchesRoutes: every gin route is an operation of the
// document and every operation is routed.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := api.New(api.Config{Reader: &fakeReader{}, Keys: &memKeys{}, Logger: discardLogger()})
	var routes, documented []string
	for _, r := range e.Routes() {
		routes = append(routes, r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}"))
	}
	for _, op := range api.Operations() {
		documented = append(documented, op.Method+" "+op.Path)
	}
	slices.Sort(routes)
	slices.Sort(documented)
	if !slices.Equal(routes, documented) {
		t.Fatalf("routes %v\ndocument %v", routes, documented)
	}
}

// TestOpenAPIServed: GET /openapi.json is api/openapi.yaml.
func TestOpenAPIServed(t *testing.T) {
	e := api.New(api.Config{Reader: &fakeReader{}, Keys: &memKeys{}, Logger: discardLogger()})
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.json", nil))
	var served, committed any
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &served) != nil {
		t.Fatalf("GET /openapi.json = %d %.200s", rec.Code, rec.Body.String())
	}
	y, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(y, &committed); err != nil {
		t.Fatal(err)
	}
	// Compare as JSON values (YAML's and JSON's numbers decode differently).
	cj, _ := json.Marshal(committed)
	var c any
	_ = json.Unmarshal(cj, &c)
	sj, _ := json.Marshal(served)
	if cj2, _ := json.Marshal(c); !bytes.Equal(cj2, sj) {
		t.Fatal("GET /openapi.json is not api/openapi.yaml")
	}
	loadDoc(t)
}

// TestGeneratedCodeIsCurrent fails when openapi.gen.go is not what
// `go generate ./api` makes of openapi.yaml.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "openapi.gen.go")
	cmd := exec.Command("go", "tool", "oapi-codegen", "-config", "oapi-codegen.yaml", "-o", out, "openapi.yaml")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("oapi-codegen: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("openapi.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("api/openapi.gen.go is stale: run go generate ./api and commit it")
	}
}

// TestWrapperTemplateIsTheGenerators: templates/gin-wrappers.tmpl is the
// pinned generator's own template but for its header and the one change it
// states (the query parsed once per operation), so a new generator version
// cannot be shadowed by a stale copy unnoticed.
func TestWrapperTemplateIsTheGenerators(t *testing.T) {
	out, err := exec.Command("go", "mod", "download", "-json", "github.com/oapi-codegen/oapi-codegen/v2").Output()
	if err != nil {
		t.Fatalf("go mod download: %v", err)
	}
	var mod struct{ Dir string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		t.Fatalf("go mod download: %v: %s", err, out)
	}
	orig, err := os.ReadFile(filepath.Join(mod.Dir, "pkg/codegen/templates/gin/gin-wrappers.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	ours, err := os.ReadFile("templates/gin-wrappers.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	_, body, ok := strings.Cut(string(ours), "*/}}\n")
	if !ok {
		t.Fatal("templates/gin-wrappers.tmpl lost its header")
	}
	parse := "\n    {{if .QueryParams}}\n    // The query, parsed once for all its parameters (scamgraph's change).\n" +
		"    query := c.Request.URL.Query()\n    _ = query\n    {{end}}\n"
	undone := strings.Replace(body, parse, "\n", 1)
	undone = strings.ReplaceAll(undone, `"{{.ParamName}}", query, &params`, `"{{.ParamName}}", c.Request.URL.Query(), &params`)
	if undone == body || undone != string(orig) {
		t.Fatal("templates/gin-wrappers.tmpl differs from the generator's template by more than its stated change: copy the generator's again and redo the change")
	}
}

// TestDocumentStatesDomainBounds: the bounds, defaults and enums the domain
// owns are the document's.
func TestDocumentStatesDomainBounds(t *testing.T) {
	doc := loadDoc(t)
	param := func(path, name string) *openapi3.Schema {
		op := doc.Paths.Value(path).Get
		p := op.Parameters.GetByInAndName("query", name)
		if p == nil {
			t.Fatalf("%s has no parameter %s", path, name)
		}
		return p.Schema.Value
	}
	ints := []struct {
		path, name    string
		max, default_ int
	}{
		{"/v1/search", "limit", graph.MaxSearchLimit, graph.DefaultSearchLimit},
		{"/v1/entities/{id}/neighbors", "depth", graph.MaxNeighborDepth, 1},
		{"/v1/entities/{id}/neighbors", "limit", graph.MaxNeighborLimit, graph.DefaultNeighborLimit},
		{"/v1/paths", "max_hops", graph.MaxPathHops, graph.DefaultPathHops},
		{"/v1/paths", "limit", graph.MaxPathsReturned, graph.DefaultPathsLimit},
		{"/v1/paths", "max_degree", graph.MaxPathHubDegree, graph.DefaultPathHubDegree},
		{"/v1/queries/prosecuted-compound-links", "max_hops", graph.MaxPathHops, graph.DefaultLinkHops},
		{"/v1/queries/prosecuted-compound-links", "limit", graph.MaxPathsReturned, graph.DefaultPathsLimit},
		{"/v1/queries/official-links", "max_hops", graph.MaxPathHops, graph.DefaultLinkHops},
		{"/v1/queries/official-links", "limit", graph.MaxPathsReturned, graph.DefaultPathsLimit},
		{"/v1/queries/ownership-chains/{id}", "max_hops", graph.MaxPathHops, graph.DefaultLinkHops},
		{"/v1/judgements", "limit", graph.MaxJudgementsLimit, graph.DefaultJudgementsLimit},
	}
	for _, c := range ints {
		t.Run(c.path+" "+c.name, func(t *testing.T) {
			s := param(c.path, c.name)
			if s.Min == nil || *s.Min != 1 || s.Max == nil || int(*s.Max) != c.max || fmt.Sprint(s.Default) != fmt.Sprint(c.default_) {
				t.Fatalf("document says %v..%v default %v; the domain 1..%d default %d", s.Min, s.Max, s.Default, c.max, c.default_)
			}
		})
	}
	t.Run("search text", func(t *testing.T) {
		if s := param("/v1/search", "q"); s.MaxLength == nil || *s.MaxLength != graph.MaxSearchTextLen {
			t.Fatalf("q maxLength %v, want %d", s.MaxLength, graph.MaxSearchTextLen)
		}
	})
	enum := func(name string) []string {
		var out []string
		for _, e := range doc.Components.Schemas[name].Value.Enum {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	names := func(ss ...[]string) []string { return slices.Concat(ss...) }
	var kinds, rels, evs []string
	for _, k := range graph.AllKinds() {
		kinds = append(kinds, string(k))
	}
	for _, r := range append(graph.RelTypes(), graph.RelMentionedIn) {
		rels = append(rels, string(r))
	}
	for _, e := range graph.Evidences() {
		evs = append(evs, string(e))
	}
	for r := 1; r <= 6; r++ {
		if graph.EvidenceForRank(r).Rank() != r {
			t.Fatalf("no evidence grade has rank %d", r)
		}
	}
	for _, c := range []struct {
		schema string
		want   []string
	}{
		{"Kind", kinds}, {"RelType", rels},
		{"MinEvidence", names(evs, strings.Fields("1 2 3 4 5 6"))},
		{"PathMode", []string{string(graph.PathShortest), string(graph.PathAll)}},
	} {
		if got := enum(c.schema); !slices.Equal(got, c.want) {
			t.Errorf("schema %s enum %v, the domain's %v", c.schema, got, c.want)
		}
	}
	if s := doc.Components.Schemas["EntityID"].Value; s.MaxLength == nil || *s.MaxLength != graph.MaxIDLen {
		t.Errorf("EntityID maxLength %v, want graph.MaxIDLen %d", s.MaxLength, graph.MaxIDLen)
	}
}

// badReader answers an entity the document does not allow (an unknown
// kind, no aliases list).
type badReader struct{ fakeReader }

func (badReader) Entity(ctx context.Context, q graph.EntityQuery) (graph.EntityDetail, error) {
	return graph.EntityDetail{Entity: graph.Entity{ID: q.ID, Kinds: []graph.Kind{"dragon"}, Name: "x"}}, nil
}

// TestCheckAnswersCatchesMismatch: the answer check every test server
// runs does fail on an answer outside the document.
func TestCheckAnswersCatchesMismatch(t *testing.T) {
	var reported []error
	s := newTestServerConfig(t, api.Config{Reader: &badReader{}, CheckAnswers: func(_, _ string, err error) { reported = append(reported, err) }})
	if rec := s.do("GET", "/v1/entities/x"); rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	if len(reported) != 1 || !strings.Contains(reported[0].Error(), "dragon") {
		t.Fatalf("reported %v, want one mismatch naming the bad kind", reported)
	}
}
