package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"hash/fnv"
	"strconv"
	"strings"
)

// Limits that bound every read, whatever the caller asks.
const (
	MaxSearchLimit     = 100
	DefaultSearchLimit = 20
	MaxSearchTextLen   = 200 // bytes of search text
	MaxSearchTerms     = 8   // words of search text that count

	MaxNeighborLimit     = 1000
	DefaultNeighborLimit = 100
	MaxNeighborDepth     = 3
	// MaxNeighborFanout is the most relationships followed out of any one
	// node beyond the first hop; MaxNeighborFrontier the most nodes a hop
	// beyond the first expands. Together they bound a depth-2 or depth-3
	// expansion however dense the graph is (a country with 100k LOCATED_IN).
	MaxNeighborFanout   = 200
	MaxNeighborFrontier = 500

	MaxPathHops = 6
	// A path search does not pass through an intermediate node with more
	// relationships than PathsQuery.MaxDegree (DefaultPathHubDegree unless
	// set, at most MaxPathHubDegree): "both are located in Cambodia" is not
	// a lead, and breadth-first search through hubs such as countries,
	// ministries and much-cited sources reads most of a million-entity graph
	// (docs/benchmarks.md). The endpoints themselves are never cut.
	DefaultPathHubDegree = 1000
	MaxPathHubDegree     = 1000000
	DefaultPathHops      = 4
	MaxPathsReturned     = 100
	DefaultPathsLimit    = 25
)

