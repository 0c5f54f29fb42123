package read

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/names"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/queries"
)

var _ graph.Reader = (*Reader)(nil)

// ---- search

// Search runs a full-text search over names and aliases. For roles that may
// not see victims' personal details the query leaves victims out before
// SKIP and LIMIT, so pages are full and cursors say nothing about them.
func (db *Reader) Search(ctx context.Context, q graph.SearchQuery) (graph.SearchPage, error) {
	q, err := q.Normalize()
	if err != nil {
		return graph.SearchPage{}, err
	}
	lucene, err := LuceneQuery(q.Text)
	if err != nil {
		return graph.SearchPage{}, err
	}
	labels, err := core.KindLabels(q.Kinds)
	if err != nil {
		return graph.SearchPage{}, err
	}
	hidden := []string{}
	if !q.Role.SeesVictimPersonal() {
		l, _ := graph.KindLabel(graph.KindVictim)
		hidden = append(hidden, l)
	}
	offset := 0
	if q.Cursor != "" {
		c, err := graph.DecodeCursor(q.Cursor, q.CursorKey())
		if err != nil {
			return graph.SearchPage{}, err
		}
		offset = c.Offset
	}
	// Whole blocks of the index's order are read and each is re-ranked by
	// graph.SearchRelevance, so a page is a slice of a fixed order.
	block := graph.SearchRankBlock
	skip := offset / block * block
	end := (offset + q.Limit + 1 + block - 1) / block * block
	params := map[string]any{
		"lucene": lucene, "labels": labels, "hidden": hidden, "skip": int64(skip), "limit": int64(end - skip),
	}
	if err := db.AsOfParams(ctx, q.AsOf, params); err != nil {
		return graph.SearchPage{}, fmt.Errorf("search %q: %w", q.Text, err)
	}
	res, err := db.ReadTimed(ctx, core.ReadQuery("read-search", nil), params)
	if err != nil {
		return graph.SearchPage{}, fmt.Errorf("search %q: %w", q.Text, err)
	}
	hits := make([]graph.SearchHit, 0, len(res.Records))
	rel := make([]float64, 0, len(res.Records))
	for _, rec := range res.Records {
		h, err := SearchHitFromRecord(rec)
		if err != nil {
			return graph.SearchPage{}, fmt.Errorf("search %q: %w", q.Text, err)
		}
		aliases, err := core.StringsValue(rec, "aliases")
		if err != nil {
			return graph.SearchPage{}, fmt.Errorf("search %q: hit %s: %w", q.Text, h.ID, err)
		}
		hits = append(hits, h)
		rel = append(rel, graph.SearchRelevance(q.Text, h.Name, aliases))
	}
	rankBlocks(hits, rel, block)
	page := graph.SearchPage{Hits: []graph.SearchHit{}}
	if from := offset - skip; from < len(hits) {
		page.Hits = hits[from:min(len(hits), from+q.Limit+1)]
	}
	if len(page.Hits) > q.Limit {
		page.Hits = page.Hits[:q.Limit]
		page.NextCursor = graph.EncodeCursor(graph.Cursor{Offset: offset + q.Limit, Key: q.CursorKey()})
	}
	return page, nil
}

// rankBlocks orders each block of hits (in the index's order) by relevance,
// then the index's score, then id; the hit's score becomes its relevance.
func rankBlocks(hits []graph.SearchHit, rel []float64, block int) {
	for i := range hits {
		hits[i].Score, rel[i] = rel[i], hits[i].Score
	}
	for start := 0; start < len(hits); start += block {
		end := min(start+block, len(hits))
		h, r := hits[start:end], rel[start:end]
		idx := make([]int, len(h))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(x, y int) bool {
			a, b := idx[x], idx[y]
			if h[a].Score != h[b].Score {
				return h[a].Score > h[b].Score
			}
			if r[a] != r[b] {
				return r[a] > r[b]
			}
			return h[a].ID < h[b].ID
		})
		sorted := make([]graph.SearchHit, len(h))
		for i, j := range idx {
			sorted[i] = h[j]
		}
		copy(h, sorted)
	}
}

// SearchHitFromRecord converts a read-search row.
func SearchHitFromRecord(rec *neo4j.Record) (graph.SearchHit, error) {
	var h graph.SearchHit
	var err error
	if h.ID, _, err = neo4j.GetRecordValue[string](rec, "id"); err != nil {
		return h, err
	}
	if h.Name, _, err = neo4j.GetRecordValue[string](rec, "name"); err != nil {
		return h, fmt.Errorf("hit %s: %w", h.ID, err)
	}
	labels, err := core.StringsValue(rec, "labels")
	if err != nil {
		return h, fmt.Errorf("hit %s: %w", h.ID, err)
	}
	h.Kinds = graph.KindsFromLabels(labels)
	if h.Score, _, err = neo4j.GetRecordValue[float64](rec, "score"); err != nil {
		return h, fmt.Errorf("hit %s: %w", h.ID, err)
	}
	return h, nil
}

