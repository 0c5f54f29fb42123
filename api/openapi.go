package api

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/graph"
)

// The OpenAPI document is built from the tables below, which also give
// GET /v1/queries its list of named queries. TestOpenAPIMatchesRoutes keeps
// the document and the registered routes equal; the integration tests
// validate answers against its schemas.

// ParamDoc documents one parameter.
type ParamDoc struct {
	Name        string   `json:"name"`
	In          string   `json:"in"` // query or path
	Type        string   `json:"type"`
	Required    bool     `json:"required"`
	Repeatable  bool     `json:"repeatable,omitempty"`
	Enum        []string `json:"enum,omitempty"`
	Default     any      `json:"default,omitempty"`
	Minimum     *int     `json:"minimum,omitempty"`
	Maximum     *int     `json:"maximum,omitempty"`
	Pattern     string   `json:"pattern,omitempty"`    // for strings: what the parser accepts
	MaxLength   int      `json:"max_length,omitempty"` // for strings, 0: none
	Description string   `json:"description"`
}

// Patterns the parameter parsers enforce, stated in the document so that
// clients (and Schemathesis) know them.
const (
	idPattern    = `^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$` // graph.ValidateID
	runIDPattern = `^run-[A-Za-z0-9-]+$`              // ParseImportRunID
	datePattern  = `^(1[89]|2[01])\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$`
)

// EndpointDoc documents one endpoint.
type EndpointDoc struct {
	Name          string     `json:"name"`
	Path          string     `json:"path"` // OpenAPI form: /v1/entities/{id}
	Summary       string     `json:"summary"`
	Description   string     `json:"description,omitempty"`
	Params        []ParamDoc `json:"parameters"`
	Formats       bool       `json:"graph_formats"` // format=json|cytoscape|graphml
	Schema        string     `json:"-"`             // the 200 JSON schema
	Named         bool       `json:"-"`             // a named investigative query
	NoErrors      bool       `json:"-"`             // healthz: always 200
	Ready         bool       `json:"-"`             // readyz: 200 or 503
	Method        string     `json:"-"`             // "" is GET
	Role          graph.Role `json:"-"`             // the role it needs; "" is public
	Body          *BodyDoc   `json:"-"`             // a POST's request body
	Created       bool       `json:"-"`             // may answer 201 (with Schema) besides 200
	Problems      []int      `json:"-"`             // statuses beyond the usual ones, answered with ProblemSchema
	ProblemSchema string     `json:"-"`             // the schema of Problems (default Problem)
}

// BodyDoc documents a request body.
type BodyDoc struct {
	MediaTypes  []string
	Schema      m // for every media type
	Description string
}

func (e EndpointDoc) method() string {
	if e.Method == "" {
		return http.MethodGet
	}
	return e.Method
}

func ip(n int) *int { return &n }

func pathID(desc string) ParamDoc {
	return ParamDoc{Name: "id", In: "path", Type: "string", Required: true, Pattern: idPattern, MaxLength: 200,
		Description: desc + " (URL-escape a / in it as %2F)"}
}

// queryID documents an entity id given as a query parameter.
func queryID(name string, required bool, desc string) ParamDoc {
	return ParamDoc{Name: name, In: "query", Type: "string", Required: required, Pattern: idPattern, MaxLength: 200, Description: desc}
}

var (
	pAsOf = ParamDoc{Name: "as_of", In: "query", Type: "date",
		Description: "YYYY-MM-DD: answer as the graph stood then (see docs/api.md, as_of)"}
	pFormat = ParamDoc{Name: "format", In: "query", Type: "string", Enum: []string{"json", "cytoscape", "graphml"}, Default: "json",
		Description: "json: {nodes, edges}; cytoscape: Cytoscape.js elements; graphml: GraphML XML for Gephi or yEd"}
	pRel = ParamDoc{Name: "rel", In: "query", Type: "string", Repeatable: true, Enum: relEnum(),
		Description: "only these relationship types (repeat or comma-separate); default every type but MENTIONED_IN"}
	pKind = ParamDoc{Name: "kind", In: "query", Type: "string", Repeatable: true, Enum: kindEnum(),
		Description: "only entities of these kinds (repeat or comma-separate)"}
	pCursor = ParamDoc{Name: "cursor", In: "query", Type: "string",
		Description: "opaque: next_cursor of the previous page, with the same other parameters"}
	pMaxHops = ParamDoc{Name: "max_hops", In: "query", Type: "integer", Default: graph.DefaultPathHops,
		Minimum: ip(1), Maximum: ip(graph.MaxPathHops), Description: "the longest path, in relationships"}
	pLinkHops = ParamDoc{Name: "max_hops", In: "query", Type: "integer", Default: graph.DefaultLinkHops,
		Minimum: ip(1), Maximum: ip(graph.MaxPathHops), Description: "the longest link, in relationships"}
	pMinEvidence = ParamDoc{Name: "min_evidence", In: "query", Type: "string", Enum: evidenceEnum(),
		Description: "only relationships with at least this evidence grade (or its rank 1-6)"}
	pLinkLimit = ParamDoc{Name: "limit", In: "query", Type: "integer", Default: graph.DefaultPathsLimit,
		Minimum: ip(1), Maximum: ip(graph.MaxPathsReturned), Description: "the most results"}
)

