package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/graph"
)

func (s *server) healthz(c *gin.Context) {
	c.PureJSON(http.StatusOK, gin.H{"status": "ok"})
}

func (s *server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.ReadyTimeout)
	defer cancel()
	if s.reader == nil {
		s.fail(c, graph.Errorf(graph.CodeUnavailable, "", "no graph database configured"))
		return
	}
	if err := s.reader.Ping(ctx); err != nil {
		// Whatever the cause, not ready is 503 with Retry-After.
		s.log.WarnContext(c.Request.Context(), "not ready", "error", err.Error())
		writeProblem(c, Problem{Type: problemType(graph.CodeUnavailable), Title: http.StatusText(http.StatusServiceUnavailable),
			Status: http.StatusServiceUnavailable, Detail: "the graph database does not answer", Instance: c.Request.URL.Path})
		return
	}
	c.PureJSON(http.StatusOK, gin.H{"status": "ready"})
}

func (s *server) search(c *gin.Context) {
	q, err := ParseSearchParams(c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	q.Role = graph.RoleFrom(c.Request.Context()) // victims are left out before paging
	page, err := s.reader.Search(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	page.Hits = viewOf(c).searchHits(page.Hits)
	c.PureJSON(http.StatusOK, page)
}

func (s *server) entity(c *gin.Context) {
	if err := ParseNoParams(c.Request.URL.Query()); err != nil {
		s.fail(c, err)
		return
	}
	id, err := ParseEntityID(c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.reader.Entity(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	d.Entity = viewOf(c).entity(d.Entity)
	if d.RelationshipCounts == nil {
		d.RelationshipCounts = []graph.RelCount{}
	}
	c.PureJSON(http.StatusOK, d)
}

func (s *server) neighbors(c *gin.Context) {
	q, f, err := ParseNeighborsParams(c.Param("id"), c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	g, err := s.reader.Neighbors(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeGraph(c, f, g)
}

// PathsResponse is the JSON answer of /v1/paths: the paths as id lists,
// and every node and edge they use once.
type PathsResponse struct {
	Paths     []PathRef            `json:"paths"`
	Nodes     []graph.Entity       `json:"nodes"`
	Edges     []graph.Relationship `json:"edges"`
	Truncated bool                 `json:"truncated"`
}

// PathRef is one path: NodeIDs[i] and NodeIDs[i+1] are joined by EdgeIDs[i].
type PathRef struct {
	Length  int      `json:"length"`
	NodeIDs []string `json:"node_ids"`
	EdgeIDs []string `json:"edge_ids"`
}

// NewPathsResponse converts paths for the JSON answer, as role may see
// them.
func NewPathsResponse(paths []graph.Path, truncated bool, role graph.Role) PathsResponse {
	g := view{role: role}.subgraph(graph.PathsSubgraph(paths, truncated))
	out := PathsResponse{Paths: make([]PathRef, 0, len(paths)), Nodes: g.Nodes, Edges: g.Edges, Truncated: truncated}
	for _, p := range paths {
		ref := PathRef{Length: len(p.Edges), NodeIDs: make([]string, 0, len(p.Nodes)), EdgeIDs: make([]string, 0, len(p.Edges))}
		for _, n := range p.Nodes {
			ref.NodeIDs = append(ref.NodeIDs, n.ID)
		}
		for _, e := range p.Edges {
			ref.EdgeIDs = append(ref.EdgeIDs, e.ID)
		}
		out.Paths = append(out.Paths, ref)
	}
	return out
}

func (s *server) paths(c *gin.Context) {
	q, f, err := ParsePathsParams(c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.reader.Paths(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	if f != FormatJSON {
		writeGraph(c, f, res.Subgraph())
		return
	}
	c.PureJSON(http.StatusOK, NewPathsResponse(res.Paths, res.Truncated, viewOf(c).role))
}

func (s *server) stats(c *gin.Context) {
	if err := ParseNoParams(c.Request.URL.Query()); err != nil {
		s.fail(c, err)
		return
	}
	st, err := s.reader.Stats(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.PureJSON(http.StatusOK, st)
}

// writeGraph answers with a subgraph in the asked format, as the caller's
// role may see it.
func writeGraph(c *gin.Context, f Format, g graph.Subgraph) {
	g = viewOf(c).subgraph(g)
	switch f {
	case FormatCytoscape:
		c.PureJSON(http.StatusOK, Cytoscape(g))
	case FormatGraphML:
		c.Data(http.StatusOK, GraphMLContentType, GraphML(g))
	default:
		c.PureJSON(http.StatusOK, g)
	}
}
