package api

import (
	"context"
	"net/http"
	"net/url"

	"github.com/scamgraph/scamgraph/graph"
)

// The handlers implement StrictServerInterface (openapi.gen.go): each turns
// its typed request into a domain query (Normalize checks and defaults it),
// makes one call, and answers as the caller's role may see it (view).
// Errors go back as they are; the strict handler's HandlerErrorFunc
// (server.fail) answers them as problems.

var _ StrictServerInterface = (*server)(nil)

func (s *server) Healthz(context.Context, HealthzRequestObject) (HealthzResponseObject, error) {
	return Healthz200JSONResponse{Status: "ok"}, nil
}

func (s *server) Readyz(ctx context.Context, _ ReadyzRequestObject) (ReadyzResponseObject, error) {
	if s.reader == nil {
		return nil, graph.Errorf(graph.CodeUnavailable, "", "no graph database configured")
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ReadyTimeout)
	defer cancel()
	if err := s.reader.Ping(ctx); err != nil {
		// Whatever the cause, not ready is 503 with Retry-After.
		return nil, graph.WrapError(graph.CodeUnavailable, err, "the graph database does not answer")
	}
	return Readyz200JSONResponse{Status: "ready"}, nil
}

// openapiAnswer is the document, as parsed from openapi.yaml.
type openapiAnswer []byte

func (a openapiAnswer) VisitOpenapiResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(a)
	return err
}

func (s *server) Openapi(context.Context, OpenapiRequestObject) (OpenapiResponseObject, error) {
	return openapiAnswer(spec.json), nil
}

func (s *server) Search(ctx context.Context, r SearchRequestObject) (SearchResponseObject, error) {
	p := r.Params
	q, err := graph.SearchQuery{Text: p.Q, Kinds: p.Kind, Limit: p.Limit, Cursor: p.Cursor,
		Role: graph.RoleFrom(ctx), AsOf: asOf(p.AsOf)}.Normalize() // victims are left out before paging
	if err != nil {
		return nil, err
	}
	page, err := s.reader.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	page.Hits = viewOf(ctx).searchHits(page.Hits)
	return Search200JSONResponse(page), nil
}

func (s *server) Entity(ctx context.Context, r EntityRequestObject) (EntityResponseObject, error) {
	q, err := graph.EntityQuery{ID: r.Id, AsOf: asOf(r.Params.AsOf)}.Normalize()
	if err != nil {
		return nil, err
	}
	d, err := s.reader.Entity(ctx, q)
	if graph.ErrorCode(err) == graph.CodeNotFound && s.merges != nil {
		if to, merged, rerr := s.merges.Resolve(ctx, r.Id); rerr == nil && merged {
			return Entity308Response{Headers: Entity308ResponseHeaders{Location: "/v1/entities/" + url.PathEscape(to)}}, nil
		}
	}
	if err != nil {
		return nil, err
	}
	d.Entity = viewOf(ctx).entity(d.Entity)
	if d.RelationshipCounts == nil {
		d.RelationshipCounts = []graph.RelCount{}
	}
	return Entity200JSONResponse(d), nil
}

func (s *server) Neighbors(ctx context.Context, r NeighborsRequestObject) (NeighborsResponseObject, error) {
	p := r.Params
	q, err := graph.NeighborsQuery{ID: r.Id, Depth: p.Depth, RelTypes: p.Rel, Kinds: p.Kind, Limit: p.Limit,
		Cursor: p.Cursor, AsOf: asOf(p.AsOf)}.Normalize()
	if err != nil {
		return nil, err
	}
	g, err := s.reader.Neighbors(ctx, q)
	if err != nil {
		return nil, err
	}
	g = viewOf(ctx).subgraph(g)
	return graphAnswer{format: p.Format, json: g, graph: g}, nil
}

func (s *server) Paths(ctx context.Context, r PathsRequestObject) (PathsResponseObject, error) {
	p := r.Params
	q, err := graph.PathsQuery{From: p.From, To: p.To, MaxHops: p.MaxHops, Mode: p.Mode, RelTypes: p.Rel,
		MinEvidence: evidence(p.MinEvidence), AsOf: asOf(p.AsOf), Limit: p.Limit, MaxDegree: p.MaxDegree}.Normalize()
	if err != nil {
		return nil, err
	}
	res, err := s.reader.Paths(ctx, q)
	if err != nil {
		return nil, err
	}
	v := viewOf(ctx)
	g := v.subgraph(res.Subgraph())
	return graphAnswer{format: p.Format, json: pathsResponse(res.Paths, g), graph: g}, nil
}

// pathsResponse lists paths by id over their merged (and redacted)
// subgraph g.
func pathsResponse(paths []graph.Path, g graph.Subgraph) PathsResponse {
	out := PathsResponse{Paths: make([]PathRef, 0, len(paths)), Nodes: g.Nodes, Edges: g.Edges, Truncated: g.Truncated}
	for _, p := range paths {
		ref := PathRef{Length: len(p.Edges), NodeIds: make([]string, 0, len(p.Nodes)), EdgeIds: make([]string, 0, len(p.Edges))}
		for _, n := range p.Nodes {
			ref.NodeIds = append(ref.NodeIds, n.ID)
		}
		for _, e := range p.Edges {
			ref.EdgeIds = append(ref.EdgeIds, e.ID)
		}
		out.Paths = append(out.Paths, ref)
	}
	return out
}

func (s *server) Stats(ctx context.Context, r StatsRequestObject) (StatsResponseObject, error) {
	q, err := graph.StatsQuery{AsOf: asOf(r.Params.AsOf)}.Normalize()
	if err != nil {
		return nil, err
	}
	st, err := s.reader.Stats(ctx, q)
	if err != nil {
		return nil, err
	}
	return Stats200JSONResponse(st), nil
}

func (s *server) Queries(context.Context, QueriesRequestObject) (QueriesResponseObject, error) {
	return Queries200JSONResponse(namedQueries), nil
}

// asOf is a date parameter as the domain takes it: nil when absent.
func asOf(d graph.Date) *graph.Date {
	if d.IsZero() {
		return nil
	}
	return &d
}

// evidence reads min_evidence: a grade, or its rank 1-6 (the document's
// enum allows nothing else).
func evidence(m MinEvidence) graph.Evidence {
	if len(m) == 1 && m[0] >= '1' && m[0] <= '9' {
		return graph.EvidenceForRank(int(m[0] - '0'))
	}
	return graph.Evidence(m)
}