// Endpoints lists every endpoint of the API.
var Endpoints = []EndpointDoc{
	{Name: "healthz", Path: "/healthz", Summary: "The process is alive (does not touch the database)", Schema: "Status", NoErrors: true},
	{Name: "readyz", Path: "/readyz", Summary: "Neo4j answers a ping within the ready timeout (else 503 with Retry-After)", Schema: "Status", Ready: true},
	{Name: "openapi", Path: "/openapi.json", Summary: "This document", Schema: "OpenAPI", NoErrors: true},
	{Name: "search", Path: "/v1/search", Summary: "Full-text, fuzzy search over names and aliases",
		Params: []ParamDoc{
			{Name: "q", In: "query", Type: "string", Required: true, Pattern: `\S`, MaxLength: 200, Description: "the words to find (at most 200 bytes)"},
			pKind,
			{Name: "limit", In: "query", Type: "integer", Default: graph.DefaultSearchLimit, Minimum: ip(1), Maximum: ip(graph.MaxSearchLimit), Description: "hits per page"},
			pCursor,
		}, Schema: "SearchPage", Role: graph.RoleReader,
		Description: "Every word must match: exactly, with a typo or two, or as a prefix; case and diacritics are folded. Victims are left out for roles that may not see their personal details (reader, importer)."},
	{Name: "entity", Path: "/v1/entities/{id}", Summary: "One entity: kinds, properties, aliases, sources, relationship counts",
		Params: []ParamDoc{pathID("entity id")}, Schema: "EntityDetail", Role: graph.RoleReader},
	{Name: "neighbors", Path: "/v1/entities/{id}/neighbors", Summary: "An entity's neighbourhood, paged",
		Description: "Neighbours within depth hops, ordered by distance then id. Beyond depth 1 the expansion is bounded per hop; truncated says when a bound or the page cut it.",
		Params: []ParamDoc{pathID("the root entity's id"),
			{Name: "depth", In: "query", Type: "integer", Default: 1, Minimum: ip(1), Maximum: ip(graph.MaxNeighborDepth), Description: "hops from the root"},
			pRel, pKind,
			{Name: "limit", In: "query", Type: "integer", Default: graph.DefaultNeighborLimit, Minimum: ip(1), Maximum: ip(graph.MaxNeighborLimit), Description: "neighbours per page"},
			pCursor, pAsOf, pFormat,
		}, Formats: true, Schema: "Subgraph", Role: graph.RoleReader},
	{Name: "paths", Path: "/v1/paths", Summary: "How two entities are connected",
		Description: "Shortest paths (every path of the least length) or the shortest simple paths up to max_hops, not passing through hubs (see max_degree). Relationship direction is ignored; each hop carries its relationship with dates, evidence and sources.",
		Params: []ParamDoc{
			queryID("from", true, "entity id"),
			queryID("to", true, "entity id"),
			pMaxHops,
			{Name: "mode", In: "query", Type: "string", Enum: []string{"shortest", "all"}, Default: "shortest", Description: "shortest: all shortest paths; all: simple paths up to max_hops, shortest first"},
			pRel, pMinEvidence, pAsOf, pLinkLimit,
			{Name: "max_degree", In: "query", Type: "integer", Default: graph.DefaultPathHubDegree, Minimum: ip(1), Maximum: ip(graph.MaxPathHubDegree),
				Description: "paths do not pass through a node with more relationships than this (hubs: countries, ministries, much-cited sources); the two ends are exempt. Raising it finds links through hubs, and costs time on a large graph"},
			pFormat,
		}, Formats: true, Schema: "PathsResponse", Role: graph.RoleReader},
	{Name: "stats", Path: "/v1/stats", Summary: "Counts of entities by kind and relationships by type", Schema: "Stats", Role: graph.RoleReader},
	{Name: "queries", Path: "/v1/queries", Summary: "The named investigative queries and their parameters", Schema: "QueryList", Role: graph.RoleReader},
	{Name: "prosecuted-compound-links", Path: "/v1/queries/prosecuted-compound-links", Named: true,
		Summary: "People arrested, charged, indicted, convicted or extradited, linked to scam compounds within max_hops",
		Params: []ParamDoc{pLinkHops, pMinEvidence, pAsOf, pLinkLimit,
			queryID("person", false, "only links of this person (entity id)"), pFormat},
		Formats: true, Schema: "ProsecutedLinksResponse", Role: graph.RoleReader},
	{Name: "official-links", Path: "/v1/queries/official-links", Named: true,
		Summary: "Officials linked to tycoons or companies within max_hops",
		Params: []ParamDoc{pLinkHops, pAsOf, pLinkLimit,
			queryID("focus", false, "only links that start or end at this entity (id)"), pFormat},
		Formats: true, Schema: "OfficialLinksResponse", Role: graph.RoleReader},
	{Name: "compound-network", Path: "/v1/queries/compound-network/{id}", Named: true,
		Summary: "Everything tied to one compound: owners, operators, companies, officials, events, locations, victims",
		Params:  []ParamDoc{pathID("the compound's id"), pAsOf, pFormat}, Formats: true, Schema: "CompoundNetwork", Role: graph.RoleReader},
	{Name: "victims-by-nationality", Path: "/v1/queries/victims-by-nationality", Named: true,
		Summary: "Victims summed by nationality and compound",
		Params: []ParamDoc{
			{Name: "nationality", In: "query", Type: "string", Description: "ISO 3166-1 alpha-2 code, such as ID or IN"},
			queryID("compound", false, "only victims tied to this compound (id)"),
			pAsOf,
		}, Schema: "VictimsResponse", Role: graph.RoleReader},
	{Name: "timeline", Path: "/v1/queries/timeline/{id}", Named: true,
		Summary: "An entity's dated events and relationship starts and ends, in date order",
		Params:  []ParamDoc{pathID("entity id"), pAsOf}, Schema: "TimelineResponse", Role: graph.RoleReader},
	{Name: "ownership-chains", Path: "/v1/queries/ownership-chains/{id}", Named: true,
		Summary: "Chains of OWNS, CONTROLS, DIRECTS and OPERATES up to the ultimate owners",
		Params:  []ParamDoc{pathID("the owned entity's id"), pLinkHops, pAsOf, pFormat}, Formats: true, Schema: "OwnershipResponse", Role: graph.RoleReader},
	{Name: "cypher", Path: "/v1/cypher", Method: http.MethodPost, Role: graph.RoleAnalyst,
		Summary: "Run one read-only Cypher statement (analysts and admins)",
		Description: "The statement passes a pre-check, Neo4j's own plan check and runs in a read-only transaction that is rolled back; " +
			"anything that could write, administer, load files or call a procedure outside the allow-list is refused with 400 on field query " +
			"(see docs/security.md). Rows stop at CYPHER_MAX_ROWS and 16 MiB (truncated: true).",
		Body: &BodyDoc{MediaTypes: []string{"application/json"}, Schema: ref("CypherRequest"),
			Description: "params are optional: integral JSON numbers become integers, objects maps, arrays lists"},
		Schema: "CypherResult", Problems: []int{http.StatusRequestEntityTooLarge}},
	{Name: "import", Path: "/v1/imports", Method: http.MethodPost, Role: graph.RoleImporter,
		Summary: "Import one NDJSON or CSV file, sent as the raw request body (importers and admins)",
		Description: "Exactly what `scamgraph import FILE` does: every record is validated first; by default one bad record means nothing is written " +
			"(422, with the report and its file:line problems as the member report). 201 with Location: /v1/imports/{run id} when the import was written; " +
			"200 for a dry run. The body is at most IMPORT_MAX_BYTES (413 beyond).",
		Params: []ParamDoc{
			{Name: "name", In: "query", Type: "string", Required: true, Description: "the file's name, ending .ndjson, .jsonl or .csv (the format); it names the file in problems and the run"},
			{Name: "skip_bad", In: "query", Type: "boolean", Default: false, Description: "import the good records even when some are bad (the bad ones are still reported)"},
			{Name: "dry_run", In: "query", Type: "boolean", Default: false, Description: "validate and report what would change; write nothing"},
		},
		Body: &BodyDoc{MediaTypes: []string{"application/x-ndjson", "text/csv", "application/octet-stream"}, Schema: m{"type": "string", "format": "binary"},
			Description: "the import file itself (docs/import-format.md)"},
		Schema: "ImportReport", Created: true, Problems: []int{http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity}, ProblemSchema: "ImportProblem"},
	{Name: "import-run", Path: "/v1/imports/{id}", Role: graph.RoleImporter,
		Summary: "A stored import run (importers and admins)",
		Params:  []ParamDoc{{Name: "id", In: "path", Type: "string", Required: true, Pattern: runIDPattern, MaxLength: 64, Description: "a run id, from run_ids of an import's report"}},
		Schema:  "ImportRun"},
}

