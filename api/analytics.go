package api

import (
	"context"
	"net/http"

	"github.com/scamgraph/scamgraph/graph"
)

// The analytics routes (docs/analytics.md): the request's parameters as a
// graph.Projection, one call to graph.Analyst, the answer redacted for the
// caller and shown as JSON or as the graph of the ranked entities (their
// scores as node properties) and the ties among them.

// projectionParams are the query parameters every analytics route shares.
type projectionParams struct {
	kinds       []graph.Kind
	rels        []graph.RelType
	minEvidence MinEvidence
	asOf        graph.Date
	focus       string
	hops        int
}

func (p projectionParams) projection() graph.Projection {
	return graph.Projection{Kinds: p.kinds, RelTypes: p.rels, MinEvidence: evidence(p.minEvidence),
		AsOf: asOf(p.asOf), Focus: p.focus, Hops: p.hops}
}

// analyze runs one analysis through the store's Analyst, shown by show.
func analyze[Q, R any](ctx context.Context, s *server, q Q, f Format,
	run func(graph.Analyst, context.Context, Q) (R, error), show func(view, R) (any, graph.Subgraph)) (graphAnswer, error) {
	if s.analyst == nil {
		return graphAnswer{}, graph.Errorf(graph.CodeUnavailable, "", "the analytics are not available on this server")
	}
	res, err := run(s.analyst, ctx, q)
	if err != nil {
		return graphAnswer{}, err
	}
	body, g := show(viewOf(ctx), res)
	return graphAnswer{format: f, json: body, graph: g}, nil
}

func (s *server) AnalyticsKeyPlayers(ctx context.Context, r AnalyticsKeyPlayersRequestObject) (AnalyticsKeyPlayersResponseObject, error) {
	p := r.Params
	q := graph.AnalyticsQuery{Limit: p.Limit, Projection: projectionParams{p.Kind, p.Rel, p.MinEvidence, p.AsOf, p.Focus, p.Hops}.projection()}
	return analyze(ctx, s, q, p.Format, graph.Analyst.KeyPlayers, showKeyPlayers)
}

func (s *server) AnalyticsBrokers(ctx context.Context, r AnalyticsBrokersRequestObject) (AnalyticsBrokersResponseObject, error) {
	p := r.Params
	q := graph.AnalyticsQuery{Limit: p.Limit, Projection: projectionParams{p.Kind, p.Rel, p.MinEvidence, p.AsOf, p.Focus, p.Hops}.projection()}
	return analyze(ctx, s, q, p.Format, graph.Analyst.Brokers, showBrokers)
}

func (s *server) AnalyticsCommunities(ctx context.Context, r AnalyticsCommunitiesRequestObject) (AnalyticsCommunitiesResponseObject, error) {
	p := r.Params
	q := graph.CommunityQuery{Algorithm: graph.CommunityAlgorithm(p.Algorithm), AnalyticsQuery: graph.AnalyticsQuery{Limit: p.Limit,
		Projection: projectionParams{p.Kind, p.Rel, p.MinEvidence, p.AsOf, p.Focus, p.Hops}.projection()}}
	return analyze(ctx, s, q, p.Format, graph.Analyst.Communities, showCommunities)
}

func (s *server) AnalyticsSimilar(ctx context.Context, r AnalyticsSimilarRequestObject) (AnalyticsSimilarResponseObject, error) {
	p := r.Params
	q := graph.SimilarQuery{ID: r.Id, AnalyticsQuery: graph.AnalyticsQuery{Limit: p.Limit,
		Projection: projectionParams{p.Kind, p.Rel, p.MinEvidence, p.AsOf, "", p.Hops}.projection()}}
	return analyze(ctx, s, q, p.Format, graph.Analyst.Similar, showSimilar)
}

func (s *server) AnalyticsRun(ctx context.Context, r AnalyticsRunRequestObject) (AnalyticsRunResponseObject, error) {
	if s.analyst == nil {
		return nil, graph.Errorf(graph.CodeUnavailable, "", "the analytics are not available on this server")
	}
	var b AnalyticsRunRequest
	if r.Body != nil {
		b = *r.Body
	}
	run, err := s.analyst.RunAnalytics(ctx, projectionParams{b.Kind, b.Rel, b.MinEvidence, b.AsOf, b.Focus, b.Hops}.projection())
	if err != nil {
		return nil, err
	}
	return AnalyticsRun201JSONResponse(run), nil
}

