package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/graph"
)

// The named investigative queries: thin handlers over graph.Investigator.
// Graph-shaped answers (links, chains, a compound's network) also come as
// Cytoscape.js elements or GraphML, their paths merged into one subgraph.

// investigator returns the Investigator, or answers 503 when there is none.
func (s *server) investigator(c *gin.Context) (graph.Investigator, bool) {
	if s.inv == nil {
		s.fail(c, graph.Errorf(graph.CodeUnavailable, "", "the named queries are not available on this server"))
		return nil, false
	}
	return s.inv, true
}

// ProsecutedLinksResponse is the JSON answer of prosecuted-compound-links.
type ProsecutedLinksResponse struct {
	Links []graph.ProsecutedLink `json:"links"`
}

// OfficialLinksResponse is the JSON answer of official-links.
type OfficialLinksResponse struct {
	Links []graph.OfficialLink `json:"links"`
}

// VictimsResponse is the JSON answer of victims-by-nationality.
type VictimsResponse struct {
	Tallies []graph.VictimTally `json:"tallies"`
}

// TimelineResponse is the JSON answer of timeline.
type TimelineResponse struct {
	Items []graph.TimelineItem `json:"items"`
}

// OwnershipResponse is the JSON answer of ownership-chains.
type OwnershipResponse struct {
	Chains []graph.OwnershipChain `json:"chains"`
}

func (s *server) prosecutedLinks(c *gin.Context) {
	q, f, err := ParseProsecutedLinksParams(c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	inv, ok := s.investigator(c)
	if !ok {
		return
	}
	links, err := inv.ProsecutedCompoundLinks(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := viewOf(c)
	out := ProsecutedLinksResponse{Links: make([]graph.ProsecutedLink, 0, len(links))}
	paths := make([]graph.Path, 0, len(links))
	for _, l := range links {
		l.Person, l.Compound, l.Events, l.Path = v.entity(l.Person), v.entity(l.Compound), v.entities(l.Events), v.path(l.Path)
		out.Links = append(out.Links, l)
		paths = append(paths, withNodes(l.Path, append([]graph.Entity{l.Person, l.Compound}, l.Events...)))
	}
	if f != FormatJSON {
		writeGraph(c, f, graph.PathsSubgraph(paths, len(links) >= q.Limit))
		return
	}
	c.PureJSON(http.StatusOK, out)
}

func (s *server) officialLinks(c *gin.Context) {
	q, f, err := ParseOfficialLinksParams(c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	inv, ok := s.investigator(c)
	if !ok {
		return
	}
	links, err := inv.OfficialLinks(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := viewOf(c)
	out := OfficialLinksResponse{Links: make([]graph.OfficialLink, 0, len(links))}
	paths := make([]graph.Path, 0, len(links))
	for _, l := range links {
		l.Official, l.Target, l.Path = v.entity(l.Official), v.entity(l.Target), v.path(l.Path)
		out.Links = append(out.Links, l)
		paths = append(paths, withNodes(l.Path, []graph.Entity{l.Official, l.Target}))
	}
	if f != FormatJSON {
		writeGraph(c, f, graph.PathsSubgraph(paths, len(links) >= q.Limit))
		return
	}
	c.PureJSON(http.StatusOK, out)
}

func (s *server) compoundNetwork(c *gin.Context) {
	id, asOf, f, err := ParseCompoundNetworkParams(c.Param("id"), c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	inv, ok := s.investigator(c)
	if !ok {
		return
	}
	n, err := inv.CompoundNetwork(c.Request.Context(), id, asOf)
	if err != nil {
		s.fail(c, err)
		return
	}
	if f != FormatJSON {
		writeGraph(c, f, n.Graph)
		return
	}
	v := viewOf(c)
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
	c.PureJSON(http.StatusOK, n)
}

func (s *server) victimsByNationality(c *gin.Context) {
	q, err := ParseVictimsParams(c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	inv, ok := s.investigator(c)
	if !ok {
		return
	}
	t, err := inv.VictimsByNationality(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	if t == nil {
		t = []graph.VictimTally{}
	}
	c.PureJSON(http.StatusOK, VictimsResponse{Tallies: t})
}

func (s *server) timeline(c *gin.Context) {
	id, asOf, err := ParseTimelineParams(c.Param("id"), c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	inv, ok := s.investigator(c)
	if !ok {
		return
	}
	items, err := inv.Timeline(c.Request.Context(), id, asOf)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := viewOf(c)
	out := TimelineResponse{Items: make([]graph.TimelineItem, 0, len(items))}
	for _, it := range items {
		out.Items = append(out.Items, v.timelineItem(it))
	}
	c.PureJSON(http.StatusOK, out)
}

func (s *server) ownershipChains(c *gin.Context) {
	id, q, f, err := ParseOwnershipParams(c.Param("id"), c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	inv, ok := s.investigator(c)
	if !ok {
		return
	}
	chains, err := inv.OwnershipChains(c.Request.Context(), id, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := viewOf(c)
	out := OwnershipResponse{Chains: make([]graph.OwnershipChain, 0, len(chains))}
	paths := make([]graph.Path, 0, len(chains))
	for _, ch := range chains {
		ch.UltimateOwner, ch.Path = v.entity(ch.UltimateOwner), v.path(ch.Path)
		out.Chains = append(out.Chains, ch)
		paths = append(paths, withNodes(ch.Path, []graph.Entity{ch.UltimateOwner}))
	}
	if f != FormatJSON {
		writeGraph(c, f, graph.PathsSubgraph(paths, len(chains) >= q.Limit))
		return
	}
	c.PureJSON(http.StatusOK, out)
}

// withNodes returns p with extra nodes appended (endpoints or events a
// link names beside its path), so a merged subgraph shows them even when
// the path is empty. Only Nodes grows; Edges stays the path's.
func withNodes(p graph.Path, extra []graph.Entity) graph.Path {
	return graph.Path{Nodes: append(append([]graph.Entity(nil), p.Nodes...), extra...), Edges: p.Edges}
}