func kindEnum() []string {
	var s []string
	for _, k := range graph.AllKinds() {
		s = append(s, string(k))
	}
	return s
}

func relEnum() []string {
	var s []string
	for _, t := range append(graph.RelTypes(), graph.RelMentionedIn) {
		s = append(s, string(t))
	}
	return s
}

func evidenceEnum() []string {
	var s []string
	for _, e := range graph.Evidences() {
		s = append(s, string(e))
	}
	return s
}

// QueryList is the answer of GET /v1/queries.
type QueryList struct {
	Queries []EndpointDoc `json:"queries"`
}

func (s *server) listQueries(c *gin.Context) {
	if err := ParseNoParams(c.Request.URL.Query()); err != nil {
		s.fail(c, err)
		return
	}
	out := QueryList{Queries: []EndpointDoc{}}
	for _, e := range Endpoints {
		if e.Named {
			out.Queries = append(out.Queries, e)
		}
	}
	c.JSON(http.StatusOK, out)
}

var openapiDoc = mustJSON(OpenAPI())

func mustJSON(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err) // built from maps of strings, ints and bools
	}
	return b
}

func (s *server) openapi(c *gin.Context) {
	c.Data(http.StatusOK, "application/json; charset=utf-8", openapiDoc)
}

type m = map[string]any

