package api

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/gin-gonic/gin"
	"gopkg.in/yaml.v3"

	"github.com/scamgraph/scamgraph/api/guard"
	"github.com/scamgraph/scamgraph/graph"
)

//go:generate go tool oapi-codegen -config oapi-codegen.yaml -o openapi.gen.go openapi.yaml

// The contract: openapi.yaml is the API's one source. openapi.gen.go (the
// server interface, the parameter and answer types) is generated from it;
// at start the document is parsed once, and every route gets, from its
// operation, the guards it needs (x-scamgraph-role), its body limit and
// media types, and validation of its parameters and JSON body.

//go:embed openapi.yaml
var openapiYAML []byte

// contract is the parsed document.
type contract struct {
	doc  *openapi3.T
	json []byte // what GET /openapi.json serves: the YAML, as JSON
}

var spec = mustLoadContract(openapiYAML)

func mustLoadContract(b []byte) *contract {
	c, err := loadContract(b)
	if err != nil {
		panic(err) // openapi.yaml is embedded; TestContractLoads covers it
	}
	return c
}

func loadContract(b []byte) (*contract, error) {
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	j, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml as JSON: %w", err)
	}
	return &contract{doc: doc, json: j}, nil
}

// OpenAPIJSON returns the document GET /openapi.json serves.
func OpenAPIJSON() []byte { return slices.Clone(spec.json) }

// OpenAPIYAML returns the committed document, api/openapi.yaml.
func OpenAPIYAML() []byte { return slices.Clone(openapiYAML) }

var ginParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// route finds the operation of a gin route ("/v1/entities/:id").
func (k *contract) route(method, ginPath string) (*routers.Route, error) {
	p := ginParam.ReplaceAllString(ginPath, "{$1}")
	item := k.doc.Paths.Value(p)
	if item == nil || item.GetOperation(method) == nil {
		return nil, fmt.Errorf("%s %s is routed but not in openapi.yaml", method, p)
	}
	return &routers.Route{Spec: k.doc, Path: p, PathItem: item, Method: method, Operation: item.GetOperation(method)}, nil
}

// roleOf is the role an operation needs ("" for a public one).
func roleOf(op *openapi3.Operation) graph.Role {
	r, _ := op.Extensions["x-scamgraph-role"].(string)
	return graph.Role(r)
}

// contractRouter registers the generated handlers, each behind the
// middleware its operation asks for.
type contractRouter struct {
	gin.IRouter
	s    *server
	errs []error
}

func (r *contractRouter) GET(path string, h ...gin.HandlerFunc) gin.IRoutes {
	return r.Handle(http.MethodGet, path, h...)
}

func (r *contractRouter) POST(path string, h ...gin.HandlerFunc) gin.IRoutes {
	return r.Handle(http.MethodPost, path, h...)
}

func (r *contractRouter) DELETE(path string, h ...gin.HandlerFunc) gin.IRoutes {
	return r.Handle(http.MethodDelete, path, h...)
}

func (r *contractRouter) Handle(method, path string, h ...gin.HandlerFunc) gin.IRoutes {
	rt, err := spec.route(method, path)
	if err != nil {
		r.errs = append(r.errs, err)
		return r.IRouter
	}
	return r.IRouter.Handle(method, path, append(r.s.chain(rt), h...)...)
}

