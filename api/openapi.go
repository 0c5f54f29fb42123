package api

import (
	"encoding/json"
	"net/http"
	"sort"
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
	Description string   `json:"description"`
}

// EndpointDoc documents one GET endpoint.
type EndpointDoc struct {
	Name        string     `json:"name"`
	Path        string     `json:"path"` // OpenAPI form: /v1/entities/{id}
	Summary     string     `json:"summary"`
	Description string     `json:"description,omitempty"`
	Params      []ParamDoc `json:"parameters"`
	Formats     bool       `json:"graph_formats"` // format=json|cytoscape|graphml
	Schema      string     `json:"-"`             // the 200 JSON schema
	Named       bool       `json:"-"`             // a named investigative query
	NoErrors    bool       `json:"-"`             // healthz: always 200
	Ready       bool       `json:"-"`             // readyz: 200 or 503
}

func ip(n int) *int { return &n }

func pathID(desc string) ParamDoc {
	return ParamDoc{Name: "id", In: "path", Type: "string", Required: true, Description: desc + " (URL-escape a / in it as %2F)"}
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
		Description: "Every word must match: exactly, with a typo or two, or as a prefix; case and diacritics are folded.",
		Params: []ParamDoc{
			{Name: "q", In: "query", Type: "string", Required: true, Description: "the words to find (at most 200 bytes)"},
			pKind,
			{Name: "limit", In: "query", Type: "integer", Default: graph.DefaultSearchLimit, Minimum: ip(1), Maximum: ip(graph.MaxSearchLimit), Description: "hits per page"},
			pCursor,
		}, Schema: "SearchPage"},
	{Name: "entity", Path: "/v1/entities/{id}", Summary: "One entity: kinds, properties, aliases, sources, relationship counts",
		Params: []ParamDoc{pathID("entity id")}, Schema: "EntityDetail"},
	{Name: "neighbors", Path: "/v1/entities/{id}/neighbors", Summary: "An entity's neighbourhood, paged",
		Description: "Neighbours within depth hops, ordered by distance then id. Beyond depth 1 the expansion is bounded per hop; truncated says when a bound or the page cut it.",
		Params: []ParamDoc{pathID("the root entity's id"),
			{Name: "depth", In: "query", Type: "integer", Default: 1, Minimum: ip(1), Maximum: ip(graph.MaxNeighborDepth), Description: "hops from the root"},
			pRel, pKind,
			{Name: "limit", In: "query", Type: "integer", Default: graph.DefaultNeighborLimit, Minimum: ip(1), Maximum: ip(graph.MaxNeighborLimit), Description: "neighbours per page"},
			pCursor, pAsOf, pFormat,
		}, Formats: true, Schema: "Subgraph"},
	{Name: "paths", Path: "/v1/paths", Summary: "How two entities are connected",
		Description: "Shortest paths (every path of the least length) or the shortest simple paths up to max_hops. Relationship direction is ignored; each hop carries its relationship with dates, evidence and sources.",
		Params: []ParamDoc{
			{Name: "from", In: "query", Type: "string", Required: true, Description: "entity id"},
			{Name: "to", In: "query", Type: "string", Required: true, Description: "entity id"},
			pMaxHops,
			{Name: "mode", In: "query", Type: "string", Enum: []string{"shortest", "all"}, Default: "shortest", Description: "shortest: all shortest paths; all: simple paths up to max_hops, shortest first"},
			pRel, pMinEvidence, pAsOf, pLinkLimit, pFormat,
		}, Formats: true, Schema: "PathsResponse"},
	{Name: "stats", Path: "/v1/stats", Summary: "Counts of entities by kind and relationships by type", Schema: "Stats"},
	{Name: "queries", Path: "/v1/queries", Summary: "The named investigative queries and their parameters", Schema: "QueryList"},
	{Name: "prosecuted-compound-links", Path: "/v1/queries/prosecuted-compound-links", Named: true,
		Summary: "People arrested, charged, indicted, convicted or extradited, linked to scam compounds within max_hops",
		Params: []ParamDoc{pLinkHops, pMinEvidence, pAsOf, pLinkLimit,
			{Name: "person", In: "query", Type: "string", Description: "only links of this person (entity id)"}, pFormat},
		Formats: true, Schema: "ProsecutedLinksResponse"},
	{Name: "official-links", Path: "/v1/queries/official-links", Named: true,
		Summary: "Officials linked to tycoons or companies within max_hops",
		Params: []ParamDoc{pLinkHops, pAsOf, pLinkLimit,
			{Name: "focus", In: "query", Type: "string", Description: "only links that start or end at this entity (id)"}, pFormat},
		Formats: true, Schema: "OfficialLinksResponse"},
	{Name: "compound-network", Path: "/v1/queries/compound-network/{id}", Named: true,
		Summary: "Everything tied to one compound: owners, operators, companies, officials, events, locations, victims",
		Params:  []ParamDoc{pathID("the compound's id"), pAsOf, pFormat}, Formats: true, Schema: "CompoundNetwork"},
	{Name: "victims-by-nationality", Path: "/v1/queries/victims-by-nationality", Named: true,
		Summary: "Victims summed by nationality and compound",
		Params: []ParamDoc{
			{Name: "nationality", In: "query", Type: "string", Description: "ISO 3166-1 alpha-2 code, such as ID or IN"},
			{Name: "compound", In: "query", Type: "string", Description: "only victims tied to this compound (id)"},
			pAsOf,
		}, Schema: "VictimsResponse"},
	{Name: "timeline", Path: "/v1/queries/timeline/{id}", Named: true,
		Summary: "An entity's dated events and relationship starts and ends, in date order",
		Params:  []ParamDoc{pathID("entity id"), pAsOf}, Schema: "TimelineResponse"},
	{Name: "ownership-chains", Path: "/v1/queries/ownership-chains/{id}", Named: true,
		Summary: "Chains of OWNS, CONTROLS, DIRECTS and OPERATES up to the ultimate owners",
		Params:  []ParamDoc{pathID("the owned entity's id"), pLinkHops, pAsOf, pFormat}, Formats: true, Schema: "OwnershipResponse"},
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
		ok := m{"application/json": m{"schema": ref(e.Schema)}}
		if e.Formats {
			ok["application/json"] = m{"schema": m{"oneOf": []any{ref(e.Schema), ref("CytoscapeGraph")}}}
			ok["application/graphml+xml"] = m{"schema": str()}
		}
		responses := m{"200": m{"description": "OK", "content": ok}}
		problem := func(desc string) m {
			return m{"description": desc, "content": m{ProblemContentType: m{"schema": ref("Problem")}}}
		}
		switch {
		case e.Ready:
			responses["503"] = problem("Neo4j does not answer; Retry-After says when to try again")
		case !e.NoErrors:
			responses["400"] = problem("a parameter is wrong; field names it")
			if strings.Contains(e.Path, "{id}") || e.Name == "paths" || e.Named {
				responses["404"] = problem("no entity with that id")
			}
			responses["503"] = problem("the database is unavailable; Retry-After says when to try again")
			responses["504"] = problem("the query ran out of time")
		}
		responses["500"] = problem("a bug; details are in the server log only")
		op["responses"] = responses
		paths[e.Path] = m{"get": op}
	}
	return m{
		"openapi": "3.0.3",
		"info": m{"title": "scamgraph investigator API", "version": "1",
			"description": "Read-only API over the scamgraph investigation graph. See docs/api.md."},
		"paths":      paths,
		"components": m{"schemas": schemas()},
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
		sch = m{"type": "string", "format": "date"}
	default:
		sch = str()
		if len(p.Enum) > 0 {
			sch["enum"] = p.Enum
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
