package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Graph analytics (docs/analytics.md): who matters in a network, computed
// by Neo4j Graph Data Science over a projection the investigator chooses.
// Every request projects its own in-memory graph, named for the request,
// and drops it afterwards, on success, error, timeout or cancellation.

// Bounds of the analytics queries.
const (
	DefaultAnalyticsLimit = 20
	MaxAnalyticsLimit     = 100
	// DefaultAnalyticsHops is the neighbourhood of a focus entity when hops
	// is not given; MaxAnalyticsHops the widest one.
	DefaultAnalyticsHops = 2
	MaxAnalyticsHops     = 3
	// AnalyticsConcurrency is the most threads an algorithm runs on: the
	// open Graph Data Science refuses more than 4.
	AnalyticsConcurrency = 4
	// CommunityMembersShown is how many of its most central members each
	// community lists.
	CommunityMembersShown = 5
	// DefaultAnalyticsMaxMemory is the default cap of what one request's
	// projection and algorithm may need (ANALYTICS_MAX_MEMORY).
	DefaultAnalyticsMaxMemory = 256 << 20
)

// DefaultAnalyticsKinds are the kinds projected when kinds is not given:
// the actors. Locations, events, sources and victims are left out, or every
// analysis would be led by "Cambodia" and the most-cited report.
func DefaultAnalyticsKinds() []Kind {
	return []Kind{KindPerson, KindTycoon, KindOfficial, KindCompany, KindCompound, KindOrganization}
}

// DefaultSimilarityKinds are the kinds projected for node similarity when
// kinds is not given: the actors and the locations (shell companies share
// addresses as well as directors).
func DefaultSimilarityKinds() []Kind { return append(DefaultAnalyticsKinds(), KindLocation) }

// Projection is the part of the graph an analysis runs on: entities of
// Kinds joined by relationships of RelTypes graded at least MinEvidence, as
// of AsOf; with Focus, only the entities within Hops of it (the focus
// itself whatever its kind). Relationships are projected undirected: a
// director and their company are tied both ways.
type Projection struct {
	RelTypes    []RelType // TraversedRelTypes when empty (MENTIONED_IN and the hints only when named)
	MinEvidence Evidence  // "" for any
	AsOf        *Date
	Kinds       []Kind // DefaultAnalyticsKinds when empty
	Focus       string // an entity id: its neighbourhood only
	Hops        int    // 1..MaxAnalyticsHops with Focus (DefaultAnalyticsHops when 0)
}

// Normalize applies the defaults and checks the bounds, naming the API
// parameter at fault. defaultKinds are used when p.Kinds is empty.
func (p Projection) Normalize(defaultKinds []Kind) (Projection, error) {
	if len(p.RelTypes) == 0 {
		p.RelTypes = TraversedRelTypes()
	}
	seen := map[RelType]bool{}
	types := make([]RelType, 0, len(p.RelTypes))
	for _, t := range p.RelTypes {
		c, ok := ParseRelType(string(t))
		if !ok {
			return p, Errorf(CodeInvalid, "rel_types", "unknown relationship type %q", t)
		}
		if !seen[c] {
			seen[c] = true
			types = append(types, c)
		}
	}
	p.RelTypes = types
	if p.MinEvidence != "" {
		e, ok := ParseEvidence(string(p.MinEvidence))
		if !ok {
			return p, Errorf(CodeInvalid, "min_evidence", "unknown evidence grade %q", p.MinEvidence)
		}
		p.MinEvidence = e
	}
	if len(p.Kinds) == 0 {
		p.Kinds = defaultKinds
	}
	kinds := make([]Kind, 0, len(p.Kinds))
	for _, k := range p.Kinds {
		c, ok := ParseKind(string(k))
		if !ok {
			return p, Errorf(CodeInvalid, "kinds", "unknown kind %q", k)
		}
		if !slices.Contains(kinds, c) {
			kinds = append(kinds, c)
		}
	}
	p.Kinds = kinds
	p.Focus = strings.TrimSpace(p.Focus)
	switch {
	case p.Focus == "" && p.Hops != 0:
		return p, Errorf(CodeInvalid, "hops", "hops needs focus (the entity whose neighbourhood is analysed)")
	case p.Focus != "" && p.Hops == 0:
		p.Hops = DefaultAnalyticsHops
	case p.Focus != "" && (p.Hops < 1 || p.Hops > MaxAnalyticsHops):
		return p, Errorf(CodeInvalid, "hops", "hops must be 1 to %d", MaxAnalyticsHops)
	}
	return p, nil
}