// chain is the middleware of one operation, in order: for a keyed route
// the per-IP rate limit, authentication, the per-key rate limit and the
// role; then the body limit and media type; then the parameters and the
// body against the document.
func (s *server) chain(rt *routers.Route) []gin.HandlerFunc {
	var hs []gin.HandlerFunc
	l := s.cfg.Limits
	if role := roleOf(rt.Operation); role != "" {
		hs = append(hs,
			guard.RateLimit(l.IPRateRPS, l.RateBurst, s.fail), // no principal yet: per client IP
			guard.Auth(s.keys, s.fail),
			guard.RateLimit(l.RateRPS, l.RateBurst, s.fail), // per key
			guard.Require(role, s.fail))
	}
	jsonBody := false
	if rb := rt.Operation.RequestBody; rb != nil && rb.Value != nil {
		limit := l.ImportMaxBytes // an upload
		if rb.Value.Content.Get("application/json") != nil {
			jsonBody, limit = true, l.MaxBodyBytes
		}
		hs = append(hs, guard.BodyLimit(limit, s.fail), s.extendConnDeadlines)
		if jsonBody {
			hs = append(hs, requireMediaType(rb.Value.Content, s.fail))
		}
	}
	if rt.Path == routeExport {
		hs = append(hs, s.extendConnDeadlines) // an answer that may take minutes to write
	}
	return append(hs, s.validate(rt, jsonBody))
}

// requireMediaType refuses a body whose Content-Type the operation does not
// read (415).
func requireMediaType(content openapi3.Content, onErr guard.OnError) gin.HandlerFunc {
	return func(c *gin.Context) {
		mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
		if err != nil || content.Get(mt) == nil {
			c.Abort()
			onErr(c, graph.Errorf(graph.CodeUnsupportedMediaType, "Content-Type",
				"%q is not a media type this endpoint reads (want %s)", clip(c.GetHeader("Content-Type")), strings.Join(slices.Sorted(maps.Keys(content)), ", ")))
			return
		}
		c.Next()
	}
}

// validate checks the request against its operation: first what a generic
// validator does not (a parameter the operation does not have, a
// single-valued one given twice; a repeatable one may also be
// comma-separated), then kin-openapi's validation of every parameter and of
// a JSON body. Failures are 400 problems naming the field.
func (s *server) validate(rt *routers.Route, jsonBody bool) gin.HandlerFunc {
	type qparam struct{ array, emptyIsAbsent bool }
	known := map[string]qparam{}
	var names []string
	for _, p := range rt.Operation.Parameters {
		if p.Value.In == openapi3.ParameterInQuery {
			sch := p.Value.Schema.Value
			known[p.Value.Name] = qparam{array: sch.Type.Is(openapi3.TypeArray),
				// An optional string given empty (focus=, format=) is left
				// out, as it always was; an empty number, flag or date is an
				// error naming it.
				emptyIsAbsent: !p.Value.Required && sch.Type.Is(openapi3.TypeString) && sch.Format != "date"}
			names = append(names, p.Value.Name)
		}
	}
	want := "it takes none"
	if len(names) > 0 {
		want = "want " + strings.Join(names, ", ")
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc, // guard.Auth did it
		ExcludeRequestBody:  !jsonBody,                             // an upload is streamed, never held
		SkipSettingDefaults: true,                                  // the domain's Normalize applies them
	}
	return func(c *gin.Context) {
		raw := c.Request.URL.Query()
		q := url.Values{}
		for _, k := range slices.Sorted(maps.Keys(raw)) { // the first bad one, deterministically
			switch p, ok := known[k]; {
			case k == "" || !utf8.ValidString(k):
				s.fail(c, invalid("query", "has a parameter without a valid name"))
				return
			case !ok:
				s.fail(c, invalid(clip(k), "is not a parameter of this endpoint (%s)", want))
				return
			case !p.array && len(raw[k]) > 1:
				s.fail(c, invalid(k, "is given %d times; give it once", len(raw[k])))
				return
			case p.emptyIsAbsent && strings.TrimSpace(raw[k][0]) == "":
			case p.array:
				for _, v := range raw[k] {
					for _, item := range strings.Split(v, ",") {
						if item = strings.TrimSpace(item); item != "" {
							q.Add(k, item)
						}
					}
				}
			default:
				q[k] = raw[k]
			}
		}
		c.Request.URL.RawQuery = q.Encode()
		// A JSON body is read whole here; another media type the operation
		// also reads (POST /v1/triage's text/plain) only by the validator.
		if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); jsonBody && mt == "application/json" {
			if err := readJSONBody(c.Request); err != nil {
				s.fail(c, err)
				return
			}
		}
		pathParams := map[string]string{}
		for _, p := range c.Params {
			pathParams[p.Key] = p.Value
		}
		in := &openapi3filter.RequestValidationInput{Request: c.Request, PathParams: pathParams, QueryParams: q, Route: rt, Options: opts}
		if err := openapi3filter.ValidateRequest(c.Request.Context(), in); err != nil {
			s.fail(c, requestProblem(err, raw, pathParams))
			return
		}
		c.Next()
	}
}

