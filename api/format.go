package api

import (
	"bytes"
	"encoding/xml"
	"sort"
	"strconv"
	"strings"

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

// graphmlKey is one declared GraphML attribute.
type graphmlKey struct {
	id, domain, name, typ string
}

// GraphML encodes a subgraph as GraphML (directed), with every attribute
// declared as a <key>: node name, kinds, aliases, sources and one key per
// property; edge type, evidence, since, until, key, sources and properties.
// Lists are joined with "|"; dates are YYYY-MM-DD strings; a property whose
// values differ in type across elements is declared as a string. All text
// is XML-escaped (characters XML cannot hold become U+FFFD).
func GraphML(g graph.Subgraph) []byte {
	nodeProps := propTypes(func(yield func(map[string]graph.Value)) {
		for _, n := range g.Nodes {
			yield(n.Properties)
		}
	})
	edgeProps := propTypes(func(yield func(map[string]graph.Value)) {
		for _, e := range g.Edges {
			yield(e.Properties)
		}
	})
	keys := []graphmlKey{
		{"n_name", "node", "name", "string"}, {"n_label", "node", "label", "string"},
		{"n_kinds", "node", "kinds", "string"}, {"n_aliases", "node", "aliases", "string"},
		{"n_sources", "node", "sources", "string"},
	}
	for _, k := range sortedKeys(nodeProps) {
		keys = append(keys, graphmlKey{"n_p_" + k, "node", k, nodeProps[k]})
	}
	keys = append(keys,
		graphmlKey{"e_type", "edge", "type", "string"}, graphmlKey{"e_label", "edge", "label", "string"},
		graphmlKey{"e_evidence", "edge", "evidence", "string"}, graphmlKey{"e_since", "edge", "since", "string"},
		graphmlKey{"e_until", "edge", "until", "string"}, graphmlKey{"e_key", "edge", "key", "string"},
		graphmlKey{"e_sources", "edge", "sources", "string"})
	for _, k := range sortedKeys(edgeProps) {
		keys = append(keys, graphmlKey{"e_p_" + k, "edge", k, edgeProps[k]})
	}

	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	for _, k := range keys {
		b.WriteString(`  <key id="` + esc(k.id) + `" for="` + k.domain + `" attr.name="` + esc(k.name) + `" attr.type="` + k.typ + `"/>` + "\n")
	}
	b.WriteString(`  <graph id="G" edgedefault="directed">` + "\n")
	for _, n := range g.Nodes {
		n = normEntity(n)
		b.WriteString(`    <node id="` + esc(n.ID) + `">` + "\n")
		data(&b, "n_name", n.Name)
		data(&b, "n_label", n.Name)
		data(&b, "n_kinds", joinKinds(n.Kinds))
		data(&b, "n_aliases", strings.Join(n.Aliases, "|"))
		data(&b, "n_sources", strings.Join(n.Sources, "|"))
		for _, k := range sortedKeys(n.Properties) {
			data(&b, "n_p_"+k, valueText(n.Properties[k]))
		}
		b.WriteString("    </node>\n")
	}
	for _, e := range g.Edges {
		b.WriteString(`    <edge id="` + esc(e.ID) + `" source="` + esc(e.From) + `" target="` + esc(e.To) + `">` + "\n")
		data(&b, "e_type", string(e.Type))
		data(&b, "e_label", string(e.Type))
		data(&b, "e_evidence", string(e.Evidence))
		if e.Since != nil {
			data(&b, "e_since", e.Since.String())
		}
		if e.Until != nil {
			data(&b, "e_until", e.Until.String())
		}
		if e.Key != "" {
			data(&b, "e_key", e.Key)
		}
		data(&b, "e_sources", strings.Join(e.Sources, "|"))
		for _, k := range sortedKeys(e.Properties) {
			data(&b, "e_p_"+k, valueText(e.Properties[k]))
		}
		b.WriteString("    </edge>\n")
	}
	b.WriteString("  </graph>\n</graphml>\n")
	return b.Bytes()
}

// propTypes collects the GraphML attr.type of each property key.
func propTypes(each func(func(map[string]graph.Value))) map[string]string {
	out := map[string]string{}
	each(func(props map[string]graph.Value) {
		for k, v := range props {
			t := graphmlType(v.Type)
			if prev, ok := out[k]; ok && prev != t {
				t = "string"
			}
			out[k] = t
		}
	})
	return out
}

func graphmlType(t graph.ValueType) string {
	switch t {
	case graph.TypeInt:
		return "long"
	case graph.TypeFloat:
		return "double"
	case graph.TypeBool:
		return "boolean"
	default:
		return "string"
	}
}

// valueText writes a value as GraphML text (also right when the key is
// declared as a string because its types are mixed).
func valueText(v graph.Value) string {
	switch v.Type {
	case graph.TypeInt:
		return strconv.FormatInt(v.I, 10)
	case graph.TypeFloat:
		return strconv.FormatFloat(v.F, 'g', -1, 64)
	case graph.TypeBool:
		return strconv.FormatBool(v.B)
	case graph.TypeStrings:
		return strings.Join(v.L, "|")
	default:
		return v.S
	}
}

func data(b *bytes.Buffer, key, value string) {
	b.WriteString(`      <data key="` + esc(key) + `">` + esc(value) + "</data>\n")
}

// esc escapes text for XML content and attribute values.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}

func joinKinds(ks []graph.Kind) string {
	s := make([]string, 0, len(ks))
	for _, k := range ks {
		s = append(s, string(k))
	}
	return strings.Join(s, "|")
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