// Subgraph is an answer a frontend can draw: nodes and edges with stable ids.
// Truncated says a limit cut it; NextCursor, when set, fetches the next page.
// Every edge joins two nodes of the same Subgraph.
type Subgraph struct {
	Nodes      []Entity       `json:"nodes"`
	Edges      []Relationship `json:"edges"`
	Truncated  bool           `json:"truncated"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

// SearchQuery is a full-text search over names and aliases.
type SearchQuery struct {
	Text   string // the words to find; fuzzy, case and diacritics folded
	Kinds  []Kind // only entities of these kinds (any, when empty)
	Limit  int    // 1..MaxSearchLimit
	Cursor string // opaque, from a previous page's NextCursor
	// Role is the caller's: for roles that may not see victims' personal
	// details (Role.SeesVictimPersonal; the zero role among them) victims
	// are left out before paging, so hits and cursors are what they would
	// be if victims did not exist.
	Role Role
	// AsOf leaves out entities nobody had reported yet on that date (the
	// as_of rules of the neighbours; nil: now).
	AsOf *Date
}

// CursorKey is what a search cursor is bound to: a cursor from one search
// is rejected by another, and by the same search for a role that sees
// victims differently.
func (q SearchQuery) CursorKey() string {
	return cursorKey("search", strings.Join(strings.Fields(strings.ToLower(q.Text)), " "), kindsKey(q.Kinds),
		strconv.FormatBool(q.Role.SeesVictimPersonal()), dateKey(q.AsOf))
}

// SearchHit is one search result.
type SearchHit struct {
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Kinds []Kind  `json:"kinds"`
	Score float64 `json:"score"`
}

// SearchPage is a page of search results.
type SearchPage struct {
	Hits       []SearchHit `json:"hits"`
	NextCursor string      `json:"next_cursor,omitempty"`
}

// RelCount counts an entity's relationships of one type in one direction.
type RelCount struct {
	Type      RelType `json:"type"`
	Direction string  `json:"direction"` // "out" or "in"
	Count     int     `json:"count"`
}

// EntityDetail is an entity with its relationship counts by type.
type EntityDetail struct {
	Entity
	RelationshipCounts []RelCount `json:"relationship_counts"`
}

// NeighborsQuery asks for the neighbourhood of one entity: the entities
// within Depth hops over relationships of RelTypes, every one of them of
// one of Kinds. The neighbours are ordered by distance, then id, and paged
// by Cursor; each page holds the root, the page's neighbours and, beyond
// depth 1, the nodes that connect them to the root, so it can be drawn on
// its own. MENTIONED_IN (entity to source) and the hints (HintRelTypes:
// POSSIBLY_SAME_AS) are followed only when RelTypes names them.
type NeighborsQuery struct {
	ID       string
	Depth    int       // 1..MaxNeighborDepth
	RelTypes []RelType // only these relationship types (TraversedRelTypes, when empty)
	Kinds    []Kind    // only neighbours of these kinds (any, when empty)
	Limit    int       // the most neighbour nodes returned, 1..MaxNeighborLimit
	Cursor   string    // opaque, pages through the neighbours
	AsOf     *Date     // leave out what was not yet (or no longer) true then
}

// CursorKey is what a neighbours cursor is bound to.
func (q NeighborsQuery) CursorKey() string {
	return cursorKey("neighbors", q.ID, strconv.Itoa(q.Depth), relsKey(q.RelTypes), kindsKey(q.Kinds), dateKey(q.AsOf))
}

// PathMode selects shortest paths or all simple paths.
type PathMode string

// Path modes.
const (
	PathShortest PathMode = "shortest"
	PathAll      PathMode = "all"
)

// PathsQuery asks how two entities are connected. Paths ignore the
// direction of relationships. MENTIONED_IN is followed only when RelTypes
// names it (otherwise everything connects through a news article), and so
// are the hints (HintRelTypes: a candidate match is no tie).
type PathsQuery struct {
	From, To    string
	MaxHops     int // 1..MaxPathHops
	Mode        PathMode
	RelTypes    []RelType
	MinEvidence Evidence // only relationships at least this strong ("" for any)
	AsOf        *Date
	Limit       int // the most paths returned, 1..MaxPathsReturned
	// MaxDegree: intermediate nodes with more relationships (of any type)
	// are not passed through; 0 means DefaultPathHubDegree.
	MaxDegree int
}

// Path is one chain of relationships; Edges[i] joins Nodes[i] and Nodes[i+1]
// (in either direction: compare Edge.From with the node ids).
type Path struct {
	Nodes []Entity       `json:"nodes"`
	Edges []Relationship `json:"edges"`
}

// PathsResult holds the paths found, shortest first.
type PathsResult struct {
	Paths     []Path `json:"paths"`
	Truncated bool   `json:"truncated"`
}

// Subgraph merges paths into one drawable graph (nodes and edges once each,
// in first-seen order).
func (r PathsResult) Subgraph() Subgraph {
	return PathsSubgraph(r.Paths, r.Truncated)
}

// PathsSubgraph merges paths into one Subgraph.
func PathsSubgraph(paths []Path, truncated bool) Subgraph {
	g := Subgraph{Nodes: []Entity{}, Edges: []Relationship{}, Truncated: truncated}
	nodes, edges := map[string]bool{}, map[string]bool{}
	for _, p := range paths {
		for _, n := range p.Nodes {
			if !nodes[n.ID] {
				nodes[n.ID] = true
				g.Nodes = append(g.Nodes, n)
			}
		}
		for _, e := range p.Edges {
			if !edges[e.ID] {
				edges[e.ID] = true
				g.Edges = append(g.Edges, e)
			}
		}
	}
	return g
}

// Stats counts the graph's contents. ByKind counts nodes by kind label:
// person counts every person, tycoons and officials included.
type Stats struct {
	Entities      int            `json:"entities"`
	Relationships int            `json:"relationships"`
	ByKind        map[string]int `json:"by_kind"`
	ByRelType     map[string]int `json:"by_relationship_type"`
}

// StatsQuery asks for the counts as the graph stood on AsOf (nil: now,
// answered from the count store; with a date, by a scan).
type StatsQuery struct {
	AsOf *Date
}

// Normalize checks the date.
func (q StatsQuery) Normalize() (StatsQuery, error) { return q, checkAsOf(q.AsOf) }

// Reader answers the investigator API's generic graph questions. Every
// method runs as a read (routed to readers in a cluster) and honours ctx's
// deadline. Unknown ids give CodeNotFound; bad arguments CodeInvalid.
type Reader interface {
	Ping(ctx context.Context) error
	Search(ctx context.Context, q SearchQuery) (SearchPage, error)
	// Entity answers an entity as known on q.AsOf: an entity not yet
	// reported then is CodeNotFound; its sources and relationship counts are
	// those known then.
	Entity(ctx context.Context, q EntityQuery) (EntityDetail, error)
	Neighbors(ctx context.Context, q NeighborsQuery) (Subgraph, error)
	Paths(ctx context.Context, q PathsQuery) (PathsResult, error)
	Stats(ctx context.Context, q StatsQuery) (Stats, error)
}

// Cursor is the decoded form of an opaque page cursor: an offset (search)
// or the last id seen (neighbours), bound to the query it came from.
type Cursor struct {
	Offset int    `json:"o,omitempty"`
	After  string `json:"a,omitempty"`
	Hop    int    `json:"h,omitempty"` // neighbours: the distance of After
	Key    string `json:"k"`
}

// EncodeCursor makes an opaque cursor (URL-safe base64 of JSON).
func EncodeCursor(c Cursor) string {
	b, _ := json.Marshal(c) // a struct of strings and an int always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor checks and decodes a cursor for the query whose CursorKey is
// key. Garbage, a negative offset or a cursor from another query give
// CodeInvalid naming field "cursor".
func DecodeCursor(s, key string) (Cursor, error) {
	if len(s) > 1024 {
		return Cursor{}, Errorf(CodeInvalid, "cursor", "is too long")
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, Errorf(CodeInvalid, "cursor", "is not a cursor returned by this API")
	}
	var c Cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Key == "" {
		return Cursor{}, Errorf(CodeInvalid, "cursor", "is not a cursor returned by this API")
	}
	if c.Key != key {
		return Cursor{}, Errorf(CodeInvalid, "cursor", "belongs to a different query")
	}
	if c.Offset < 0 || c.Offset > 100000 || c.Hop < 0 || c.Hop > MaxNeighborDepth {
		return Cursor{}, Errorf(CodeInvalid, "cursor", "has an offset out of range")
	}
	return c, nil
}

func cursorKey(parts ...string) string {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

func kindsKey(ks []Kind) string {
	ss := make([]string, 0, len(ks))
	for _, k := range ks {
		ss = append(ss, string(k))
	}
	return strings.Join(NormalizeStrings(ss), ",")
}

func relsKey(ts []RelType) string {
	ss := make([]string, 0, len(ts))
	for _, t := range ts {
		ss = append(ss, string(t))
	}
	return strings.Join(NormalizeStrings(ss), ",")
}

func dateKey(d *Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}