// AnalyticsQuery asks for the top Limit entities of a projection.
type AnalyticsQuery struct {
	Projection
	Limit int // 1..MaxAnalyticsLimit (DefaultAnalyticsLimit when 0)
}

// Normalize applies the defaults and checks the bounds.
func (q AnalyticsQuery) Normalize(defaultKinds []Kind) (AnalyticsQuery, error) {
	var err error
	if q.Projection, err = q.Projection.Normalize(defaultKinds); err != nil {
		return q, err
	}
	if q.Limit == 0 {
		q.Limit = DefaultAnalyticsLimit
	}
	if q.Limit < 1 || q.Limit > MaxAnalyticsLimit {
		return q, Errorf(CodeInvalid, "limit", "limit must be 1 to %d", MaxAnalyticsLimit)
	}
	return q, nil
}

// CommunityAlgorithm names how communities are found.
type CommunityAlgorithm string

// The community algorithms.
const (
	CommunityLouvain CommunityAlgorithm = "louvain" // dense groups (modularity)
	CommunityWCC     CommunityAlgorithm = "wcc"     // connected components: what is tied at all
)

// CommunityQuery asks for the Limit largest communities of a projection.
type CommunityQuery struct {
	AnalyticsQuery
	Algorithm CommunityAlgorithm // CommunityLouvain when ""
}

// Normalize applies the defaults and checks the bounds.
func (q CommunityQuery) Normalize() (CommunityQuery, error) {
	var err error
	if q.AnalyticsQuery, err = q.AnalyticsQuery.Normalize(DefaultAnalyticsKinds()); err != nil {
		return q, err
	}
	switch CommunityAlgorithm(strings.ToLower(string(q.Algorithm))) {
	case "", CommunityLouvain:
		q.Algorithm = CommunityLouvain
	case CommunityWCC:
		q.Algorithm = CommunityWCC
	default:
		return q, Errorf(CodeInvalid, "algorithm", "algorithm must be louvain or wcc")
	}
	return q, nil
}

// ProjectionInfo says what an analysis ran on.
type ProjectionInfo struct {
	Nodes         int   `json:"nodes"`
	Relationships int   `json:"relationships"`  // undirected ties
	EstimateBytes int64 `json:"estimate_bytes"` // what GDS estimated the projection and the algorithms need
}

// KeyPlayer is one entity ranked by PageRank, with its degree and
// betweenness in the same projection, and the reason in words.
type KeyPlayer struct {
	Entity      Entity  `json:"entity"`
	Rank        int     `json:"rank"`
	PageRank    float64 `json:"pagerank"`
	Degree      int     `json:"degree"`
	Betweenness float64 `json:"betweenness"`
	Reason      string  `json:"reason"`
}

// KeyPlayers is the answer of the key-players analysis.
type KeyPlayers struct {
	Projection ProjectionInfo `json:"projection"`
	Players    []KeyPlayer    `json:"players"`
	// Edges are the projected relationships among the players, for drawing.
	Edges []Relationship `json:"-"`
}

// Broker is one entity ranked by betweenness: it sits on the shortest
// paths between others.
type Broker struct {
	Entity            Entity  `json:"entity"`
	Rank              int     `json:"rank"`
	Betweenness       float64 `json:"betweenness"`
	ArticulationPoint bool    `json:"articulation_point"` // removing it splits its part of the network
	Reason            string  `json:"reason"`
}

// Bridge is a tie whose removal splits the network, between two entities.
type Bridge struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Brokers is the answer of the brokers analysis.
type Brokers struct {
	Projection ProjectionInfo `json:"projection"`
	// Sampled says betweenness was computed from a sample of the sources
	// (projections over AnalyticsExactBetweennessNodes nodes).
	Sampled bool     `json:"sampled"`
	Brokers []Broker `json:"brokers"`
	// Bridges among the brokers' ties (at most MaxAnalyticsLimit).
	Bridges []Bridge       `json:"bridges"`
	Edges   []Relationship `json:"-"`
}

// Betweenness centrality costs a traversal of the whole projection per
// source node: exact (every node a source) it grows with the square of the
// nodes. Up to AnalyticsExactBetweennessNodes nodes it is exact; beyond, it
// samples BetweennessSamples sources (a fixed seed: the same answer each
// time), about AnalyticsBetweennessWork node visits, at least
// AnalyticsMinBetweennessSamples. On the 2-core benchmark machine a source
// costs about 0.25 s at 100,000 nodes (docs/benchmarks.md), so 100 sources
// there took most of a 60 s ANALYTICS_TIMEOUT.
const (
	AnalyticsExactBetweennessNodes = 2000
	AnalyticsBetweennessWork       = AnalyticsExactBetweennessNodes * AnalyticsExactBetweennessNodes
	AnalyticsMinBetweennessSamples = 10
)

