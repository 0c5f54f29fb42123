package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/scamgraph/scamgraph/graph"
)

// The named investigative queries all have one shape: the request's
// parameters as a normalised domain query, one call to graph.Investigator,
// the answer redacted and shown as JSON or (those with a format parameter)
// as one subgraph merged from its paths. docs/contributing.md lists what a
// new one touches.

// named runs one named query: q (with err from its Normalize) through run,
// shown for the caller by show.
func named[Q, R any](ctx context.Context, s *server, q Q, err error, f Format,
	run func(graph.Investigator, context.Context, Q) (R, error), show func(view, Q, R) (any, graph.Subgraph)) (graphAnswer, error) {
	if err != nil {
		return graphAnswer{}, err
	}
	if s.inv == nil {
		return graphAnswer{}, graph.Errorf(graph.CodeUnavailable, "", "the named queries are not available on this server")
	}
	res, err := run(s.inv, ctx, q)
	if err != nil {
		return graphAnswer{}, err
	}
	body, g := show(viewOf(ctx), q, res)
	return graphAnswer{format: f, json: body, graph: g}, nil
}

func (s *server) ProsecutedCompoundLinks(ctx context.Context, r ProsecutedCompoundLinksRequestObject) (ProsecutedCompoundLinksResponseObject, error) {
	p := r.Params
	q, err := graph.LinkQuery{MaxHops: p.MaxHops, MinEvidence: evidence(p.MinEvidence), AsOf: asOf(p.AsOf),
		Limit: p.Limit, FocusID: p.Person}.Normalize("person")
	return named(ctx, s, q, err, p.Format, graph.Investigator.ProsecutedCompoundLinks, showProsecutedLinks)
}

func (s *server) OfficialLinks(ctx context.Context, r OfficialLinksRequestObject) (OfficialLinksResponseObject, error) {
	p := r.Params
	q, err := graph.LinkQuery{MaxHops: p.MaxHops, AsOf: asOf(p.AsOf), Limit: p.Limit, FocusID: p.Focus}.Normalize("focus")
	return named(ctx, s, q, err, p.Format, graph.Investigator.OfficialLinks, showOfficialLinks)
}

func (s *server) CompoundNetwork(ctx context.Context, r CompoundNetworkRequestObject) (CompoundNetworkResponseObject, error) {
	q, err := graph.EntityQuery{ID: r.Id, AsOf: asOf(r.Params.AsOf)}.Normalize()
	return named(ctx, s, q, err, r.Params.Format, func(inv graph.Investigator, ctx context.Context, q graph.EntityQuery) (graph.CompoundNetwork, error) {
		return inv.CompoundNetwork(ctx, q.ID, q.AsOf)
	}, showCompoundNetwork)
}

func (s *server) VictimsByNationality(ctx context.Context, r VictimsByNationalityRequestObject) (VictimsByNationalityResponseObject, error) {
	p := r.Params
	q, err := graph.VictimQuery{Nationality: p.Nationality, CompoundID: p.Compound, AsOf: asOf(p.AsOf)}.Normalize()
	return named(ctx, s, q, err, FormatJson, graph.Investigator.VictimsByNationality, showVictims)
}

func (s *server) Timeline(ctx context.Context, r TimelineRequestObject) (TimelineResponseObject, error) {
	q, err := graph.EntityQuery{ID: r.Id, AsOf: asOf(r.Params.AsOf)}.Normalize()
	return named(ctx, s, q, err, FormatJson, func(inv graph.Investigator, ctx context.Context, q graph.EntityQuery) ([]graph.TimelineItem, error) {
		return inv.Timeline(ctx, q.ID, q.AsOf)
	}, showTimeline)
}

// ownershipQuery is ownership-chains' parameters: the owned entity and the
// hop bound (every chain is returned, up to MaxPathsReturned).
type ownershipQuery struct {
	id   string
	link graph.LinkQuery
}

