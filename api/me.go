package api

import (
	"context"

	"github.com/scamgraph/scamgraph/graph"
)

// Me answers who the calling key is and what its role may do, so a
// frontend offers only that (the guards still check every request).
func (s *server) Me(ctx context.Context, _ MeRequestObject) (MeResponseObject, error) {
	p, ok := graph.PrincipalFrom(ctx)
	if !ok {
		return nil, graph.Errorf(graph.CodeUnauthorized, "", "no API key")
	}
	var m Me
	m.KeyId, m.Name, m.Role = p.KeyID, p.Name, MeRole(p.Role)
	m.May.Read = p.Role.Allows(graph.RoleReader)
	m.May.SeeVictimPersonal = p.Role.SeesVictimPersonal()
	m.May.Cypher = p.Role.Allows(graph.RoleAnalyst)
	m.May.Import = p.Role.Allows(graph.RoleImporter)
	return Me200JSONResponse(m), nil
}
