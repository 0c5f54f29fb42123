package api

import (
	"context"
	"math"

	"github.com/scamgraph/scamgraph/graph"
)

// score32 turns a float32 from the document into the decimal it was
// written as (0.7, not 0.699999988).
func score32(f float32) float64 { return math.Round(float64(f)*1e4) / 1e4 }

// matchRecord converts POST /v1/match's body to the record to match.
func matchRecord(b *MatchRequest) (graph.Entity, error) {
	hasEntity, hasFtM := b.Entity.Name != "", b.Ftm.Schema != ""
	switch {
	case hasEntity == hasFtM:
		return graph.Entity{}, invalid("entity", "give exactly one of entity (our record shape) or ftm (a FollowTheMoney entity)")
	case hasFtM:
		return graph.EntityFromFtM(b.Ftm.Id, b.Ftm.Schema, b.Ftm.Properties)
	}
	r := b.Entity
	e := graph.Entity{ID: r.Id, Kinds: r.Kinds, Name: r.Name, Aliases: r.Aliases, Sources: r.Sources, Properties: map[string]graph.Value{}}
	err := graph.FirstKeyError(r.Properties, func(k string, raw any) error {
		v, err := graph.CoerceProperty(k, raw)
		if err != nil {
			return invalid("entity.properties."+k, "%v", err)
		}
		e.Properties[k] = v
		return nil
	})
	if err != nil {
		return graph.Entity{}, err
	}
	return e, nil
}

// Match is POST /v1/match: the stored entities that may be the record.
func (s *server) Match(ctx context.Context, r MatchRequestObject) (MatchResponseObject, error) {
	if r.Body == nil {
		return nil, invalid("entity", "is required")
	}
	if s.matcher == nil {
		return nil, graph.Errorf(graph.CodeUnavailable, "", "matching is not available on this server")
	}
	rec, err := matchRecord(r.Body)
	if err != nil {
		return nil, err
	}
	res, err := s.matcher.Match(ctx, graph.MatchQuery{Entity: rec, Threshold: score32(r.Body.Threshold),
		Cutoff: score32(r.Body.Cutoff), Limit: r.Body.Limit, Role: graph.RoleFrom(ctx)})
	if err != nil {
		return nil, err
	}
	return Match200JSONResponse(viewOf(ctx).matchResult(res)), nil
}

// EntityDuplicates is GET /v1/entities/{id}/duplicates.
func (s *server) EntityDuplicates(ctx context.Context, r EntityDuplicatesRequestObject) (EntityDuplicatesResponseObject, error) {
	if err := graph.ValidateID("id", r.Id); err != nil {
		return nil, err
	}
	if s.matcher == nil {
		return nil, graph.Errorf(graph.CodeUnavailable, "", "matching is not available on this server")
	}
	res, err := s.matcher.Match(ctx, graph.MatchQuery{ID: r.Id, Threshold: score32(r.Params.Threshold),
		Limit: r.Params.Limit, Role: graph.RoleFrom(ctx)})
	if err != nil {
		return nil, err
	}
	return EntityDuplicates200JSONResponse(viewOf(ctx).matchResult(res)), nil
}

// Duplicates is GET /v1/duplicates: a page of the whole graph's pairs.
func (s *server) Duplicates(ctx context.Context, r DuplicatesRequestObject) (DuplicatesResponseObject, error) {
	if s.matcher == nil {
		return nil, graph.Errorf(graph.CodeUnavailable, "", "matching is not available on this server")
	}
	page, err := s.matcher.Duplicates(ctx, graph.DuplicatesQuery{Threshold: score32(r.Params.Threshold),
		Limit: r.Params.Limit, Cursor: r.Params.Cursor, Role: graph.RoleFrom(ctx)})
	if err != nil {
		return nil, err
	}
	return Duplicates200JSONResponse(page), nil
}

// matchResult redacts the candidates as the role's view of entities does.
func (v view) matchResult(res graph.MatchResult) graph.MatchResult {
	for i := range res.Candidates {
		res.Candidates[i].Entity = v.entity(res.Candidates[i].Entity)
	}
	return res
}