// LuceneQuery turns a user's words into a query for the entity_names index.
// The words are normalised as the matcher does (graph/names: transliterated
// to Latin, case and diacritics folded, punctuation dropped, so "CHEN, Zhi"
// is "chen zhi" and "陈志" is "chen zhi") and every word must match (AND), as
// the exact term (boosted), as a fuzzy term (one edit for words of 2-5
// letters, two beyond) or as a prefix. Normalised words hold only a-z and
// 0-9, so nothing in them is Lucene syntax. When the text holds letters of
// another script, the words as typed (lowercased, every Lucene special
// character escaped) are an alternative, so an alias written in that script
// is found too.
func LuceneQuery(text string) (string, error) {
	switch {
	case !utf8.ValidString(text):
		return "", graph.Errorf(graph.CodeInvalid, "q", "is not valid UTF-8")
	case len(text) > graph.MaxSearchTextLen:
		return "", graph.Errorf(graph.CodeInvalid, "q", "is longer than %d bytes", graph.MaxSearchTextLen)
	}
	words := names.Words(text)
	if len(words) > graph.MaxSearchTerms {
		words = words[:graph.MaxSearchTerms]
	}
	groups := make([]string, 0, len(words))
	for _, w := range words {
		alts := []string{w + "^3"}
		switch {
		case strings.Trim(w, "0123456789") == "":
			// a number: exact or prefix only
		case len(w) >= 6:
			alts = append(alts, w+"~2")
		case len(w) >= 2:
			alts = append(alts, w+"~1")
		}
		alts = append(alts, w+"*")
		groups = append(groups, "("+strings.Join(alts, " OR ")+")")
	}
	if len(groups) == 0 {
		return "", graph.Errorf(graph.CodeInvalid, "q", "needs at least one word to search for")
	}
	folded := strings.Join(groups, " AND ")
	if raw := rawLuceneQuery(text); raw != "" && hasNonLatinLetter(text) {
		return "(" + folded + ") OR (" + raw + ")", nil
	}
	return folded, nil
}

// hasNonLatinLetter reports whether s has a letter of a script other than
// Latin (Han, Cyrillic, Thai, Khmer ...).
func hasNonLatinLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return true
		}
	}
	return false
}

// rawLuceneQuery is the words as typed, lowercased, each required as a
// phrase (so the ideographs of "陈志" must stand together; inside a phrase
// only '"' and '\' are syntax, and they are escaped): "" when none.
func rawLuceneQuery(text string) string {
	words := strings.Fields(strings.ToLower(text))
	if len(words) > graph.MaxSearchTerms {
		words = words[:graph.MaxSearchTerms]
	}
	groups := make([]string, 0, len(words))
	for _, w := range words {
		var esc strings.Builder
		letters := 0
		for _, r := range w {
			switch {
			case r == 0 || unicode.IsControl(r):
				continue
			case r == '"' || r == '\\':
				esc.WriteByte('\\')
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				letters++
			}
			esc.WriteRune(r)
		}
		if letters == 0 {
			continue
		}
		groups = append(groups, `"`+esc.String()+`"`)
	}
	return strings.Join(groups, " AND ")
}

// ---- entity

// Entity returns an entity with its relationship counts, as known on
// q.AsOf: with a date, an entity not reported yet is not found, and the
// sources published later are left out of its sources.
func (db *Reader) Entity(ctx context.Context, q graph.EntityQuery) (graph.EntityDetail, error) {
	q, err := q.Normalize()
	if err != nil {
		return graph.EntityDetail{}, err
	}
	id := q.ID
	params := map[string]any{"id": id}
	if err := db.AsOfParams(ctx, q.AsOf, params); err != nil {
		return graph.EntityDetail{}, fmt.Errorf("read entity %s: %w", id, err)
	}
	res, err := db.ReadTimed(ctx, core.ReadQuery("read-entity", nil), params)
	if err != nil {
		return graph.EntityDetail{}, fmt.Errorf("read entity %s: %w", id, err)
	}
	if len(res.Records) == 0 {
		if q.AsOf != nil {
			return graph.EntityDetail{}, graph.Errorf(graph.CodeNotFound, "id", "no entity %q known on %s", id, q.AsOf)
		}
		return graph.EntityDetail{}, graph.Errorf(graph.CodeNotFound, "id", "no entity %q", id)
	}
	d, err := EntityDetailFromRecord(res.Records[0])
	if err != nil {
		return graph.EntityDetail{}, fmt.Errorf("read entity %s: %w", id, err)
	}
	if late, _ := params["late"].([]string); len(late) > 0 {
		d.Sources = slices.DeleteFunc(d.Sources, func(s string) bool { return slices.Contains(late, s) })
	}
	return d, nil
}