func (s *server) OwnershipChains(ctx context.Context, r OwnershipChainsRequestObject) (OwnershipChainsResponseObject, error) {
	p := r.Params
	e, err := graph.EntityQuery{ID: r.Id, AsOf: asOf(p.AsOf)}.Normalize()
	q := ownershipQuery{id: e.ID}
	if err == nil {
		q.link, err = graph.LinkQuery{FocusID: e.ID, MaxHops: p.MaxHops, AsOf: e.AsOf, Limit: graph.MaxPathsReturned}.Normalize("")
	}
	return named(ctx, s, q, err, p.Format, func(inv graph.Investigator, ctx context.Context, q ownershipQuery) ([]graph.OwnershipChain, error) {
		return inv.OwnershipChains(ctx, q.id, q.link)
	}, showOwnershipChains)
}

// Each named query's answer is a graphAnswer.
func (a graphAnswer) VisitProsecutedCompoundLinksResponse(w http.ResponseWriter) error {
	return a.visit(w)
}
func (a graphAnswer) VisitOfficialLinksResponse(w http.ResponseWriter) error   { return a.visit(w) }
func (a graphAnswer) VisitCompoundNetworkResponse(w http.ResponseWriter) error { return a.visit(w) }
func (a graphAnswer) VisitOwnershipChainsResponse(w http.ResponseWriter) error { return a.visit(w) }
func (a graphAnswer) VisitVictimsByNationalityResponse(w http.ResponseWriter) error {
	return a.visit(w)
}
func (a graphAnswer) VisitTimelineResponse(w http.ResponseWriter) error { return a.visit(w) }

// ---- what each answer shows (redaction is view's)

// showProsecutedLinks sends each person's events once, under the person's
// id, not on every link: a tycoon with 146 charges and 25 links was 866 KB
// of JSON, 95% of it the same events again (docs/benchmarks.md).
func showProsecutedLinks(v view, q graph.LinkQuery, links []graph.ProsecutedLink) (any, graph.Subgraph) {
	out := ProsecutedLinksResponse{Links: make([]ProsecutedLink, 0, len(links)), Events: map[string][]graph.Entity{}}
	paths := make([]graph.Path, 0, len(links))
	for _, l := range links {
		person := v.entity(l.Person)
		events, seen := out.Events[person.ID]
		if !seen {
			events = v.entities(l.Events)
			out.Events[person.ID] = events
		}
		link := ProsecutedLink{Person: person, Compound: v.entity(l.Compound), Path: v.path(l.Path), Basis: ProsecutedLinkBasis(l.Basis)}
		out.Links = append(out.Links, link)
		paths = append(paths, withNodes(link.Path, append([]graph.Entity{link.Person, link.Compound}, events...)))
	}
	return out, graph.PathsSubgraph(paths, len(links) >= q.Limit)
}

func showOfficialLinks(v view, q graph.LinkQuery, links []graph.OfficialLink) (any, graph.Subgraph) {
	out := OfficialLinksResponse{Links: make([]graph.OfficialLink, 0, len(links))}
	paths := make([]graph.Path, 0, len(links))
	for _, l := range links {
		l.Official, l.Target, l.Path = v.entity(l.Official), v.entity(l.Target), v.path(l.Path)
		out.Links = append(out.Links, l)
		paths = append(paths, withNodes(l.Path, []graph.Entity{l.Official, l.Target}))
	}
	return out, graph.PathsSubgraph(paths, len(links) >= q.Limit)
}

func showCompoundNetwork(v view, _ graph.EntityQuery, n graph.CompoundNetwork) (any, graph.Subgraph) {
	n.Compound = v.entity(n.Compound)
	n.Owners, n.Operators, n.Companies = v.entities(n.Owners), v.entities(n.Operators), v.entities(n.Companies)
	n.Officials, n.Events, n.Locations = v.entities(n.Officials), v.entities(n.Events), v.entities(n.Locations)
	if n.VictimsHeld == nil {
		n.VictimsHeld = []graph.NationalityCount{}
	}
	if n.VictimsReleased == nil {
		n.VictimsReleased = []graph.NationalityCount{}
	}
	n.Graph = v.subgraph(n.Graph)
	return n, n.Graph
}

