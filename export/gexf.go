package export

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scamgraph/scamgraph/graph"
)

// gexfWriter writes GEXF 1.3 (http://gexf.net/1.3, valid against the
// official XSD in testdata/gexf-1.3) for Gephi: a directed graph in
// dynamic mode with dates as time, so Gephi's timeline filters by them.
// Nodes carry kinds, aliases, sources and one attribute per free
// property; edges their type (as label and as the edge kind, so
// parallel edges of different types stay apart), evidence grade and
// rank (as weight), key, sources and properties, and since/until as the
// edge's start/end. An event's date is its node's start.
type gexfWriter struct {
	w    *errWriter
	keys graph.PropertyKeys
	// attribute ids (GEXF ids are tokens): n0…, e0…
	nodeIDs, edgeIDs map[string]string
	nodeKeys         []string
	edgeKeys         []string
}

func gexfType(t graph.ValueType) string {
	switch t {
	case graph.TypeInt:
		return "long"
	case graph.TypeFloat:
		return "double"
	case graph.TypeBool:
		return "boolean"
	case graph.TypeStrings:
		return "liststring"
	}
	return "string"
}

// Fixed attributes, declared before the free properties.
var (
	gexfNodeFixed = []struct{ id, title, typ string }{
		{"kinds", "kinds", "liststring"}, {"aliases", "aliases", "liststring"}, {"sources", "sources", "liststring"},
	}
	gexfEdgeFixed = []struct{ id, title, typ string }{
		{"type", "type", "string"}, {"evidence", "evidence", "string"}, {"key", "key", "string"},
		{"sources", "sources", "liststring"},
	}
)

func (g *gexfWriter) begin() error {
	g.nodeKeys, g.edgeKeys = slices.Sorted(maps.Keys(g.keys.Node)), slices.Sorted(maps.Keys(g.keys.Edge))
	g.nodeIDs, g.edgeIDs = map[string]string{}, map[string]string{}
	w := g.w
	w.str(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.str(`<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">` + "\n")
	w.str(`  <meta lastmodifieddate="` + time.Now().UTC().Format("2006-01-02") + `"><creator>scamgraph</creator><description>scamgraph export</description></meta>` + "\n")
	w.str(`  <graph defaultedgetype="directed" mode="dynamic" timeformat="date">` + "\n")
	w.str(`    <attributes class="node">` + "\n")
	for _, a := range gexfNodeFixed {
		w.str(`      <attribute id="` + a.id + `" title="` + a.title + `" type="` + a.typ + `"/>` + "\n")
	}
	for i, k := range g.nodeKeys {
		id := "p" + strconv.Itoa(i)
		g.nodeIDs[k] = id
		w.str(`      <attribute id="` + id + `" title="` + esc(k) + `" type="` + gexfType(g.keys.Node[k]) + `"/>` + "\n")
	}
	w.str("    </attributes>\n")
	w.str(`    <attributes class="edge">` + "\n")
	for _, a := range gexfEdgeFixed {
		w.str(`      <attribute id="` + a.id + `" title="` + a.title + `" type="` + a.typ + `"/>` + "\n")
	}
	for i, k := range g.edgeKeys {
		id := "p" + strconv.Itoa(i)
		g.edgeIDs[k] = id
		w.str(`      <attribute id="` + id + `" title="` + esc(k) + `" type="` + gexfType(g.keys.Edge[k]) + `"/>` + "\n")
	}
	w.str("    </attributes>\n    <nodes>\n")
	return w.err
}

func (g *gexfWriter) entities(_ context.Context, page []graph.ExportEntity) error {
	w := g.w
	for _, ee := range page {
		e := ee.Entity
		w.str(`      <node id="` + esc(e.ID) + `" label="` + esc(token(e.Name)) + `"`)
		if d, ok := e.Properties["date"]; ok && d.Type == graph.TypeDate && e.HasKind(graph.KindEvent) {
			w.str(` start="` + d.S + `"`)
		}
		w.str("><attvalues>")
		g.att("kinds", gexfList(kindStrings(e.Kinds)))
		g.att("aliases", gexfList(e.Aliases))
		g.att("sources", gexfList(e.Sources))
		for _, k := range g.nodeKeys {
			if v, ok := e.Properties[k]; ok {
				g.att(g.nodeIDs[k], gexfValue(v, g.keys.Node[k]))
			}
		}
		w.str("</attvalues></node>\n")
	}
	return w.err
}

func (g *gexfWriter) middle() error {
	g.w.str("    </nodes>\n    <edges>\n")
	return g.w.err
}

func (g *gexfWriter) relationships(_ context.Context, page []graph.ExportRelationship) error {
	w := g.w
	for _, er := range page {
		r := er.Relationship
		w.str(`      <edge id="` + esc(r.ID) + `" source="` + esc(r.From) + `" target="` + esc(r.To) +
			`" label="` + string(r.Type) + `" kind="` + string(r.Type) + `" weight="` + strconv.Itoa(max(r.Evidence.Rank(), 1)) + `"`)
		if r.Since != nil {
			w.str(` start="` + r.Since.String() + `"`)
		}
		if r.Until != nil {
			w.str(` end="` + r.Until.String() + `"`)
		}
		w.str("><attvalues>")
		g.att("type", string(r.Type))
		g.att("evidence", string(r.Evidence))
		if r.Key != "" {
			g.att("key", r.Key)
		}
		g.att("sources", gexfList(r.Sources))
		for _, k := range g.edgeKeys {
			if v, ok := r.Properties[k]; ok {
				g.att(g.edgeIDs[k], gexfValue(v, g.keys.Edge[k]))
			}
		}
		w.str("</attvalues></edge>\n")
	}
	return w.err
}

func (g *gexfWriter) end() error {
	g.w.str("    </edges>\n  </graph>\n</gexf>\n")
	return g.w.err
}

func (g *gexfWriter) att(id, value string) {
	g.w.str(`<attvalue for="` + id + `" value="` + esc(value) + `"/>`)
}

// gexfList writes a liststring value as Gephi reads it: [a, b]. Gephi
// splits on commas, so commas inside an item become U+201A.
func gexfList(items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = strings.ReplaceAll(s, ",", "\u201a")
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// gexfValue writes v for an attribute declared as declared.
func gexfValue(v graph.Value, declared graph.ValueType) string {
	if v.Type == graph.TypeStrings && declared == graph.TypeStrings {
		return gexfList(v.L)
	}
	return ValueText(v)
}

// token collapses whitespace: GEXF labels are xs:token.
func token(s string) string { return strings.Join(strings.Fields(s), " ") }

func kindStrings(ks []graph.Kind) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}