// EntityDetailFromRecord converts a read-entity row.
func EntityDetailFromRecord(rec *neo4j.Record) (graph.EntityDetail, error) {
	e, err := core.EntityAt(rec, "n")
	if err != nil {
		return graph.EntityDetail{}, err
	}
	d := graph.EntityDetail{Entity: e, RelationshipCounts: []graph.RelCount{}}
	types, err := core.StringsValue(rec, "types")
	if err != nil {
		return d, err
	}
	dirs, err := core.StringsValue(rec, "directions")
	if err != nil {
		return d, err
	}
	counts, _, err := neo4j.GetRecordValue[[]any](rec, "counts")
	if err != nil {
		return d, err
	}
	if len(types) != len(dirs) || len(types) != len(counts) {
		return d, fmt.Errorf("relationship counts: %d types, %d directions, %d counts", len(types), len(dirs), len(counts))
	}
	for i, t := range types {
		c, ok := counts[i].(int64)
		if !ok {
			return d, fmt.Errorf("relationship counts[%d]: want integer, got %T", i, counts[i])
		}
		d.RelationshipCounts = append(d.RelationshipCounts, graph.RelCount{Type: graph.RelType(t), Direction: dirs[i], Count: int(c)})
	}
	return d, nil
}

// ---- neighbours

// Neighbors returns a page of an entity's neighbourhood. Depth 1 is exact:
// the root's neighbours in id order, paged in the query. Deeper, the
// expansion is a breadth-first search bounded per hop (the first
// graph.MaxNeighborFrontier nodes of a hop, in id order, are expanded;
// graph.MaxNeighborFanout relationships are followed from each), whose nodes
// are then paged by (distance, id); Truncated says when a bound was hit.
func (db *Reader) Neighbors(ctx context.Context, q graph.NeighborsQuery) (graph.Subgraph, error) {
	q, err := q.Normalize()
	if err != nil {
		return graph.Subgraph{}, err
	}
	var after graph.Cursor
	if q.Cursor != "" {
		c, err := graph.DecodeCursor(q.Cursor, q.CursorKey())
		if err != nil {
			return graph.Subgraph{}, err
		}
		after = c
	}
	types, err := core.RelTypeParams(q.RelTypes)
	if err != nil {
		return graph.Subgraph{}, err
	}
	labels, err := core.KindLabels(q.Kinds)
	if err != nil {
		return graph.Subgraph{}, err
	}
	params := map[string]any{"id": q.ID, "types": types, "labels": labels}
	if err := db.AsOfParams(ctx, q.AsOf, params); err != nil {
		return graph.Subgraph{}, fmt.Errorf("neighbours of %s: %w", q.ID, err)
	}
	n := newNeighborhood()
	if q.Depth == 1 {
		params["after"], params["limit"] = after.After, int64(q.Limit)
		if err := db.firstHop(ctx, params, n); err != nil {
			return graph.Subgraph{}, fmt.Errorf("neighbours of %s: %w", q.ID, err)
		}
		return n.page(q, graph.Cursor{}, q.Limit), nil
	}
	params["after"], params["limit"] = "", int64(graph.MaxNeighborFrontier)
	if err := db.firstHop(ctx, params, n); err != nil {
		return graph.Subgraph{}, fmt.Errorf("neighbours of %s: %w", q.ID, err)
	}
	n.morePage = false // more first-hop nodes than the frontier bound: capped, not a page
	behind, frontier := []string{q.ID}, n.atHop(1)
	for hop := 2; hop <= q.Depth && len(frontier) > 0; hop++ {
		if len(frontier) > graph.MaxNeighborFrontier {
			frontier, n.capped = frontier[:graph.MaxNeighborFrontier], true
		}
		hp := map[string]any{"ids": frontier, "behind": behind, "types": types, "labels": labels,
			"fanout": int64(graph.MaxNeighborFanout), "asOf": params["asOf"], "late": params["late"]}
		if hop == q.Depth && boundLastHop {
			// The last hop: only the nodes the page can show are read.
			if err := db.lastHop(ctx, hop, hp, n, after, q.Limit); err != nil {
				return graph.Subgraph{}, fmt.Errorf("neighbours of %s, hop %d: %w", q.ID, hop, err)
			}
			break
		}
		res, err := db.ReadTimed(ctx, core.ReadQuery("read-neighbors-hop", nil), hp)
		if err != nil {
			return graph.Subgraph{}, fmt.Errorf("neighbours of %s, hop %d: %w", q.ID, hop, err)
		}
		if err := n.addHop(hop, res.Records); err != nil {
			return graph.Subgraph{}, fmt.Errorf("neighbours of %s, hop %d: %w", q.ID, hop, err)
		}
		behind, frontier = frontier, n.atHop(hop)
	}
	return n.page(q, after, q.Limit), nil
}

