package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/api"
)

var ginParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// TestOpenAPIMatchesRoutes walks gin's routes: each is in the document
// with its method, and each documented path and operation is a route.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := api.New(api.Config{Reader: &fakeReader{}, Keys: &memKeys{}, Logger: discardLogger()})
	doc := loadOpenAPI(t)
	paths := doc.root["paths"].(map[string]any)
	routes := map[string]bool{}
	for _, r := range e.Routes() {
		p := ginParam.ReplaceAllString(r.Path, "{$1}")
		key := strings.ToLower(r.Method) + " " + p
		routes[key] = true
		t.Run("route "+key, func(t *testing.T) {
			item, ok := paths[p].(map[string]any)
			if !ok {
				t.Fatalf("%s is not in the OpenAPI document", p)
			}
			if _, ok := item[strings.ToLower(r.Method)]; !ok {
				t.Fatalf("%s %s is not in the OpenAPI document", r.Method, p)
			}
		})
	}
	var documented []string
	for p, item := range paths {
		for method := range item.(map[string]any) {
			documented = append(documented, method+" "+p)
		}
	}
	sort.Strings(documented)
	for _, key := range documented {
		t.Run("documented "+key, func(t *testing.T) {
			if !routes[key] {
				t.Fatalf("%s is documented but not routed", key)
			}
		})
	}
	t.Run("path parameters documented", func(t *testing.T) {
		for p, item := range paths {
			for _, name := range regexp.MustCompile(`\{(\w+)\}`).FindAllStringSubmatch(p, -1) {
				found := false
				for _, prm := range item.(map[string]any)["get"].(map[string]any)["parameters"].([]any) {
					pm := prm.(map[string]any)
					if pm["name"] == name[1] && pm["in"] == "path" && pm["required"] == true {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: path parameter %s not documented", p, name[1])
				}
			}
		}
	})
}

func TestOpenAPIServed(t *testing.T) {
	e := api.New(api.Config{Reader: &fakeReader{}, Keys: &memKeys{}, Logger: discardLogger()})
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.json", nil))
	var doc map[string]any
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &doc) != nil || doc["openapi"] != "3.0.3" {
		t.Fatalf("GET /openapi.json = %d %.200s", rec.Code, rec.Body.String())
	}
	refs := regexp.MustCompile(`"#/components/schemas/(\w+)"`).FindAllStringSubmatch(rec.Body.String(), -1)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for _, r := range refs {
		if _, ok := schemas[r[1]]; !ok {
			t.Errorf("$ref to undefined schema %s", r[1])
		}
	}
}
