package api_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/scamgraph/scamgraph/api"
)

const (
	docsAPI       = "../docs/api.md"
	endpointsFrom = "<!-- endpoints: generated from api/openapi.yaml by TestDocsEndpointsTable; UPDATE_DOCS=1 go test ./api -run TestDocsEndpointsTable rewrites it -->"
	endpointsTo   = "<!-- end of endpoints -->"
)

// TestDocsEndpointsTable keeps the endpoint table of docs/api.md what
// openapi.yaml says: every operation with its role and parameters (bounds
// and defaults included), so the two cannot drift.
func TestDocsEndpointsTable(t *testing.T) {
	doc := loadDoc(t)
	var b strings.Builder
	b.WriteString(endpointsFrom + "\n\n| Endpoint | Role | Parameters | What |\n|---|---|---|---|\n")
	for _, op := range api.Operations() {
		o := doc.Paths.Value(op.Path).GetOperation(op.Method)
		role := string(op.Role)
		if role == "" {
			role = "none"
		}
		var ps []string
		for _, p := range o.Parameters {
			if p.Value.In == "query" {
				ps = append(ps, paramText(p.Value))
			}
		}
		fmt.Fprintf(&b, "| `%s %s` | %s | %s | %s |\n", op.Method, op.Path, role, strings.Join(ps, ", "), strings.ReplaceAll(o.Summary, "|", "\\|"))
	}
	b.WriteString("\n" + endpointsTo)
	want := b.String()
	md, err := os.ReadFile(docsAPI)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?s)` + regexp.QuoteMeta(endpointsFrom) + `.*?` + regexp.QuoteMeta(endpointsTo))
	got := re.Find(md)
	if string(got) == want {
		return
	}
	if os.Getenv("UPDATE_DOCS") == "1" && got != nil {
		if err := os.WriteFile(docsAPI, re.ReplaceAll(md, []byte(strings.ReplaceAll(want, "$", "$$"))), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("docs/api.md's endpoint table is not openapi.yaml's; run UPDATE_DOCS=1 go test ./api -run TestDocsEndpointsTable. Want:\n%s", want)
}

func paramText(p *openapi3.Parameter) string {
	s := p.Schema.Value
	name := "`" + p.Name + "`"
	if p.Required {
		name += " (required)"
	}
	if s.Type.Is(openapi3.TypeArray) {
		name += " (repeatable)"
		s = s.Items.Value
	}
	if s.Min != nil && s.Max != nil {
		name += fmt.Sprintf(" %d-%d", int64(*s.Min), int64(*s.Max))
	}
	if s.Default != nil {
		name += fmt.Sprintf(" (default %v)", s.Default)
	}
	return name
}