// boundLastHop is whether the last hop is read by lastHop (always, but in
// the test that compares its pages with the whole hop's).
var boundLastHop = true

// lastHop adds the last hop of a neighbourhood, bounded by the page as it
// is read: read-neighbors-last-hop sends the hop's ids only (frontier node,
// relationship, other end); of the nodes it reaches, only those the page
// can show are kept (the first in id order beyond the cursor, one more than
// the page has room for, so the page knows there is more) and read with
// read-neighbors-fetch, with their relationships to the frontier and the
// relationships among the frontier. The page is the one the whole hop would
// give (TestNeighborsLastHopIsTheWholeHop), at the cost of the ids of the
// hop and one page of nodes, not every node of the hop.
func (db *Reader) lastHop(ctx context.Context, hop int, hp map[string]any, n *neighborhood, after graph.Cursor, limit int) error {
	res, err := db.ReadTimed(ctx, core.ReadQuery("read-neighbors-last-hop", nil), hp)
	if err != nil {
		return err
	}
	inFrontier := map[string]bool{}
	for _, id := range hp["ids"].([]string) {
		inFrontier[id] = true
	}
	type reach struct{ fid, rid, mid string }
	perNode := map[string]int{}
	var rows []reach
	parent := map[string]string{} // a new node -> the frontier node it was first reached from
	for _, rec := range res.Records {
		fid, _, err := neo4j.GetRecordValue[string](rec, "fid")
		if err != nil {
			return fmt.Errorf("fid: %w", err)
		}
		rids, _, err1 := neo4j.GetRecordValue[[]any](rec, "rids")
		mids, _, err2 := neo4j.GetRecordValue[[]any](rec, "mids")
		if err := errors.Join(err1, err2); err != nil || len(rids) != len(mids) {
			return fmt.Errorf("rids, mids of %s: %v (%d and %d)", fid, err, len(rids), len(mids))
		}
		for i := range rids {
			x := reach{fid: fid}
			var ok1, ok2 bool
			x.rid, ok1 = rids[i].(string)
			x.mid, ok2 = mids[i].(string)
			if !ok1 || !ok2 {
				return fmt.Errorf("rids, mids of %s: want strings, got %T, %T", fid, rids[i], mids[i])
			}
			perNode[x.fid]++
			if perNode[x.fid] > graph.MaxNeighborFanout {
				n.capped = true
				continue
			}
			rows = append(rows, x)
			if _, seen := n.dist[x.mid]; !seen && x.mid != n.root.ID && !inFrontier[x.mid] {
				if _, ok := parent[x.mid]; !ok {
					parent[x.mid] = x.fid
				}
			}
		}
	}
	// Room on the page: the nodes of earlier hops beyond the cursor come
	// first; the new ones fill what is left, plus one.
	beyond := func(d int, id string) bool { return d > after.Hop || d == after.Hop && id > after.After } // as page cuts
	room := limit + 1
	for id, d := range n.dist {
		if beyond(d, id) {
			room--
		}
	}
	fresh := make([]string, 0, len(parent))
	for id := range parent {
		if beyond(hop, id) {
			fresh = append(fresh, id)
		}
	}
	slices.Sort(fresh)
	if room < 0 {
		room = 0
	}
	fresh = fresh[:min(room, len(fresh))]
	keep := map[string]bool{}
	for _, id := range fresh {
		keep[id] = true
	}
	var rids []string
	for _, x := range rows {
		if keep[x.mid] || inFrontier[x.mid] {
			rids = append(rids, x.rid)
		}
	}
	if len(fresh) == 0 && len(rids) == 0 {
		return nil
	}
	got, err := db.ReadTimed(ctx, core.ReadQuery("read-neighbors-fetch", nil), map[string]any{"mids": fresh, "rids": rids})
	if err != nil {
		return err
	}
	if len(got.Records) != 1 {
		return fmt.Errorf("read-neighbors-fetch: %d rows, want 1", len(got.Records))
	}
	rec := got.Records[0]
	nodes, _, err := neo4j.GetRecordValue[[]any](rec, "nodes")
	if err != nil {
		return err
	}
	for i, x := range nodes {
		m, ok := x.(neo4j.Node)
		if !ok {
			return fmt.Errorf("nodes[%d]: want node, got %T", i, x)
		}
		e, err := core.EntityFromNode(m)
		if err != nil {
			return err
		}
		n.nodes[e.ID], n.dist[e.ID], n.parent[e.ID] = e, hop, parent[e.ID]
	}
	rels, _, err := neo4j.GetRecordValue[[]any](rec, "rels")
	if err != nil {
		return err
	}
	for i, x := range rels {
		m, ok := x.(map[string]any)
		r, okR := m["r"].(neo4j.Relationship)
		from, okF := m["from"].(string)
		to, okT := m["to"].(string)
		if !ok || !okR || !okF || !okT {
			return fmt.Errorf("rels[%d]: want {r, from, to}, got %T", i, x)
		}
		if _, okFrom := n.nodes[from]; !okFrom && from != n.root.ID {
			continue // an end deleted in between
		}
		if _, okTo := n.nodes[to]; !okTo && to != n.root.ID {
			continue
		}
		if err := n.addEdge(r, map[string]string{r.StartElementId: from, r.EndElementId: to}); err != nil {
			return err
		}
	}
	return nil
}

