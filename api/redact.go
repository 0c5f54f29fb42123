package api

import (
	"context"

	"github.com/scamgraph/scamgraph/graph"
)

// view readies entities and relationships for one caller: lists are never
// null, and victims are shown as the caller's role may see them. Every
// handler that answers with entities goes through a view.
//
// For roles that may not see victims' personal details (reader, importer):
// victims are redacted with graph.RedactVictim, relationships touching a
// victim lose their free properties (graph.RedactSubgraph), and properties
// graph.PropertySpecs marks Personal are dropped from every entity, victim
// or not (a second line should a victim be filed under another kind).
// Analysts and admins see everything.
type view struct {
	role graph.Role
}

// viewOf is the view of the request's principal (the most restricted one
// when there is none).
func viewOf(ctx context.Context) view { return view{role: graph.RoleFrom(ctx)} }

func (v view) personal() bool { return v.role.SeesVictimPersonal() }

func (v view) entity(e graph.Entity) graph.Entity {
	e = graph.RedactVictim(e, v.role)
	if !v.personal() && hasPersonal(e.Properties) {
		props := make(map[string]graph.Value, len(e.Properties))
		for k, val := range e.Properties {
			if !graph.PropertySpecs[k].Personal {
				props[k] = val
			}
		}
		e.Properties = props
	}
	return normEntity(e)
}

// hasPersonal reports whether props holds a property marked Personal: only
// then does entity copy the map without them (the answer's maps are never
// modified, so one without is shown as it is).
func hasPersonal(props map[string]graph.Value) bool {
	for k := range props {
		if graph.PropertySpecs[k].Personal {
			return true
		}
	}
	return false
}

func (v view) entities(es []graph.Entity) []graph.Entity {
	out := make([]graph.Entity, 0, len(es))
	for _, e := range es {
		out = append(out, v.entity(e))
	}
	return out
}

func (v view) subgraph(g graph.Subgraph) graph.Subgraph {
	g = graph.RedactSubgraph(g, v.role)
	out := graph.Subgraph{Nodes: make([]graph.Entity, 0, len(g.Nodes)), Edges: make([]graph.Relationship, 0, len(g.Edges)),
		Truncated: g.Truncated, NextCursor: g.NextCursor}
	for _, n := range g.Nodes {
		out.Nodes = append(out.Nodes, v.entity(n))
	}
	for _, e := range g.Edges {
		out.Edges = append(out.Edges, normRelationship(e))
	}
	return out
}

// path redacts a path like a subgraph of its nodes and edges.
func (v view) path(p graph.Path) graph.Path {
	g := v.subgraph(graph.Subgraph{Nodes: p.Nodes, Edges: p.Edges})
	return graph.Path{Nodes: g.Nodes, Edges: g.Edges}
}

// searchHits leaves victims out of search for roles that may not see
// their personal details: a hit would confirm that the name searched for
// (a real name, say) belongs to a victim, whatever name the hit showed.
func (v view) searchHits(hits []graph.SearchHit) []graph.SearchHit {
	out := make([]graph.SearchHit, 0, len(hits))
	for _, h := range hits {
		if !v.personal() && hasKind(h.Kinds, graph.KindVictim) {
			continue
		}
		if h.Kinds == nil {
			h.Kinds = []graph.Kind{}
		}
		out = append(out, h)
	}
	return out
}

// timelineItem redacts one timeline item. The timeline does not say what
// kind its own entity is, so for roles that may not see personal details
// every relationship loses its free properties: the entity may be a victim
// (neighbours, whose answers carry every node's kinds, show them where
// allowed).
func (v view) timelineItem(it graph.TimelineItem) graph.TimelineItem {
	if it.Event != nil {
		e := v.entity(*it.Event)
		it.Event = &e
	}
	if it.Other != nil {
		e := v.entity(*it.Other)
		it.Other = &e
	}
	if it.Relationship != nil {
		r := normRelationship(*it.Relationship)
		if !v.personal() {
			r.Properties = map[string]graph.Value{}
		}
		it.Relationship = &r
	}
	return it
}

func hasKind(ks []graph.Kind, k graph.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// normEntity gives an entity empty lists rather than null.
func normEntity(e graph.Entity) graph.Entity {
	if e.Kinds == nil {
		e.Kinds = []graph.Kind{}
	}
	if e.Aliases == nil {
		e.Aliases = []string{}
	}
	if e.Sources == nil {
		e.Sources = []string{}
	}
	if e.Properties == nil {
		e.Properties = map[string]graph.Value{}
	}
	return e
}

func normRelationship(r graph.Relationship) graph.Relationship {
	if r.Sources == nil {
		r.Sources = []string{}
	}
	if r.Properties == nil {
		r.Properties = map[string]graph.Value{}
	}
	return r
}