func showVictims(_ view, _ graph.VictimQuery, t []graph.VictimTally) (any, graph.Subgraph) {
	if t == nil {
		t = []graph.VictimTally{}
	}
	return VictimsResponse{Tallies: t}, graph.Subgraph{}
}

func showTimeline(v view, _ graph.EntityQuery, items []graph.TimelineItem) (any, graph.Subgraph) {
	out := TimelineResponse{Items: make([]graph.TimelineItem, 0, len(items))}
	for _, it := range items {
		out.Items = append(out.Items, v.timelineItem(it))
	}
	return out, graph.Subgraph{}
}

func showOwnershipChains(v view, q ownershipQuery, chains []graph.OwnershipChain) (any, graph.Subgraph) {
	out := OwnershipResponse{Chains: make([]graph.OwnershipChain, 0, len(chains))}
	paths := make([]graph.Path, 0, len(chains))
	for _, ch := range chains {
		ch.UltimateOwner, ch.Path = v.entity(ch.UltimateOwner), v.path(ch.Path)
		out.Chains = append(out.Chains, ch)
		paths = append(paths, withNodes(ch.Path, []graph.Entity{ch.UltimateOwner}))
	}
	return out, graph.PathsSubgraph(paths, len(chains) >= q.link.Limit)
}

// withNodes returns p with extra nodes appended (endpoints or events a
// link names beside its path), so a merged subgraph shows them even when
// the path is empty. Only Nodes grows; Edges stays the path's.
func withNodes(p graph.Path, extra []graph.Entity) graph.Path {
	return graph.Path{Nodes: append(append([]graph.Entity(nil), p.Nodes...), extra...), Edges: p.Edges}
}

// ---- GET /v1/queries: the named queries as openapi.yaml states them

var namedQueries = mustQueryList(spec.doc)

func mustQueryList(doc *openapi3.T) QueryList {
	out := QueryList{Queries: []QueryDoc{}}
	for _, path := range doc.Paths.InMatchingOrder() {
		op := doc.Paths.Value(path).Get
		if op == nil || op.Extensions["x-scamgraph-named-query"] != true {
			continue
		}
		d := QueryDoc{Name: op.OperationID, Path: path, Summary: op.Summary, Description: op.Description, Parameters: []ParamDoc{}}
		for _, pr := range op.Parameters {
			p := pr.Value
			d.Parameters = append(d.Parameters, paramDoc(p))
			d.GraphFormats = d.GraphFormats || p.Name == "format"
		}
		out.Queries = append(out.Queries, d)
	}
	slices.SortFunc(out.Queries, func(a, b QueryDoc) int { return strings.Compare(a.Path, b.Path) })
	return out
}

func paramDoc(p *openapi3.Parameter) ParamDoc {
	s := p.Schema.Value
	d := ParamDoc{Name: p.Name, In: ParamDocIn(p.In), Required: p.Required, Description: p.Description}
	if s.Type.Is(openapi3.TypeArray) {
		d.Repeatable, s = true, s.Items.Value
	}
	switch {
	case s.Format == "date":
		d.Type = "date"
	case len(s.Type.Slice()) > 0:
		d.Type = s.Type.Slice()[0]
	}
	for _, e := range s.Enum {
		d.Enum = append(d.Enum, fmt.Sprint(e))
	}
	d.Default = s.Default
	if s.Min != nil {
		d.Minimum = int(*s.Min)
	}
	if s.Max != nil {
		d.Maximum = int(*s.Max)
	}
	d.Pattern = s.Pattern
	if s.MaxLength != nil {
		d.MaxLength = int(*s.MaxLength)
	}
	return d
}