// neighborhood accumulates what an expansion found.
type neighborhood struct {
	root     graph.Entity
	rootEID  string
	nodes    map[string]graph.Entity // neighbours by id (the root excluded)
	dist     map[string]int          // hops from the root
	parent   map[string]string       // the node a neighbour was first reached from
	edges    map[string]graph.Relationship
	edgeIDs  []string // first-seen order
	capped   bool     // a per-hop bound cut the expansion
	morePage bool     // depth 1: the query found more than a page
}

func newNeighborhood() *neighborhood {
	return &neighborhood{nodes: map[string]graph.Entity{}, dist: map[string]int{},
		parent: map[string]string{}, edges: map[string]graph.Relationship{}}
}

// firstHop runs read-neighbors and records the root, its neighbours and
// the relationships with them. A root of KeysetMinDegree relationships or
// more (read-neighbors says so and reads none of them) is paged by
// read-neighbors-keyset instead, when every type has the ends indexes.
func (db *Reader) firstHop(ctx context.Context, params map[string]any, n *neighborhood) error {
	params["keysetMin"] = int64(math.MaxInt32) // never: Cypher compares int32 degrees
	if keysetTypes(params["types"].([]string)) {
		// Past int32 is "never" too: Cypher refuses a larger bound there.
		params["keysetMin"] = int64(min(KeysetMinDegree, math.MaxInt32))
	}
	// Both queries answer the root on their first row, none when it is
	// gone (it may be deleted between the two).
	read := func(text string) (*neo4j.EagerResult, error) {
		res, err := db.ReadTimed(ctx, text, params)
		if err == nil && len(res.Records) == 0 {
			err = graph.Errorf(graph.CodeNotFound, "id", "no entity %q", params["id"])
		}
		return res, err
	}
	res, err := read(core.ReadQuery("read-neighbors", nil))
	if err != nil {
		return err
	}
	if dense, _, err := neo4j.GetRecordValue[bool](res.Records[0], "dense"); err != nil {
		return err
	} else if dense {
		text, err := db.keysetQuery(ctx, params)
		if err != nil {
			return err
		}
		if res, err = read(text); err != nil {
			return err
		}
	}
	limit := int(params["limit"].(int64))
	for i, rec := range res.Records {
		if i == 0 {
			root, _, err := neo4j.GetRecordValue[neo4j.Node](rec, "root")
			if err != nil {
				return err
			}
			if n.root, err = core.EntityFromNode(root); err != nil {
				return err
			}
			n.rootEID = root.ElementId
		}
		m, isNil, err := neo4j.GetRecordValue[neo4j.Node](rec, "m")
		if err != nil {
			return err
		}
		if isNil {
			continue
		}
		if len(n.nodes) == limit {
			n.morePage, n.capped = true, true
			break
		}
		e, err := core.EntityFromNode(m)
		if err != nil {
			return err
		}
		n.nodes[e.ID], n.dist[e.ID], n.parent[e.ID] = e, 1, n.root.ID
		rels, _, err := neo4j.GetRecordValue[[]any](rec, "rs")
		if err != nil {
			return err
		}
		ends := map[string]string{n.rootEID: n.root.ID, m.ElementId: e.ID}
		for i, x := range rels {
			r, ok := x.(neo4j.Relationship)
			if !ok {
				return fmt.Errorf("rs[%d]: want relationship, got %T", i, x)
			}
			if err := n.addEdge(r, ends); err != nil {
				return err
			}
		}
	}
	return nil
}

