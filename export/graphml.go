package export

import (
	"context"
	"encoding/xml"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/scamgraph/scamgraph/graph"
)

// GraphML writes a directed GraphML document as it is given nodes and
// edges (nodes first), every attribute declared as a typed <key> up front:
// node name, kinds, aliases, sources and one key per free property; edge
// type, evidence, since, until, key, sources and properties. Lists are
// joined with "|"; dates are YYYY-MM-DD strings; a property whose values
// differ in type is declared as a string. All text is XML-escaped
// (characters XML cannot hold become U+FFFD). The API's graphml answers
// and the graphml export both write through it.
type GraphML struct {
	w    *errWriter
	keys graph.PropertyKeys
}

// NewGraphML writes the document's head (keys, <graph>) to w.
func NewGraphML(w io.Writer, keys graph.PropertyKeys) *GraphML {
	g := &GraphML{w: &errWriter{w: w}, keys: keys}
	g.w.str(xml.Header)
	g.w.str(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	key := func(id, domain, name, typ string) {
		g.w.str(`  <key id="` + esc(id) + `" for="` + domain + `" attr.name="` + esc(name) + `" attr.type="` + typ + `"/>` + "\n")
	}
	for _, k := range []string{"name", "label", "kinds", "aliases", "sources"} {
		key("n_"+k, "node", k, "string")
	}
	for _, k := range slices.Sorted(maps.Keys(keys.Node)) {
		key("n_p_"+k, "node", k, graphmlType(keys.Node[k]))
	}
	for _, k := range []string{"type", "label", "evidence", "since", "until", "key", "sources"} {
		key("e_"+k, "edge", k, "string")
	}
	for _, k := range slices.Sorted(maps.Keys(keys.Edge)) {
		key("e_p_"+k, "edge", k, graphmlType(keys.Edge[k]))
	}
	g.w.str(`  <graph id="G" edgedefault="directed">` + "\n")
	return g
}

// Node writes one node.
func (g *GraphML) Node(n graph.Entity) {
	g.w.str(`    <node id="` + esc(n.ID) + `">` + "\n")
	g.data("n_name", n.Name)
	g.data("n_label", n.Name)
	g.data("n_kinds", joinKinds(n.Kinds))
	g.data("n_aliases", strings.Join(n.Aliases, "|"))
	g.data("n_sources", strings.Join(n.Sources, "|"))
	for _, k := range slices.Sorted(maps.Keys(n.Properties)) {
		g.data("n_p_"+k, ValueText(n.Properties[k]))
	}
	g.w.str("    </node>\n")
}

// Edge writes one edge.
func (g *GraphML) Edge(e graph.Relationship) {
	g.w.str(`    <edge id="` + esc(e.ID) + `" source="` + esc(e.From) + `" target="` + esc(e.To) + `">` + "\n")
	g.data("e_type", string(e.Type))
	g.data("e_label", string(e.Type))
	g.data("e_evidence", string(e.Evidence))
	if e.Since != nil {
		g.data("e_since", e.Since.String())
	}
	if e.Until != nil {
		g.data("e_until", e.Until.String())
	}
	if e.Key != "" {
		g.data("e_key", e.Key)
	}
	g.data("e_sources", strings.Join(e.Sources, "|"))
	for _, k := range slices.Sorted(maps.Keys(e.Properties)) {
		g.data("e_p_"+k, ValueText(e.Properties[k]))
	}
	g.w.str("    </edge>\n")
}

// Close ends the document and returns the first write error.
func (g *GraphML) Close() error {
	g.w.str("  </graph>\n</graphml>\n")
	return g.w.err
}

func (g *GraphML) data(key, value string) {
	g.w.str(`      <data key="` + esc(key) + `">` + esc(value) + "</data>\n")
}

// KeysOf collects the property keys of a subgraph held in memory (for
// answers that are already built; an export asks the store instead).
func KeysOf(g graph.Subgraph) graph.PropertyKeys {
	keys := graph.PropertyKeys{Node: map[string]graph.ValueType{}, Edge: map[string]graph.ValueType{}}
	for _, n := range g.Nodes {
		addKeys(keys.Node, n.Properties)
	}
	for _, e := range g.Edges {
		addKeys(keys.Edge, e.Properties)
	}
	return keys
}

func addKeys(into map[string]graph.ValueType, props map[string]graph.Value) {
	for k, v := range props {
		if prev, ok := into[k]; ok && prev != v.Type {
			into[k] = graph.TypeString
			continue
		}
		into[k] = v.Type
	}
}

// graphmlStream is the graphml export's writer.
type graphmlStream struct{ g *GraphML }

func (s *graphmlStream) begin() error { return s.g.w.err }
func (s *graphmlStream) entities(_ context.Context, page []graph.ExportEntity) error {
	for _, e := range page {
		s.g.Node(e.Entity)
	}
	return s.g.w.err
}
func (s *graphmlStream) middle() error { return s.g.w.err }
func (s *graphmlStream) relationships(_ context.Context, page []graph.ExportRelationship) error {
	for _, r := range page {
		s.g.Edge(r.Relationship)
	}
	return s.g.w.err
}
func (s *graphmlStream) end() error { return s.g.Close() }

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

// ValueText writes a value as text: lists joined with "|", dates as
// YYYY-MM-DD (right also where a key is declared as a string because its
// types are mixed).
func ValueText(v graph.Value) string {
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