func (a graphAnswer) VisitAnalyticsKeyPlayersResponse(w http.ResponseWriter) error { return a.visit(w) }
func (a graphAnswer) VisitAnalyticsBrokersResponse(w http.ResponseWriter) error    { return a.visit(w) }
func (a graphAnswer) VisitAnalyticsCommunitiesResponse(w http.ResponseWriter) error {
	return a.visit(w)
}
func (a graphAnswer) VisitAnalyticsSimilarResponse(w http.ResponseWriter) error { return a.visit(w) }

// scored is e with scores added to its properties, for the graph formats
// (the explorer sizes and colours nodes by them).
func scored(e graph.Entity, scores map[string]graph.Value) graph.Entity {
	props := make(map[string]graph.Value, len(e.Properties)+len(scores))
	for k, v := range e.Properties {
		props[k] = v
	}
	for k, v := range scores {
		props[k] = v
	}
	e.Properties = props
	return e
}

// analyticsGraph is the drawable answer: nodes and the ties among them
// (both redacted by v).
func analyticsGraph(v view, nodes []graph.Entity, edges []graph.Relationship) graph.Subgraph {
	return v.subgraph(graph.Subgraph{Nodes: nodes, Edges: edges})
}

func showKeyPlayers(v view, r graph.KeyPlayers) (any, graph.Subgraph) {
	nodes := make([]graph.Entity, 0, len(r.Players))
	for i, p := range r.Players {
		p.Entity = v.entity(p.Entity)
		r.Players[i] = p
		nodes = append(nodes, scored(p.Entity, map[string]graph.Value{
			"score": graph.FloatValue(p.PageRank), "rank": graph.IntValue(int64(p.Rank)),
			"pagerank": graph.FloatValue(p.PageRank), "degree": graph.IntValue(int64(p.Degree)),
			"betweenness": graph.FloatValue(p.Betweenness), "reason": graph.StringValue(p.Reason)}))
	}
	return r, analyticsGraph(v, nodes, r.Edges)
}

func showBrokers(v view, r graph.Brokers) (any, graph.Subgraph) {
	nodes := make([]graph.Entity, 0, len(r.Brokers))
	for i, b := range r.Brokers {
		b.Entity = v.entity(b.Entity)
		r.Brokers[i] = b
		nodes = append(nodes, scored(b.Entity, map[string]graph.Value{
			"score": graph.FloatValue(b.Betweenness), "rank": graph.IntValue(int64(b.Rank)),
			"betweenness": graph.FloatValue(b.Betweenness), "articulation_point": graph.BoolValue(b.ArticulationPoint),
			"reason": graph.StringValue(b.Reason)}))
	}
	return r, analyticsGraph(v, nodes, r.Edges)
}

func showCommunities(v view, r graph.Communities) (any, graph.Subgraph) {
	var nodes []graph.Entity
	for i, c := range r.Communities {
		for j, m := range c.Members {
			m.Entity = v.entity(m.Entity)
			c.Members[j] = m
			nodes = append(nodes, scored(m.Entity, map[string]graph.Value{
				"score": graph.FloatValue(m.PageRank), "pagerank": graph.FloatValue(m.PageRank),
				"community": graph.IntValue(c.ID), "community_size": graph.IntValue(int64(c.Size))}))
		}
		r.Communities[i] = c
	}
	return r, analyticsGraph(v, nodes, r.Edges)
}

func showSimilar(v view, r graph.Similar) (any, graph.Subgraph) {
	r.Entity = v.entity(r.Entity)
	nodes := []graph.Entity{scored(r.Entity, map[string]graph.Value{"score": graph.FloatValue(1)})}
	for i, s := range r.Similar {
		s.Entity = v.entity(s.Entity)
		r.Similar[i] = s
		nodes = append(nodes, scored(s.Entity, map[string]graph.Value{
			"score": graph.FloatValue(s.Similarity), "similarity": graph.FloatValue(s.Similarity),
			"shared": graph.IntValue(int64(s.Shared)), "reason": graph.StringValue(s.Reason)}))
	}
	return r, analyticsGraph(v, nodes, r.Edges)
}