// KeysetMinDegree is the root's degree (over every type) from which
// read-neighbors-keyset pages its neighbours: below it, reading all
// of the root's relationships (read-neighbors, one plan for every node) is
// as cheap as the seeks. A variable so tests can send every node the
// keyset way.
var KeysetMinDegree = 1000

// keysetTypes: every type of types (from the allow-list) has the ends
// indexes of schema/005-relationship-ends (graph.RelTypes: not
// MENTIONED_IN), so read-neighbors-keyset can page them.
func keysetTypes(types []string) bool {
	indexed := graph.RelTypes()
	for _, t := range types {
		if !slices.Contains(indexed, graph.RelType(t)) {
			return false
		}
	}
	return true
}

// keysetQuery is read-neighbors-keyset for a dense root, with a branch
// for each type and direction of params' types the root has relationships
// of. The degrees are read from the root's relationship groups (no
// relationship is read), one round trip.
func (db *Reader) keysetQuery(ctx context.Context, params map[string]any) (string, error) {
	types := params["types"].([]string)
	res, err := db.ReadTimed(ctx, degreesQuery(types), map[string]any{"id": params["id"]})
	if err != nil {
		return "", err
	}
	if len(res.Records) == 0 {
		return "", graph.Errorf(graph.CodeNotFound, "id", "no entity %q", params["id"])
	}
	degrees, _, err := neo4j.GetRecordValue[[]any](res.Records[0], "degrees")
	if err != nil {
		return "", err
	}
	if len(degrees) != 2*len(types) {
		return "", fmt.Errorf("degrees: %d for %d types", len(degrees), len(types))
	}
	var out, in []string
	for i, t := range types {
		if o, _ := degrees[2*i].(int64); o > 0 {
			out = append(out, t)
		}
		if n, _ := degrees[2*i+1].(int64); n > 0 {
			in = append(in, t)
		}
	}
	return KeysetQuery(out, in), nil
}

// degreesQuery reads the root's degree per type of types (from the
// allow-list) and direction: degrees, [out, in] per type.
func degreesQuery(types []string) string {
	var b strings.Builder
	b.WriteString("MATCH (root:Entity {id: $id})\nRETURN [")
	for i, t := range types {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "COUNT { (root)-[:%s]->() }, COUNT { (root)<-[:%s]-() }", t, t)
	}
	b.WriteString("] AS degrees")
	return b.String()
}

// KeysetQuery is read-neighbors-keyset with a branch per type of out (the
// root's outgoing neighbours: _from_id = $id, in _to_id order) and of in
// (incoming: _to_id = $id, in _from_id order), UNION ALL between them. The
// types come from the allow-list; each must have the ends indexes.
func KeysetQuery(out, in []string) string {
	type branch struct{ pattern, self, other, t string }
	var bs []branch
	for _, t := range out {
		bs = append(bs, branch{"()-[r:%s]->(m:Entity)", queries.RelFromKey, queries.RelToKey, t})
	}
	for _, t := range in {
		bs = append(bs, branch{"(m:Entity)-[r:%s]->()", queries.RelToKey, queries.RelFromKey, t})
	}
	var b strings.Builder
	if len(bs) == 0 {
		b.WriteString("    UNWIND [] AS mid\n    RETURN mid\n")
	}
	for i, x := range bs {
		if i > 0 {
			b.WriteString("    UNION ALL\n")
		}
		self, other := "r."+x.self, "r."+x.other
		// The hint and the ORDER BY over both index keys make the planner
		// seek the composite index and take its order (Limit over an
		// OrderedDistinct, no Top over all of the root's entries).
		fmt.Fprintf(&b, "    MATCH "+x.pattern+"\n    USING INDEX r:%s(%s, %s)\n", x.t, x.t, x.self, x.other)
		fmt.Fprintf(&b, `    WHERE %s = $id AND %s > $after AND %s <> $id
      AND (size($labels) = 0 OR any(l IN labels(m) WHERE l IN $labels))
      AND __asof_rel(r) AND __asof_node(m)
    WITH DISTINCT %s AS k, %s AS mid
    ORDER BY k, mid
    LIMIT $limit + 1
    RETURN mid
`, self, other, other, self, other)
	}
	return core.ReadQueryWith("read-neighbors-keyset", nil, map[string]string{"__keyset_branches": core.AsOfExpand(b.String())})
}