// readJSONBody reads a JSON body whole (it is under the body limit) and
// puts it back for the validator and the handler: empty, over the limit or
// more than one JSON value are refused here.
func readJSONBody(r *http.Request) error {
	if r.Body == nil {
		return invalid("body", "is empty; send a JSON object")
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		if tl := guard.TooLarge(err); graph.ErrorCode(tl) == graph.CodeTooLarge {
			return tl
		}
		return graph.WrapError(graph.CodeInvalid, err, "the request body could not be read")
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	if len(bytes.TrimSpace(b)) == 0 {
		return invalid("body", "is empty; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var v any
	if err := dec.Decode(&v); err != nil {
		return invalid("body", "is not JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return invalid("body", "holds more than one JSON value")
	}
	return nil
}

// requestProblem turns a kin-openapi validation error into our error: the
// parameter (or body member) it concerns, and what the document wants.
func requestProblem(err error, query url.Values, path map[string]string) error {
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		return invalid("request", "does not match the API document")
	}
	if p := re.Parameter; p != nil {
		if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) {
			return invalid(p.Name, "is required: %s", p.Description)
		}
		values := []string{path[p.Name]}
		if p.In == openapi3.ParameterInQuery {
			values = query[p.Name]
		}
		v := strings.Join(values, ",")
		s := p.Schema.Value
		if s.Type.Is(openapi3.TypeArray) && s.Items != nil {
			s = s.Items.Value // name the first item that is wrong
			for _, item := range strings.Split(v, ",") {
				if s.VisitJSON(strings.TrimSpace(item)) != nil {
					v = strings.TrimSpace(item)
					break
				}
			}
		}
		switch {
		case v == "":
			return invalid(p.Name, "is empty; give %s or leave %s out", describe(s), p.Name)
		case strings.HasSuffix(p.Schema.Ref, "/EntityID") || strings.HasSuffix(s.Format, "entity-id"):
			if err := graph.ValidateID(p.Name, v); err != nil {
				return err // the domain's own words
			}
		case s.Pattern != "" && len(s.Enum) == 0 && !s.Type.Is(openapi3.TypeInteger) && s.Format != "date":
			return invalid(p.Name, "%q is not what it takes: %s", clip(v), p.Description)
		}
		return invalid(p.Name, "%q is not %s", clip(v), describe(s))
	}
	if re.RequestBody != nil && errors.Is(re.Err, openapi3filter.ErrInvalidRequired) {
		return invalid("body", "is empty; send the request body")
	}
	var se *openapi3.SchemaError
	if errors.As(re.Err, &se) {
		field := "body"
		if ptr := se.JSONPointer(); len(ptr) > 0 {
			field = ptr[0]
		}
		return invalid(field, "%s", se.Reason)
	}
	return invalid("body", "does not match the API document")
}

// describe says in words what a parameter's schema accepts.
func describe(s *openapi3.Schema) string {
	if s == nil {
		return "valid"
	}
	if s.Type.Is(openapi3.TypeArray) && s.Items != nil {
		return "a list of " + describe(s.Items.Value)
	}
	switch {
	case len(s.Enum) > 0:
		names := make([]string, 0, len(s.Enum))
		for _, e := range s.Enum {
			names = append(names, fmt.Sprint(e))
		}
		return "one of " + strings.Join(names, ", ")
	case s.Type.Is(openapi3.TypeInteger) && s.Min != nil && s.Max != nil:
		return fmt.Sprintf("an integer between %s and %s", num(*s.Min), num(*s.Max))
	case s.Type.Is(openapi3.TypeInteger):
		return "an integer"
	case s.Type.Is(openapi3.TypeNumber) && s.Min != nil && s.Max != nil:
		return fmt.Sprintf("a number between %s and %s", num(*s.Min), num(*s.Max))
	case s.Type.Is(openapi3.TypeNumber):
		return "a number"
	case s.Type.Is(openapi3.TypeBoolean):
		return "true or false"
	case s.Format == "date":
		return "a date YYYY-MM-DD"
	case s.Pattern != "":
		return fmt.Sprintf("a string of at most %d bytes matching %s", derefOr(s.MaxLength, 0), s.Pattern)
	}
	return "a string"
}

// num writes a schema bound as people write it: 1000000, not 1e+06.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func derefOr(p *uint64, def uint64) uint64 {
	if p == nil {
		return def
	}
	return *p
}

// clip shortens user input quoted back in messages.
func clip(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "?")
	}
	if len(s) > 64 {
		cut := 64
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return s[:cut] + "..."
	}
	return s
}

