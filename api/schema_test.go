package api_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/api"
)

// A small JSON Schema validator for the subset the OpenAPI document uses:
// $ref, type, properties, required, additionalProperties, items, enum,
// allOf, oneOf, minimum, pattern.

type schemaDoc struct {
	root map[string]any
}

func loadOpenAPI(t testing.TB) schemaDoc {
	t.Helper()
	b, err := json.Marshal(api.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(b, &root); err != nil {
		t.Fatal(err)
	}
	return schemaDoc{root: root}
}

// responseSchema finds the schema of a documented response.
func (d schemaDoc) responseSchema(path string, status int, mediaType string) (map[string]any, error) {
	p, ok := d.root["paths"].(map[string]any)[path].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("path %s not documented", path)
	}
	resp, ok := p["get"].(map[string]any)["responses"].(map[string]any)[fmt.Sprint(status)].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("GET %s: status %d not documented", path, status)
	}
	content, _ := resp["content"].(map[string]any)
	mt, ok := content[mediaType].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("GET %s %d: media type %s not documented", path, status, mediaType)
	}
	return mt["schema"].(map[string]any), nil
}

func (d schemaDoc) resolve(s map[string]any) map[string]any {
	for {
		r, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		name := strings.TrimPrefix(r, "#/components/schemas/")
		s = d.root["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
	}
}

// validate returns the problems of v against s, each with its JSON path.
func (d schemaDoc) validate(s map[string]any, v any, at string) []string {
	s = d.resolve(s)
	var errs []string
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			errs = append(errs, d.validate(sub.(map[string]any), v, at)...)
		}
	}
	if one, ok := s["oneOf"].([]any); ok {
		n := 0
		for _, sub := range one {
			if len(d.validate(sub.(map[string]any), v, at)) == 0 {
				n++
			}
		}
		if n != 1 {
			errs = append(errs, fmt.Sprintf("%s: matches %d of the oneOf schemas, want 1", at, n))
		}
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			if e == v {
				found = true
			}
		}
		if !found {
			errs = append(errs, fmt.Sprintf("%s: %v is not in the enum", at, v))
		}
	}
	typ, _ := s["type"].(string)
	switch typ {
	case "object":
		o, ok := v.(map[string]any)
		if !ok {
			return append(errs, fmt.Sprintf("%s: want object, got %T", at, v))
		}
		props, _ := s["properties"].(map[string]any)
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, ok := o[r.(string)]; !ok {
					errs = append(errs, fmt.Sprintf("%s: missing required %s", at, r))
				}
			}
		}
		keys := make([]string, 0, len(o))
		for k := range o {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, d.validate(ps, o[k], at+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					errs = append(errs, fmt.Sprintf("%s: unexpected property %s", at, k))
				}
			case map[string]any:
				errs = append(errs, d.validate(ap, o[k], at+"."+k)...)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return append(errs, fmt.Sprintf("%s: want array, got %T", at, v))
		}
		if items, ok := s["items"].(map[string]any); ok {
			for i, x := range a {
				errs = append(errs, d.validate(items, x, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return append(errs, fmt.Sprintf("%s: want string, got %T", at, v))
		}
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			errs = append(errs, fmt.Sprintf("%s: %q does not match %s", at, str, p))
		}
	case "integer", "number":
		f, ok := v.(float64)
		if !ok || typ == "integer" && f != float64(int64(f)) {
			return append(errs, fmt.Sprintf("%s: want %s, got %v", at, typ, v))
		}
		if min, ok := s["minimum"].(float64); ok && f < min {
			errs = append(errs, fmt.Sprintf("%s: %v is below %v", at, f, min))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			errs = append(errs, fmt.Sprintf("%s: want boolean, got %T", at, v))
		}
	}
	return errs
}

// checkResponse validates a JSON body against the documented response.
func (d schemaDoc) checkResponse(t *testing.T, path string, status int, mediaType string, body []byte) {
	t.Helper()
	s, err := d.responseSchema(path, status, mediaType)
	if err != nil {
		t.Fatal(err)
	}
	if mediaType == "application/graphml+xml" {
		return // a string
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	if errs := d.validate(s, v, "$"); len(errs) > 0 {
		t.Fatalf("GET %s %d does not match the document:\n%s\nbody: %.2000s", path, status, strings.Join(errs, "\n"), body)
	}
}

func TestSchemaValidator(t *testing.T) {
	d := loadOpenAPI(t)
	s := map[string]any{"$ref": "#/components/schemas/Problem"}
	tests := []struct {
		name string
		body string
		ok   bool
	}{
		{"valid", `{"type":"x","title":"Bad Request","status":400,"field":"q"}`, true},
		{"missing required", `{"type":"x","status":400}`, false},
		{"wrong type", `{"type":"x","title":"t","status":"400"}`, false},
		{"extra property", `{"type":"x","title":"t","status":400,"stack":"..."}`, false},
		{"not an object", `[]`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			if err := json.Unmarshal([]byte(tt.body), &v); err != nil {
				t.Fatal(err)
			}
			errs := d.validate(s, v, "$")
			if (len(errs) == 0) != tt.ok {
				t.Fatalf("errors %v, want ok=%v", errs, tt.ok)
			}
		})
	}
}