// addHop records a read-neighbors-hop answer for hop.
func (n *neighborhood) addHop(hop int, recs []*neo4j.Record) error {
	perNode := map[string]int{}
	for _, rec := range recs {
		f, _, err := neo4j.GetRecordValue[neo4j.Node](rec, "f")
		if err != nil {
			return err
		}
		perNode[f.ElementId]++
		if perNode[f.ElementId] > graph.MaxNeighborFanout {
			n.capped = true
			continue
		}
		m, _, err := neo4j.GetRecordValue[neo4j.Node](rec, "m")
		if err != nil {
			return err
		}
		r, _, err := neo4j.GetRecordValue[neo4j.Relationship](rec, "r")
		if err != nil {
			return err
		}
		fid, err := neo4j.GetProperty[string](f, "id")
		if err != nil {
			return fmt.Errorf("frontier node: %w", err)
		}
		me, err := core.EntityFromNode(m)
		if err != nil {
			return err
		}
		if _, seen := n.nodes[me.ID]; !seen && me.ID != n.root.ID {
			n.nodes[me.ID], n.dist[me.ID], n.parent[me.ID] = me, hop, fid
		}
		if err := n.addEdge(r, map[string]string{f.ElementId: fid, m.ElementId: me.ID}); err != nil {
			return err
		}
	}
	return nil
}

// addEdge converts a relationship whose endpoints are among ends (element
// id to entity id).
func (n *neighborhood) addEdge(r neo4j.Relationship, ends map[string]string) error {
	from, ok1 := ends[r.StartElementId]
	to, ok2 := ends[r.EndElementId]
	if !ok1 || !ok2 {
		return fmt.Errorf("relationship %s: endpoints not in the answer", r.ElementId)
	}
	rel, err := core.RelationshipFromStored(r, from, to)
	if err != nil {
		return err
	}
	if _, seen := n.edges[rel.ID]; !seen {
		n.edges[rel.ID] = rel
		n.edgeIDs = append(n.edgeIDs, rel.ID)
	}
	return nil
}

