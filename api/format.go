package api

import (
	"bytes"

	"github.com/scamgraph/scamgraph/export"
	"github.com/scamgraph/scamgraph/graph"
)

// GraphMLContentType is the media type of GraphML answers.
const GraphMLContentType = "application/graphml+xml; charset=utf-8"

// CytoscapeGraph (openapi.gen.go) is a Cytoscape.js elements document:
// cy.add(doc.elements) draws it.

// Cytoscape converts a subgraph to Cytoscape.js elements (redact it first:
// see view). Node data: id,
// label (the name), kinds, aliases, sources, properties; edge data: id,
// source, target, label (the type), evidence, since, until, key, sources,
// properties.
func Cytoscape(g graph.Subgraph) CytoscapeGraph {
	out := CytoscapeGraph{Elements: CytoscapeElements{
		Nodes: make([]CytoscapeElement, 0, len(g.Nodes)), Edges: make([]CytoscapeElement, 0, len(g.Edges)),
	}, Truncated: g.Truncated, NextCursor: g.NextCursor}
	for _, n := range g.Nodes {
		n = normEntity(n)
		out.Elements.Nodes = append(out.Elements.Nodes, CytoscapeElement{Data: map[string]any{
			"id": n.ID, "label": n.Name, "kinds": n.Kinds, "aliases": n.Aliases,
			"sources": n.Sources, "properties": n.Properties,
		}})
	}
	for _, e := range g.Edges {
		e = normRelationship(e)
		d := map[string]any{
			"id": e.ID, "source": e.From, "target": e.To, "label": string(e.Type),
			"evidence": string(e.Evidence), "sources": e.Sources, "properties": e.Properties,
		}
		if e.Since != nil {
			d["since"] = e.Since.String()
		}
		if e.Until != nil {
			d["until"] = e.Until.String()
		}
		if e.Key != "" {
			d["key"] = e.Key
		}
		out.Elements.Edges = append(out.Elements.Edges, CytoscapeElement{Data: d})
	}
	return out
}

// GraphML encodes a subgraph as GraphML (directed) with export.GraphML,
// the writer of the graphml export: every attribute declared as a typed
// <key>, lists joined with "|", dates as YYYY-MM-DD strings.
func GraphML(g graph.Subgraph) []byte {
	var b bytes.Buffer
	w := export.NewGraphML(&b, export.KeysOf(g))
	for _, n := range g.Nodes {
		w.Node(normEntity(n))
	}
	for _, e := range g.Edges {
		w.Edge(e)
	}
	_ = w.Close() // a bytes.Buffer never fails
	return b.Bytes()
}