func ref(name string) m { return m{"$ref": "#/components/schemas/" + name} }

func arr(items any) m { return m{"type": "array", "items": items} }

func obj(required []string, props m) m {
	o := m{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func str() m { return m{"type": "string"} }

// OpenAPI returns the OpenAPI 3.0 document of the API.
func OpenAPI() map[string]any {
	paths := m{}
	problem := func(desc string) m {
		return m{"description": desc, "content": m{ProblemContentType: m{"schema": ref("Problem")}}}
	}
	retryAfter := m{"Retry-After": m{"description": "seconds to wait before trying again", "schema": m{"type": "integer"}}}
	for _, e := range Endpoints {
		op := m{"operationId": e.Name, "summary": e.Summary}
		if e.Description != "" {
			op["description"] = e.Description
		}
		var params []any
		for _, p := range e.Params {
			params = append(params, paramSchema(p))
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if e.Body != nil {
			content := m{}
			for _, mt := range e.Body.MediaTypes {
				content[mt] = m{"schema": e.Body.Schema}
			}
			op["requestBody"] = m{"required": true, "description": e.Body.Description, "content": content}
		}
		ok := m{"application/json": m{"schema": ref(e.Schema)}}
		if e.Formats {
			ok["application/json"] = m{"schema": m{"oneOf": []any{ref(e.Schema), ref("CytoscapeGraph")}}}
			ok["application/graphml+xml"] = m{"schema": str()}
		}
		responses := m{"200": m{"description": "OK", "content": ok}}
		if e.Created {
			responses["201"] = m{"description": "Created: the import was written; Location is its run",
				"headers": m{"Location": m{"description": "/v1/imports/{run id}", "schema": str()}},
				"content": m{"application/json": m{"schema": ref(e.Schema)}}}
		}
		switch {
		case e.Ready:
			r := problem("Neo4j does not answer; Retry-After says when to try again")
			r["headers"] = retryAfter
			responses["503"] = r
		case !e.NoErrors:
			responses["400"] = problem("a parameter or the body is wrong; field names it")
			if strings.Contains(e.Path, "{id}") || e.Name == "paths" || e.Named {
				responses["404"] = problem("no entity (or run) with that id")
			}
			r := problem("the database is unavailable; Retry-After says when to try again")
			r["headers"] = retryAfter
			responses["503"] = r
			responses["504"] = problem("the query ran out of time")
		}
		if e.Role != "" {
			op["security"] = []any{m{"bearerAuth": []any{}}}
			op["x-scamgraph-role"] = string(e.Role)
			r401 := problem("no API key, or one that is malformed, unknown or revoked")
			r401["headers"] = m{"WWW-Authenticate": m{"description": `Bearer realm="scamgraph"`, "schema": str()}}
			responses["401"] = r401
			responses["403"] = problem("the key's role may not do this (needs " + string(e.Role) + ")")
			r429 := problem("over the rate limit (per client IP before the key is checked, then per key)")
			r429["headers"] = retryAfter
			responses["429"] = r429
		} else {
			op["security"] = []any{}
		}
		ps := e.ProblemSchema
		if ps == "" {
			ps = "Problem"
		}
		for _, st := range e.Problems {
			desc := http.StatusText(st)
			switch st {
			case http.StatusRequestEntityTooLarge:
				desc = "the body is over its limit"
			case http.StatusUnprocessableEntity:
				desc = "bad records: nothing was written; report.problems says file:line: reason"
			}
			responses[strconv.Itoa(st)] = m{"description": desc, "content": m{ProblemContentType: m{"schema": ref(ps)}}}
		}
		if e.ProblemSchema != "" {
			// Failures of an import carry the report as far as it got.
			for code, r := range responses {
				if code >= "400" {
					r.(m)["content"] = m{ProblemContentType: m{"schema": m{"oneOf": []any{ref("Problem"), ref(ps)}}}}
				}
			}
		}
		responses["500"] = problem("a bug; details are in the server log only")
		op["responses"] = responses
		item, _ := paths[e.Path].(m)
		if item == nil {
			item = m{}
			paths[e.Path] = item
		}
		item[strings.ToLower(e.method())] = op
	}
	return m{
		"openapi": "3.0.3",
		"info": m{"title": "scamgraph investigator API", "version": "1",
			"description": "API over the scamgraph investigation graph. Every /v1 route needs an API key (Authorization: Bearer sg_…) whose role allows it: " +
				"reader (the read API), analyst (+ POST /v1/cypher, victims' personal details), importer (+ imports), admin (everything). See docs/api.md and docs/security.md."},
		"paths": paths,
		"components": m{
			"schemas": schemas(),
			"securitySchemes": m{"bearerAuth": m{"type": "http", "scheme": "bearer", "bearerFormat": "sg_ and 43 base64url characters",
				"description": "an API key made with `scamgraph keys create`"}},
		},
	}
}

func paramSchema(p ParamDoc) m {
	var sch m
	switch p.Type {
	case "integer":
		sch = m{"type": "integer"}
		if p.Minimum != nil {
			sch["minimum"] = *p.Minimum
		}
		if p.Maximum != nil {
			sch["maximum"] = *p.Maximum
		}
	case "date":
		sch = m{"type": "string", "format": "date", "pattern": datePattern}
	case "boolean":
		sch = m{"type": "boolean"}
	default:
		sch = str()
		if len(p.Enum) > 0 {
			sch["enum"] = p.Enum
		}
		if p.Pattern != "" {
			sch["pattern"] = p.Pattern
		}
		if p.MaxLength > 0 {
			sch["minLength"], sch["maxLength"] = 1, p.MaxLength
		}
	}
	if p.Default != nil {
		sch["default"] = p.Default
	}
	out := m{"name": p.Name, "in": p.In, "required": p.Required, "description": p.Description}
	if p.Repeatable {
		out["schema"] = arr(sch)
		out["style"], out["explode"] = "form", true
	} else {
		out["schema"] = sch
	}
	return out
}

func schemas() m {
	date := m{"type": "string", "pattern": `^\d{4}-\d{2}-\d{2}$`}
	strs := arr(str())
	anyProps := m{"type": "object", "additionalProperties": true}
	entityProps := m{
		"id": str(), "kinds": arr(m{"type": "string", "enum": kindEnum()}), "name": str(),
		"aliases": strs, "sources": strs, "properties": anyProps,
	}
	entityReq := []string{"id", "kinds", "name", "aliases", "sources", "properties"}
	detailProps := m{"relationship_counts": arr(obj([]string{"type", "direction", "count"}, m{
		"type": m{"type": "string", "enum": relEnum()}, "direction": m{"type": "string", "enum": []string{"out", "in"}},
		"count": m{"type": "integer", "minimum": 0},
	}))}
	for k, v := range entityProps {
		detailProps[k] = v
	}
	rel := obj([]string{"id", "type", "from", "to", "evidence", "sources", "properties"}, m{
		"id": str(), "type": m{"type": "string", "enum": relEnum()}, "from": str(), "to": str(), "key": str(),
		"evidence": m{"type": "string", "enum": append(evidenceEnum(), "")}, "since": date, "until": date,
		"sources": strs, "properties": anyProps,
	})
	path := obj([]string{"nodes", "edges"}, m{"nodes": arr(ref("Entity")), "edges": arr(ref("Relationship"))})
	cyto := obj([]string{"data"}, m{"data": anyProps})
	writeStats := obj([]string{"created", "updated", "unchanged"}, m{
		"created": m{"type": "integer", "minimum": 0}, "updated": m{"type": "integer", "minimum": 0}, "unchanged": m{"type": "integer", "minimum": 0},
	})
	importReport := obj([]string{"dry_run", "written", "files", "records", "rejected", "problems", "entities", "relationships", "run_ids", "duration_ms"}, m{
		"dry_run": m{"type": "boolean"}, "written": m{"type": "boolean"},
		"files": arr(obj([]string{"file", "format", "checksum", "bytes", "records", "rejected", "entities", "relationships"}, m{
			"run_id": str(), "file": str(), "format": m{"type": "string", "enum": []string{"ndjson", "csv"}}, "checksum": str(),
			"bytes": m{"type": "integer"}, "records": m{"type": "integer"}, "rejected": m{"type": "integer"},
			"entities": ref("WriteStats"), "relationships": ref("WriteStats"),
		})),
		"records": m{"type": "integer"}, "rejected": m{"type": "integer"},
		"problems": arr(obj([]string{"file", "line", "reason"}, m{"file": str(), "line": m{"type": "integer"}, "reason": str()})),
		"entities": ref("WriteStats"), "relationships": ref("WriteStats"), "run_ids": strs, "duration_ms": m{"type": "number"},
	})
	return m{
		"Problem": obj([]string{"type", "title", "status"}, m{
			"type": str(), "title": str(), "status": m{"type": "integer"}, "detail": str(),
			"instance": str(), "field": str(),
		}),
		"Status":       obj([]string{"status"}, m{"status": str()}),
		"OpenAPI":      m{"type": "object", "required": []string{"openapi", "paths"}},
		"Entity":       obj(entityReq, entityProps),
		"EntityDetail": obj(append(entityReq, "relationship_counts"), detailProps),
		"Relationship": rel,
		"Path":         path,
		"Subgraph": obj([]string{"nodes", "edges", "truncated"}, m{
			"nodes": arr(ref("Entity")), "edges": arr(ref("Relationship")), "truncated": m{"type": "boolean"}, "next_cursor": str(),
		}),
		"CytoscapeGraph": obj([]string{"elements", "truncated"}, m{
			"elements":  obj([]string{"nodes", "edges"}, m{"nodes": arr(cyto), "edges": arr(cyto)}),
			"truncated": m{"type": "boolean"}, "next_cursor": str(),
		}),
		"SearchPage": obj([]string{"hits"}, m{
			"hits": arr(obj([]string{"id", "name", "kinds", "score"}, m{
				"id": str(), "name": str(), "kinds": arr(m{"type": "string", "enum": kindEnum()}), "score": m{"type": "number"},
			})),
			"next_cursor": str(),
		}),
		"PathsResponse": obj([]string{"paths", "nodes", "edges", "truncated"}, m{
			"paths": arr(obj([]string{"length", "node_ids", "edge_ids"}, m{
				"length": m{"type": "integer", "minimum": 1}, "node_ids": strs, "edge_ids": strs,
			})),
			"nodes": arr(ref("Entity")), "edges": arr(ref("Relationship")), "truncated": m{"type": "boolean"},
		}),
		"Stats": obj([]string{"entities", "relationships", "by_kind", "by_relationship_type"}, m{
			"entities": m{"type": "integer"}, "relationships": m{"type": "integer"},
			"by_kind":              m{"type": "object", "additionalProperties": m{"type": "integer"}},
			"by_relationship_type": m{"type": "object", "additionalProperties": m{"type": "integer"}},
		}),
		"QueryList": obj([]string{"queries"}, m{"queries": arr(m{"type": "object", "required": []string{"name", "path", "summary", "parameters"}})}),
		"ProsecutedLinksResponse": obj([]string{"links"}, m{"links": arr(obj([]string{"person", "events", "compound", "path", "basis"}, m{
			"person": ref("Entity"), "events": arr(ref("Entity")), "compound": ref("Entity"), "path": ref("Path"),
			"basis": m{"type": "string", "enum": []string{graph.BasisNetwork, graph.BasisChargedTogether}},
		}))}),
		"OfficialLinksResponse": obj([]string{"links"}, m{"links": arr(obj([]string{"official", "target", "path"}, m{
			"official": ref("Entity"), "target": ref("Entity"), "path": ref("Path"),
		}))}),
		"NationalityCount": obj([]string{"nationality", "people", "cohorts", "uncounted_cohorts"}, m{
			"nationality": str(), "people": m{"type": "integer"}, "cohorts": m{"type": "integer"},
			"uncounted_cohorts": m{"type": "integer"},
		}),
		"CompoundNetwork": obj([]string{"compound", "owners", "operators", "companies", "officials", "events", "locations", "victims_held", "victims_released", "graph"}, m{
			"compound": ref("Entity"), "owners": arr(ref("Entity")), "operators": arr(ref("Entity")),
			"companies": arr(ref("Entity")), "officials": arr(ref("Entity")), "events": arr(ref("Entity")),
			"locations": arr(ref("Entity")), "victims_held": arr(ref("NationalityCount")),
			"victims_released": arr(ref("NationalityCount")), "graph": ref("Subgraph"),
		}),
		"VictimsResponse": obj([]string{"tallies"}, m{"tallies": arr(obj([]string{"nationality", "relation", "people", "cohorts", "uncounted_cohorts"}, m{
			"nationality": str(), "compound_id": str(), "compound_name": str(), "relation": str(),
			"people": m{"type": "integer"}, "cohorts": m{"type": "integer"}, "uncounted_cohorts": m{"type": "integer"},
		}))}),
		"TimelineResponse": obj([]string{"items"}, m{"items": arr(obj([]string{"date", "what"}, m{
			"date": date, "what": m{"type": "string", "enum": []string{"event", "relationship_start", "relationship_end"}},
			"event": ref("Entity"), "relationship": ref("Relationship"), "other": ref("Entity"),
		}))}),
		"OwnershipResponse": obj([]string{"chains"}, m{"chains": arr(obj([]string{"ultimate_owner", "path"}, m{
			"ultimate_owner": ref("Entity"), "path": ref("Path"),
		}))}),
		"CypherRequest": obj([]string{"query"}, m{
			"query":  m{"type": "string", "description": "one read-only Cypher statement (at most 10 KiB)"},
			"params": m{"type": "object", "additionalProperties": true, "description": "$name parameters"},
		}),
		"CypherResult": obj([]string{"columns", "rows", "truncated"}, m{
			"columns": strs, "rows": arr(m{"type": "array"}), "truncated": m{"type": "boolean"},
		}),
		"ImportReport": importReport,
		"ImportProblem": obj([]string{"type", "title", "status", "report"}, m{
			"type": str(), "title": str(), "status": m{"type": "integer"}, "detail": str(),
			"instance": str(), "field": str(), "report": ref("ImportReport"),
		}),
		"ImportRun": obj([]string{"id", "file", "checksum", "format", "dry_run", "status", "records", "rejected", "entities", "relationships", "started_at"}, m{
			"id": str(), "file": str(), "checksum": str(), "format": str(), "dry_run": m{"type": "boolean"},
			"status":  m{"type": "string", "enum": []string{"running", "succeeded", "rejected", "failed"}},
			"records": m{"type": "integer"}, "rejected": m{"type": "integer"},
			"entities": ref("WriteStats"), "relationships": ref("WriteStats"),
			"started_at": m{"type": "string", "format": "date-time"}, "finished_at": m{"type": "string", "format": "date-time"}, "error": str(),
		}),
		"WriteStats": writeStats,
	}
}

// OpenAPIPaths lists the document's paths, sorted (for tests).
func OpenAPIPaths() []string {
	var out []string
	for _, e := range Endpoints {
		out = append(out, e.Path)
	}
	sort.Strings(out)
	return out
}