func init() {
	// GraphML answers are text to the validator.
	openapi3filter.RegisterBodyDecoder("application/graphml+xml", openapi3filter.RegisteredBodyDecoder("text/plain"))
}

// teeWriter keeps a copy of what is written.
type teeWriter struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *teeWriter) WriteString(s string) (int, error) {
	w.body.WriteString(s)
	return w.ResponseWriter.WriteString(s)
}

// checkAnswers validates every answer of a documented route against the
// document (status, headers, media type, body), with kin-openapi; answers
// of no route (404, 405) must be problems.
func checkAnswers(report func(method, path string, err error)) gin.HandlerFunc {
	opts := &openapi3filter.Options{IncludeResponseStatus: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	return func(c *gin.Context) {
		tw := &teeWriter{ResponseWriter: c.Writer}
		c.Writer = tw
		c.Next()
		method, path := c.Request.Method, c.Request.URL.Path
		if c.FullPath() == "" {
			if ct := tw.Header().Get("Content-Type"); ct != ProblemContentType && tw.Status() != http.StatusNoContent {
				report(method, path, fmt.Errorf("answer %d of no route is %q, not a problem", tw.Status(), ct))
			}
			return
		}
		rt, err := spec.route(method, c.FullPath())
		if err != nil {
			report(method, path, err)
			return
		}
		pathParams := map[string]string{}
		for _, p := range c.Params {
			pathParams[p.Key] = p.Value
		}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: c.Request, PathParams: pathParams, Route: rt, Options: opts},
			Status:                 tw.Status(),
			Header:                 tw.Header(),
			Body:                   io.NopCloser(bytes.NewReader(tw.body.Bytes())),
			Options:                opts,
		}
		if err := openapi3filter.ValidateResponse(c.Request.Context(), in); err != nil {
			report(method, path, fmt.Errorf("answer %d does not match openapi.yaml: %w\nbody: %.1000s", tw.Status(), err, tw.body.Bytes()))
		}
	}
}

// Operation is one operation of openapi.yaml.
type Operation struct {
	Method, Path, ID string
	Role             graph.Role // "" for a public one
	Example          string     // x-scamgraph-example: a request TestRouteRoles sends
}

// Operations lists the document's operations, sorted by path and method.
func Operations() []Operation {
	var out []Operation
	for _, p := range spec.doc.Paths.InMatchingOrder() {
		for m, op := range spec.doc.Paths.Value(p).Operations() {
			ex, _ := op.Extensions["x-scamgraph-example"].(string)
			out = append(out, Operation{Method: m, Path: p, ID: op.OperationID, Role: roleOf(op), Example: ex})
		}
	}
	slices.SortFunc(out, func(a, b Operation) int { return strings.Compare(a.Path+" "+a.Method, b.Path+" "+b.Method) })
	return out
}