// atHop returns the ids of the neighbours at distance hop, sorted.
func (n *neighborhood) atHop(hop int) []string {
	var out []string
	for id, d := range n.dist {
		if d == hop {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// page cuts the neighbours after the cursor, in (distance, id) order, to
// limit; adds the nodes that connect them to the root; and keeps the edges
// among all these nodes.
func (n *neighborhood) page(q graph.NeighborsQuery, after graph.Cursor, limit int) graph.Subgraph {
	ids := make([]string, 0, len(n.nodes))
	for id, d := range n.dist {
		if d > after.Hop || d == after.Hop && id > after.After {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool {
		if n.dist[ids[i]] != n.dist[ids[j]] {
			return n.dist[ids[i]] < n.dist[ids[j]]
		}
		return ids[i] < ids[j]
	})
	g := graph.Subgraph{Nodes: []graph.Entity{n.root}, Edges: []graph.Relationship{}, Truncated: n.capped}
	more := n.morePage
	if len(ids) > limit {
		ids, more = ids[:limit], true
	}
	in := map[string]bool{n.root.ID: true}
	for _, id := range ids {
		in[id] = true
		g.Nodes = append(g.Nodes, n.nodes[id])
	}
	for _, id := range ids { // the connecting nodes, so the page can be drawn alone
		for p := n.parent[id]; !in[p]; p = n.parent[p] {
			in[p] = true
			g.Nodes = append(g.Nodes, n.nodes[p])
		}
	}
	for _, id := range n.edgeIDs {
		e := n.edges[id]
		if in[e.From] && in[e.To] {
			g.Edges = append(g.Edges, e)
		}
	}
	if more && len(ids) > 0 {
		last := ids[len(ids)-1]
		g.Truncated = true
		g.NextCursor = graph.EncodeCursor(graph.Cursor{After: last, Hop: n.dist[last], Key: q.CursorKey()})
	}
	return g
}

// ---- paths

// Paths finds shortest paths, or the shortest simple paths up to MaxHops,
// between two entities.
func (db *Reader) Paths(ctx context.Context, q graph.PathsQuery) (graph.PathsResult, error) {
	q, err := q.Normalize()
	if err != nil {
		return graph.PathsResult{}, err
	}
	minRank := q.MinEvidence.Rank()
	var name string
	switch q.Mode {
	case graph.PathShortest, "":
		name = "read-paths-shortest"
	case graph.PathAll:
		name = "read-paths-all"
	default:
		return graph.PathsResult{}, graph.Errorf(graph.CodeInvalid, "mode", "must be shortest or all")
	}
	types, err := core.RelTypeParams(q.RelTypes)
	if err != nil {
		return graph.PathsResult{}, err
	}
	params := map[string]any{"from": q.From, "to": q.To, "types": types,
		"minRank": int64(minRank), "limit": int64(q.Limit), "maxDegree": int64(q.MaxDegree)}
	if err := db.AsOfParams(ctx, q.AsOf, params); err != nil {
		return graph.PathsResult{}, fmt.Errorf("paths %s to %s: %w", q.From, q.To, err)
	}
	cypher := core.ReadQuery(name, map[string]int{"__max_hops": q.MaxHops, "__k": q.Limit + 1})
	res, err := db.ReadTimed(ctx, cypher, params)
	if err != nil {
		return graph.PathsResult{}, fmt.Errorf("paths %s to %s: %w", q.From, q.To, err)
	}
	out := graph.PathsResult{Paths: []graph.Path{}}
	for _, rec := range res.Records {
		for _, end := range []struct{ key, field, id string }{{"from_found", "from", q.From}, {"to_found", "to", q.To}} {
			found, _, err := neo4j.GetRecordValue[bool](rec, end.key)
			if err != nil {
				return out, fmt.Errorf("paths %s to %s: %w", q.From, q.To, err)
			}
			if !found {
				return out, graph.Errorf(graph.CodeNotFound, end.field, "no entity %q", end.id)
			}
		}
		p, isNil, err := neo4j.GetRecordValue[neo4j.Path](rec, "p")
		if err != nil {
			return out, fmt.Errorf("paths %s to %s: %w", q.From, q.To, err)
		}
		if isNil {
			continue
		}
		gp, err := core.PathFromDriver(p)
		if err != nil {
			return out, fmt.Errorf("paths %s to %s: %w", q.From, q.To, err)
		}
		out.Paths = append(out.Paths, gp)
	}
	sort.SliceStable(out.Paths, func(i, j int) bool { return len(out.Paths[i].Edges) < len(out.Paths[j].Edges) })
	if len(out.Paths) > q.Limit {
		out.Paths, out.Truncated = out.Paths[:q.Limit], true
	}
	return out, nil
}

// ---- stats

// Stats counts entities by kind and relationships by type: from the count
// store, or, with q.AsOf, by a scan of what was known then.
func (db *Reader) Stats(ctx context.Context, q graph.StatsQuery) (graph.Stats, error) {
	q, err := q.Normalize()
	if err != nil {
		return graph.Stats{}, err
	}
	cypher, params, kindOf := queries.Get("read-stats"), map[string]any{}, map[string]string{}
	if q.AsOf != nil {
		labels := []string{}
		for _, k := range graph.AllKinds() {
			l, _ := graph.KindLabel(k)
			labels, kindOf[l] = append(labels, l), string(k)
		}
		types := []string{}
		for _, t := range append(graph.RelTypes(), graph.RelMentionedIn) {
			types = append(types, string(t))
		}
		params["labels"], params["types"] = labels, types
		if err := db.AsOfParams(ctx, q.AsOf, params); err != nil {
			return graph.Stats{}, fmt.Errorf("stats: %w", err)
		}
		cypher = core.ReadQuery("read-stats-asof", nil)
	}
	res, err := db.ReadTimed(ctx, cypher, params)
	if err != nil {
		return graph.Stats{}, fmt.Errorf("stats: %w", err)
	}
	s := graph.Stats{ByKind: map[string]int{}, ByRelType: map[string]int{}}
	// Neo4j leaves out the rows of labels and types it has never seen: zero.
	for _, k := range graph.AllKinds() {
		s.ByKind[string(k)] = 0
	}
	for _, t := range append(graph.RelTypes(), graph.RelMentionedIn) {
		s.ByRelType[string(t)] = 0
	}
	for _, rec := range res.Records {
		what, _, err := neo4j.GetRecordValue[string](rec, "what")
		if err != nil {
			return s, fmt.Errorf("stats: %w", err)
		}
		name, _, err := neo4j.GetRecordValue[string](rec, "name")
		if err != nil {
			return s, fmt.Errorf("stats: %w", err)
		}
		c, _, err := neo4j.GetRecordValue[int64](rec, "count")
		if err != nil {
			return s, fmt.Errorf("stats: %w", err)
		}
		switch what {
		case "entities":
			s.Entities = int(c)
		case "relationships":
			s.Relationships = int(c)
		case "kind":
			s.ByKind[name] = int(c)
		case "label": // read-stats-asof
			s.ByKind[kindOf[name]] = int(c)
		case "rel":
			s.ByRelType[name] = int(c)
			if q.AsOf != nil {
				s.Relationships += int(c)
			}
		default:
			return s, fmt.Errorf("stats: unexpected row %q", what)
		}
	}
	return s, nil
}