// BetweennessSamples is how many source nodes betweenness centrality
// samples over a projection of nodes nodes, and whether that is every node
// (exact).
func BetweennessSamples(nodes int) (samples int, exact bool) {
	if nodes <= AnalyticsExactBetweennessNodes {
		return nodes, true
	}
	return max(AnalyticsMinBetweennessSamples, AnalyticsBetweennessWork/nodes), false
}

// CommunityMember is a member of a community with its PageRank.
type CommunityMember struct {
	Entity   Entity  `json:"entity"`
	PageRank float64 `json:"pagerank"`
}

// Community is one community: its id (GDS's, stable within one answer),
// its size and its most central members.
type Community struct {
	ID      int64             `json:"id"`
	Size    int               `json:"size"`
	Members []CommunityMember `json:"members"`
}

// Communities is the answer of the communities analysis, largest first.
type Communities struct {
	Projection  ProjectionInfo     `json:"projection"`
	Algorithm   CommunityAlgorithm `json:"algorithm"`
	Count       int                `json:"count"` // communities in the projection
	Communities []Community        `json:"communities"`
	Edges       []Relationship     `json:"-"`
}

// SimilarQuery asks for the entities most similar to ID: those that share
// its counterparts (node similarity, Jaccard). The projection is ID's
// neighbourhood of Hops (2 by default: a counterpart's counterparts).
type SimilarQuery struct {
	AnalyticsQuery
	ID string
}

// Normalize applies the defaults and checks the bounds.
func (q SimilarQuery) Normalize() (SimilarQuery, error) {
	q.ID = strings.TrimSpace(q.ID)
	if q.ID == "" {
		return q, Errorf(CodeInvalid, "id", "id is required")
	}
	if q.Focus != "" {
		return q, Errorf(CodeInvalid, "focus", "similar compares within the neighbourhood of id; focus is not taken")
	}
	q.Focus = q.ID
	var err error
	q.AnalyticsQuery, err = q.AnalyticsQuery.Normalize(DefaultSimilarityKinds())
	return q, err
}

// SimilarEntity is an entity that shares counterparts with the queried one.
type SimilarEntity struct {
	Entity     Entity  `json:"entity"`
	Similarity float64 `json:"similarity"` // Jaccard: shared counterparts over all counterparts of either
	Shared     int     `json:"shared"`     // counterparts in common
	Reason     string  `json:"reason"`
}

// Similar is the answer of the similarity analysis.
type Similar struct {
	Projection ProjectionInfo  `json:"projection"`
	Entity     Entity          `json:"entity"`
	Similar    []SimilarEntity `json:"similar"`
	Edges      []Relationship  `json:"-"`
}

// AnalyticsRun is the record of one POST /v1/analytics/runs: the scores it
// wrote as node properties (AnalyticsProperties), replacing the last run's.
type AnalyticsRun struct {
	ID         string         `json:"id"`
	StartedAt  time.Time      `json:"started_at"`
	FinishedAt time.Time      `json:"finished_at"`
	Projection ProjectionInfo `json:"projection"`
	Written    int            `json:"written"` // entities given scores
	Properties []string       `json:"properties"`
}

// The node properties an analytics run writes on every projected entity.
const (
	PropPageRank    = "analytics_pagerank"
	PropDegree      = "analytics_degree"
	PropBetweenness = "analytics_betweenness"
	PropCommunity   = "analytics_community"
	PropRunID       = "analytics_run_id"
	PropRunAt       = "analytics_run_at"
)

// AnalyticsProperties lists the properties a run writes.
func AnalyticsProperties() []string {
	return []string{PropPageRank, PropDegree, PropBetweenness, PropCommunity, PropRunID, PropRunAt}
}

// Analyst runs the graph analytics.
type Analyst interface {
	KeyPlayers(ctx context.Context, q AnalyticsQuery) (KeyPlayers, error)
	Brokers(ctx context.Context, q AnalyticsQuery) (Brokers, error)
	Communities(ctx context.Context, q CommunityQuery) (Communities, error)
	Similar(ctx context.Context, q SimilarQuery) (Similar, error)
	// RunAnalytics writes PageRank, degree, betweenness and Louvain
	// community as properties of every entity of the projection, with the
	// run's id and date, after removing the last run's from every entity.
	RunAnalytics(ctx context.Context, p Projection) (AnalyticsRun, error)
}

// Ordinal writes 1st, 2nd, 3rd, 4th ... for reasons.
func Ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}
