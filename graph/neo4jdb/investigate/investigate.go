package investigate

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/queries"
)

var _ graph.Investigator = (*Investigator)(nil)

// invHopsToken stands for the hop bound in the link queries' Cypher text: a
// quantifier bound cannot be a parameter, so readQuery writes in the
// validated integer.
const invHopsToken = "__max_hops"

// invQueryWithHops returns the named query with its as_of markers expanded
// and its hop bound written in. hops must already be validated; the range
// check here is a second line of defence, since the value becomes Cypher
// text.
func invQueryWithHops(name string, hops int) (string, error) {
	return invQueryWith(name, hops, false, 1, nil)
}

// invPersonSeek is the placeholder of inv-prosecuted-compound-links that
// starts the query at one person: empty for every person, and for one a
// seek of the person by id, so that the prosecution events are read from
// that person's relationships rather than by a scan of every person.
const invPersonSeek = "__person_seek"

// invHopRank is the placeholder of inv-prosecuted-compound-links for the
// evidence test of each hop of its search: the test when minRank > 0, and
// nothing at minRank 0, which every relationship passes (graph ranks are
// 1..6, a missing one counts 0), so that the search does not read a
// property of every relationship it crosses for a test that cannot fail.
const invHopRank = "__hop_rank"

// invInnerHopsToken stands for the hops before the last in
// inv-prosecuted-compound-links: max(hops-1, 1), since a quantifier's upper
// bound cannot be 0 (the query's branch that uses it runs from 2 hops).
const invInnerHopsToken = "__inner_hops"

// invCompoundTypes is the placeholder of inv-prosecuted-compound-links for
// the types its last hop follows into a compound (T1|T2|...), and
// invLastHopRank that of the last hop's evidence test (invHopRank's, for rl).
const (
	invCompoundTypes = "__compound_types"
	invLastHopRank   = "__last_hop_rank"
)

// invQueryWith is invQueryWithHops, the query started at $person (one
// person seeked by id) when onePerson is set, for links of at least
// minRank; extra adds placeholder texts the query's caller chose (fixed
// fragments or allow-listed names, never input).
func invQueryWith(name string, hops int, onePerson bool, minRank int64, extra map[string]string) (string, error) {
	if hops < 1 || hops > graph.MaxPathHops {
		return "", fmt.Errorf("query %s: hop bound %d outside 1..%d", name, hops, graph.MaxPathHops)
	}
	if !strings.Contains(queries.Get(name), invHopsToken) {
		return "", fmt.Errorf("query %s has no %s placeholder", name, invHopsToken)
	}
	texts := invStart(onePerson, minRank)
	for k, v := range extra {
		texts[k] = v
	}
	return core.ReadQueryWith(name, invHops(hops), texts), nil
}

// invHops is the integer placeholders' values at hop bound hops.
func invHops(hops int) map[string]int {
	return map[string]int{invHopsToken: hops, invInnerHopsToken: max(hops-1, 1)}
}

// invStart is the text of the invPersonSeek, invHopRank and
// invLastHopRank placeholders, and invCompoundTypes' default: every
// traversable type (the same answer as the types read by
// invCompoundRelTypes, without their saving).
func invStart(onePerson bool, minRank int64) map[string]string {
	texts := map[string]string{invPersonSeek: "", invHopRank: "", invLastHopRank: "",
		invCompoundTypes: strings.Join(invTraversable(nil), "|")}
	if onePerson {
		texts[invPersonSeek] = "MATCH (p:Entity {id: $person}) WHERE p:Person"
	}
	if minRank > 0 {
		texts[invHopRank] = "AND coalesce(r.evidence_rank, 0) >= $minRank"
		texts[invLastHopRank] = "AND coalesce(rl.evidence_rank, 0) >= $minRank"
	}
	return texts
}

// invCompoundRelTypes returns the text of invCompoundTypes: the
// relationship types that join a compound now (inv-compound-rel-types, read
// from the count store), less the untraversed ones, each checked against
// the model's types before it becomes Cypher text. With none (no compound
// has a relationship), every traversable type: the search then finds no
// network path either way, and the pattern needs a type.
func (db *Investigator) invCompoundRelTypes(ctx context.Context, untraversed []string) (string, error) {
	res, err := db.ReadTimed(ctx, core.ReadQuery("inv-compound-rel-types", nil), nil)
	if err != nil {
		return "", fmt.Errorf("read the types that join a compound: %w", err)
	}
	if len(res.Records) != 1 {
		return "", fmt.Errorf("read the types that join a compound: %d rows, want 1", len(res.Records))
	}
	raw, _, err := neo4j.GetRecordValue[[]any](res.Records[0], "types")
	if err != nil {
		return "", fmt.Errorf("read the types that join a compound: %w", err)
	}
	present := make(map[string]bool, len(raw))
	for _, x := range raw {
		if t, ok := x.(string); ok {
			present[t] = true
		}
	}
	all := invTraversable(untraversed)
	var found []string
	for _, t := range all {
		if present[t] {
			found = append(found, t)
		}
	}
	if len(found) == 0 {
		found = all
	}
	return strings.Join(found, "|"), nil
}

// invTraversable is graph.RelTypes() less the hints (graph.HintRelTypes)
// and untraversed.
func invTraversable(untraversed []string) []string {
	var out []string
	for _, t := range graph.RelTypes() {
		if slices.Contains(untraversed, string(t)) || slices.Contains(graph.HintRelTypes(), t) {
			continue
		}
		out = append(out, string(t))
	}
	return out
}

// invDeepen runs a link query at growing hop bounds, from (at least 1, at
// most hops) up to hops, and stops at the first bound whose answer is full
// (limit rows): run(h) runs the query with bound h and returns its row
// count. A caller that knows the bounds below from cannot fill the limit
// passes it, so as not to run them for nothing.
//
// The link queries keep each pair's shortest path and order by path length
// first, so once the pairs within h hops fill the limit, a larger bound
// only adds longer pairs after them: the answer is the same, and the cost
// is that of the bound that filled it, not of the largest (on a 30k graph
// every official's links at 6 hops ran out of memory; at 2 hops the limit
// is full. docs/queries.md has the figures).
func invDeepen(from, hops int, limit int64, run func(h int) (int, error)) error {
	for h := max(min(from, hops), 1); h <= hops; h++ {
		n, err := run(h)
		if err != nil || int64(n) >= limit {
			return err
		}
	}
	return nil
}

// invLinkRecords runs the named link query (whose text holds invHopsToken)
// through invDeepen from p.from and returns the last answer's rows; extra
// is as for invQueryWith.
func (db *Investigator) invLinkRecords(ctx context.Context, name string, p invLinkParams, params map[string]any, extra map[string]string) ([]*neo4j.Record, error) {
	var recs []*neo4j.Record
	_, onePerson := params["person"].(string)
	err := invDeepen(p.from, p.hops, p.limit, func(h int) (int, error) {
		cypher, err := invQueryWith(name, h, onePerson, p.minRank, extra)
		if err != nil {
			return 0, err
		}
		res, err := db.ReadTimed(ctx, cypher, params)
		if err != nil {
			return 0, fmt.Errorf("within %d hops: %w", h, err)
		}
		recs = res.Records
		return len(recs), nil
	})
	return recs, err
}

// invLinkParams are the validated, defaulted parameters of a LinkQuery.
type invLinkParams struct {
	hops    int
	from    int // the first hop bound to run (0 or 1: from one); see invDeepen
	minRank int64
	limit   int64
}

// invCheckLinkQuery validates q and applies the defaults; focusField names
// FocusID in errors ("person", "focus"), or is "" when FocusID is unused.
func invCheckLinkQuery(q graph.LinkQuery, focusField string) (invLinkParams, error) {
	q, err := q.Normalize(focusField)
	return invLinkParams{hops: q.MaxHops, limit: int64(q.Limit), minRank: int64(q.MinEvidence.Rank())}, err
}

// invParams starts a query's parameters with $asOf and $late (see
// core/asof.go: the as_of rule is implemented once, for the read API and
// the investigative queries alike).
func (db *Investigator) invParams(ctx context.Context, asOf *graph.Date) (map[string]any, error) {
	// $untraversed: the types the link queries never follow, MENTIONED_IN
	// and the hints (graph.HintRelTypes).
	untraversed := []string{string(graph.RelMentionedIn)}
	for _, t := range graph.HintRelTypes() {
		untraversed = append(untraversed, string(t))
	}
	params := map[string]any{"untraversed": untraversed}
	if err := db.AsOfParams(ctx, asOf, params); err != nil {
		return nil, err
	}
	return params, nil
}

// invWithParams returns base with extra added, in a new map.
func invWithParams(base, extra map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(extra))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// invOptional is nil for an empty string, so the Cypher can test IS NULL.
func invOptional(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// invEntityCheck is what inv-entity-check says about one id.
type invEntityCheck struct {
	labels  map[string]bool
	visible bool  // visible as of the query's as_of
	degree  int64 // relationships of every type, whatever as_of says
}

func (c invEntityCheck) is(label string) bool { return c.labels[label] }

// invCheckEntity looks an id up: CodeNotFound (naming field) when there is no
// such entity.
func (db *Investigator) invCheckEntity(ctx context.Context, field, id string, params map[string]any) (invEntityCheck, error) {
	res, err := db.ReadTimed(ctx, core.ReadQuery("inv-entity-check", nil), invWithParams(params, map[string]any{"id": id}))
	if err != nil {
		return invEntityCheck{}, fmt.Errorf("look up %s: %w", id, err)
	}
	if len(res.Records) == 0 {
		return invEntityCheck{}, graph.Errorf(graph.CodeNotFound, field, "no entity %q", id)
	}
	return invEntityCheckFromRecord(res.Records[0])
}

func invEntityCheckFromRecord(rec *neo4j.Record) (invEntityCheck, error) {
	raw, _, err := neo4j.GetRecordValue[[]any](rec, "labels")
	if err != nil {
		return invEntityCheck{}, fmt.Errorf("entity check: labels: %w", err)
	}
	c := invEntityCheck{labels: make(map[string]bool, len(raw))}
	for i, x := range raw {
		l, ok := x.(string)
		if !ok {
			return invEntityCheck{}, fmt.Errorf("entity check: labels[%d]: want string, got %T", i, x)
		}
		c.labels[l] = true
	}
	if c.visible, _, err = neo4j.GetRecordValue[bool](rec, "visible"); err != nil {
		return invEntityCheck{}, fmt.Errorf("entity check: visible: %w", err)
	}
	if c.degree, _, err = neo4j.GetRecordValue[int64](rec, "degree"); err != nil {
		return invEntityCheck{}, fmt.Errorf("entity check: degree: %w", err)
	}
	return c, nil
}

// ProsecutedCompoundLinks ties people who are subjects of prosecution events
// to compounds within q.MaxHops (see docs/queries.md for what counts as a
// link). q.FocusID, when set, must name a person.
func (db *Investigator) ProsecutedCompoundLinks(ctx context.Context, q graph.LinkQuery) ([]graph.ProsecutedLink, error) {
	p, err := invCheckLinkQuery(q, "person")
	if err != nil {
		return nil, err
	}
	params, err := db.invParams(ctx, q.AsOf)
	if err != nil {
		return nil, fmt.Errorf("prosecuted compound links: %w", err)
	}
	if q.FocusID != "" {
		c, err := db.invCheckEntity(ctx, "person", q.FocusID, params)
		if err != nil {
			return nil, err
		}
		if !c.is("Person") {
			return nil, graph.Errorf(graph.CodeInvalid, "person", "%q is not a person", q.FocusID)
		}
		if !c.visible {
			return []graph.ProsecutedLink{}, nil
		}
		// At one hop every link is one of the person's relationships (the
		// charged_together ones start at two), so with fewer of them than
		// the limit that bound cannot be full: deepening starts at two.
		if c.degree < p.limit {
			p.from = 2
		}
	}
	types := make([]string, 0, len(graph.ProsecutionEventTypes()))
	for _, t := range graph.ProsecutionEventTypes() {
		types = append(types, string(t))
	}
	untraversed, _ := params["untraversed"].([]string)
	last, err := db.invCompoundRelTypes(ctx, untraversed)
	if err != nil {
		return nil, fmt.Errorf("prosecuted compound links: %w", err)
	}
	recs, err := db.invLinkRecords(ctx, "inv-prosecuted-compound-links", p, invWithParams(params, map[string]any{
		"types": types, "person": invOptional(q.FocusID), "minRank": p.minRank, "limit": p.limit,
	}), map[string]string{invCompoundTypes: last})
	if err != nil {
		return nil, fmt.Errorf("prosecuted compound links: %w", err)
	}
	out := make([]graph.ProsecutedLink, 0, len(recs))
	events := map[string][]graph.Entity{} // person id -> events, sent on the person's first row
	for _, rec := range recs {
		l, err := invProsecutedLink(rec)
		if err != nil {
			return nil, fmt.Errorf("prosecuted compound links: %w", err)
		}
		if l.Events == nil {
			l.Events = events[l.Person.ID]
		} else {
			events[l.Person.ID] = l.Events
		}
		if l.Events == nil {
			return nil, fmt.Errorf("prosecuted compound links: no events for %s", l.Person.ID)
		}
		out = append(out, l)
	}
	return out, nil
}

func invProsecutedLink(rec *neo4j.Record) (graph.ProsecutedLink, error) {
	var l graph.ProsecutedLink
	var err error
	if l.Person, err = invEntity(rec, "person"); err != nil {
		return l, err
	}
	if l.Compound, err = invEntity(rec, "compound"); err != nil {
		return l, err
	}
	if raw, _ := rec.Get("events"); raw != nil { // null: the person's events came on an earlier row
		if l.Events, err = invEntities(rec, "events"); err != nil {
			return l, err
		}
		invSortEntities(l.Events)
	}
	if l.Path, err = invPath(rec, "path"); err != nil {
		return l, err
	}
	if l.Basis, _, err = neo4j.GetRecordValue[string](rec, "basis"); err != nil {
		return l, fmt.Errorf("basis: %w", err)
	}
	return l, nil
}

// OfficialLinks ties officials to tycoons and companies within q.MaxHops.
// q.FocusID may name an official (links from them) or a tycoon or company
// (links to it).
func (db *Investigator) OfficialLinks(ctx context.Context, q graph.LinkQuery) ([]graph.OfficialLink, error) {
	p, err := invCheckLinkQuery(q, "focus")
	if err != nil {
		return nil, err
	}
	params, err := db.invParams(ctx, q.AsOf)
	if err != nil {
		return nil, fmt.Errorf("official links: %w", err)
	}
	var official, target any
	if q.FocusID != "" {
		c, err := db.invCheckEntity(ctx, "focus", q.FocusID, params)
		if err != nil {
			return nil, err
		}
		switch {
		case c.is("Tycoon") || c.is("Company"):
			// A person who is both tycoon and official is focused on as the
			// target: "which officials are linked to X".
			target = q.FocusID
		case c.is("Official"):
			official = q.FocusID
		default:
			return nil, graph.Errorf(graph.CodeInvalid, "focus", "%q is not an official, a tycoon or a company", q.FocusID)
		}
		if !c.visible {
			return []graph.OfficialLink{}, nil
		}
	}
	recs, err := db.invLinkRecords(ctx, "inv-official-links", p, invWithParams(params, map[string]any{
		"official": official, "target": target, "minRank": p.minRank, "limit": p.limit,
	}), nil)
	if err != nil {
		return nil, fmt.Errorf("official links: %w", err)
	}
	out := make([]graph.OfficialLink, 0, len(recs))
	for _, rec := range recs {
		l, err := invOfficialLink(rec)
		if err != nil {
			return nil, fmt.Errorf("official links: %w", err)
		}
		out = append(out, l)
	}
	return out, nil
}

func invOfficialLink(rec *neo4j.Record) (graph.OfficialLink, error) {
	var l graph.OfficialLink
	var err error
	if l.Official, err = invEntity(rec, "official"); err != nil {
		return l, err
	}
	if l.Target, err = invEntity(rec, "target"); err != nil {
		return l, err
	}
	if l.Path, err = invPath(rec, "path"); err != nil {
		return l, err
	}
	if len(l.Path.Nodes) > 0 && l.Path.Nodes[0].ID != l.Official.ID {
		l.Path = invReversePath(l.Path) // searched from the focused target
	}
	return l, nil
}

// CompoundNetwork gathers everything tied to one compound. An id that names
// no entity, or a compound not yet known as of asOf, gives CodeNotFound; an
// entity that is not a compound gives CodeInvalid.
func (db *Investigator) CompoundNetwork(ctx context.Context, id string, asOf *graph.Date) (graph.CompoundNetwork, error) {
	if _, err := (graph.EntityQuery{ID: id, AsOf: asOf}).Normalize(); err != nil {
		return graph.CompoundNetwork{}, err
	}
	params, err := db.invParams(ctx, asOf)
	if err != nil {
		return graph.CompoundNetwork{}, fmt.Errorf("compound network %s: %w", id, err)
	}
	c, err := db.invCheckEntity(ctx, "id", id, params)
	if err != nil {
		return graph.CompoundNetwork{}, err
	}
	if !c.is("Compound") {
		return graph.CompoundNetwork{}, graph.Errorf(graph.CodeInvalid, "id", "%q is not a compound", id)
	}
	if !c.visible {
		return graph.CompoundNetwork{}, graph.Errorf(graph.CodeNotFound, "id", "compound %q is not known as of %s", id, asOf)
	}
	res, err := db.ReadTimed(ctx, core.ReadQuery("inv-compound-network", nil), invWithParams(params, map[string]any{"id": id}))
	if err != nil {
		return graph.CompoundNetwork{}, fmt.Errorf("compound network %s: %w", id, err)
	}
	if len(res.Records) != 1 {
		// It existed a moment ago: deleted in between.
		return graph.CompoundNetwork{}, graph.Errorf(graph.CodeNotFound, "id", "no entity %q", id)
	}
	n, err := invCompoundNetwork(res.Records[0])
	if err != nil {
		return graph.CompoundNetwork{}, fmt.Errorf("compound network %s: %w", id, err)
	}
	return n, nil
}

// invCompoundNetwork converts the one row of inv-compound-network:
// each member list is a list of paths from the compound whose last node is
// the member; every node and edge of every path goes into the subgraph.
func invCompoundNetwork(rec *neo4j.Record) (graph.CompoundNetwork, error) {
	var out graph.CompoundNetwork
	var err error
	if out.Compound, err = invEntity(rec, "compound"); err != nil {
		return out, err
	}
	sg := newInvSubgraph()
	sg.addNode(out.Compound)
	members := func(key string) ([]graph.Entity, error) {
		paths, err := invPaths(rec, key)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		list := []graph.Entity{}
		for _, p := range paths {
			sg.addPath(p)
			last := p.Nodes[len(p.Nodes)-1]
			if !seen[last.ID] {
				seen[last.ID] = true
				list = append(list, last)
			}
		}
		invSortEntities(list)
		return list, nil
	}
	for _, f := range []struct {
		key string
		dst *[]graph.Entity
	}{
		{"owners", &out.Owners}, {"operators", &out.Operators}, {"companies", &out.Companies},
		{"officials", &out.Officials}, {"events", &out.Events}, {"locations", &out.Locations},
	} {
		if *f.dst, err = members(f.key); err != nil {
			return out, err
		}
	}
	held, err := members("held")
	if err != nil {
		return out, err
	}
	released, err := members("released")
	if err != nil {
		return out, err
	}
	if out.VictimsHeld, err = invCountByNationality(held); err != nil {
		return out, err
	}
	if out.VictimsReleased, err = invCountByNationality(released); err != nil {
		return out, err
	}
	out.Graph = sg.subgraph()
	return out, nil
}

// invCountByNationality sums victims: a cohort counts its count (0 and one
// uncounted cohort when there is none), an individual counts 1.
func invCountByNationality(victims []graph.Entity) ([]graph.NationalityCount, error) {
	by := map[string]*graph.NationalityCount{}
	for _, v := range victims {
		nat := ""
		if x, ok := v.Properties["nationality"]; ok {
			if x.Type != graph.TypeString {
				return nil, fmt.Errorf("victim %s: nationality is %s, not string", v.ID, x.Type)
			}
			nat = x.S
		}
		cohort := false
		if x, ok := v.Properties["cohort"]; ok {
			if x.Type != graph.TypeBool {
				return nil, fmt.Errorf("victim %s: cohort is %s, not bool", v.ID, x.Type)
			}
			cohort = x.B
		}
		c := by[nat]
		if c == nil {
			c = &graph.NationalityCount{Nationality: nat}
			by[nat] = c
		}
		c.Cohorts++
		if !cohort {
			c.People++
			continue
		}
		x, ok := v.Properties["count"]
		switch {
		case !ok:
			c.Uncounted++
		case x.Type != graph.TypeInt:
			return nil, fmt.Errorf("victim %s: count is %s, not int", v.ID, x.Type)
		default:
			c.People += x.I
		}
	}
	out := make([]graph.NationalityCount, 0, len(by))
	for _, k := range core.SortedKeys(by) {
		out = append(out, *by[k])
	}
	return out, nil
}

// VictimsByNationality sums victims by nationality, compound and relation.
func (db *Investigator) VictimsByNationality(ctx context.Context, q graph.VictimQuery) ([]graph.VictimTally, error) {
	q, err := q.Normalize()
	if err != nil {
		return nil, err
	}
	nat := q.Nationality
	params, err := db.invParams(ctx, q.AsOf)
	if err != nil {
		return nil, fmt.Errorf("victims by nationality: %w", err)
	}
	if q.CompoundID != "" {
		c, err := db.invCheckEntity(ctx, "compound", q.CompoundID, params)
		if err != nil {
			return nil, err
		}
		if !c.is("Compound") {
			return nil, graph.Errorf(graph.CodeInvalid, "compound", "%q is not a compound", q.CompoundID)
		}
		if !c.visible {
			return []graph.VictimTally{}, nil
		}
	}
	res, err := db.ReadTimed(ctx, core.ReadQuery("inv-victims-by-nationality", nil), invWithParams(params, map[string]any{
		"nationality": invOptional(nat), "compound": invOptional(q.CompoundID),
	}))
	if err != nil {
		return nil, fmt.Errorf("victims by nationality: %w", err)
	}
	out := make([]graph.VictimTally, 0, len(res.Records))
	for _, rec := range res.Records {
		t, err := invVictimTally(rec)
		if err != nil {
			return nil, fmt.Errorf("victims by nationality: %w", err)
		}
		out = append(out, t)
	}
	return out, nil
}

func invVictimTally(rec *neo4j.Record) (graph.VictimTally, error) {
	var t graph.VictimTally
	var err error
	str := func(key string) string {
		if err != nil {
			return ""
		}
		var s string
		if s, _, err = neo4j.GetRecordValue[string](rec, key); err != nil {
			err = fmt.Errorf("%s: %w", key, err)
		}
		return s
	}
	num := func(key string) int64 {
		if err != nil {
			return 0
		}
		var i int64
		if i, _, err = neo4j.GetRecordValue[int64](rec, key); err != nil {
			err = fmt.Errorf("%s: %w", key, err)
		}
		return i
	}
	t.Nationality = str("nationality")
	t.CompoundID = str("compound_id")
	t.CompoundName = str("compound_name")
	t.Relation = str("relation")
	t.People = num("people")
	t.Cohorts = int(num("cohorts"))
	t.Uncounted = int(num("uncounted"))
	return t, err
}

// Timeline lists the dated items of one entity in date order. An entity not
// yet known as of asOf has an empty timeline.
func (db *Investigator) Timeline(ctx context.Context, id string, asOf *graph.Date) ([]graph.TimelineItem, error) {
	if _, err := (graph.EntityQuery{ID: id, AsOf: asOf}).Normalize(); err != nil {
		return nil, err
	}
	params, err := db.invParams(ctx, asOf)
	if err != nil {
		return nil, fmt.Errorf("timeline %s: %w", id, err)
	}
	c, err := db.invCheckEntity(ctx, "id", id, params)
	if err != nil {
		return nil, err
	}
	if !c.visible {
		return []graph.TimelineItem{}, nil
	}
	res, err := db.ReadTimed(ctx, core.ReadQuery("inv-timeline", nil), invWithParams(params, map[string]any{"id": id}))
	if err != nil {
		return nil, fmt.Errorf("timeline %s: %w", id, err)
	}
	out := make([]graph.TimelineItem, 0, len(res.Records))
	for _, rec := range res.Records {
		it, err := invTimelineItem(rec)
		if err != nil {
			return nil, fmt.Errorf("timeline %s: %w", id, err)
		}
		out = append(out, it)
	}
	sort.SliceStable(out, func(i, j int) bool { return invTimelineLess(out[i], out[j]) })
	return out, nil
}

// invWhatOrder puts, on one day, events first, then starts, then ends.
var invWhatOrder = map[string]int{"event": 0, "relationship_start": 1, "relationship_end": 2}

func invTimelineLess(a, b graph.TimelineItem) bool {
	if a.Date != b.Date {
		return a.Date.Before(b.Date)
	}
	if invWhatOrder[a.What] != invWhatOrder[b.What] {
		return invWhatOrder[a.What] < invWhatOrder[b.What]
	}
	return invItemKey(a) < invItemKey(b)
}

func invItemKey(it graph.TimelineItem) string {
	k := ""
	if it.Event != nil {
		k = it.Event.ID
	}
	if it.Relationship != nil {
		k += "|" + it.Relationship.ID
	}
	return k
}

func invTimelineItem(rec *neo4j.Record) (graph.TimelineItem, error) {
	var it graph.TimelineItem
	var err error
	if it.What, _, err = neo4j.GetRecordValue[string](rec, "what"); err != nil {
		return it, fmt.Errorf("what: %w", err)
	}
	d, isNil, err := neo4j.GetRecordValue[neo4j.Date](rec, "date")
	if err != nil || isNil {
		return it, fmt.Errorf("date: missing or not a DATE (%v)", err)
	}
	it.Date = graph.DateOf(d.Time())
	ev, isNil, err := neo4j.GetRecordValue[neo4j.Node](rec, "event")
	if err != nil {
		return it, fmt.Errorf("event: %w", err)
	}
	if !isNil {
		e, err := core.EntityFromNode(ev)
		if err != nil {
			return it, err
		}
		it.Event = &e
	}
	other, isNil, err := neo4j.GetRecordValue[neo4j.Node](rec, "other")
	if err != nil {
		return it, fmt.Errorf("other: %w", err)
	}
	if !isNil {
		o, err := core.EntityFromNode(other)
		if err != nil {
			return it, err
		}
		it.Other = &o
	}
	r, isNil, err := neo4j.GetRecordValue[neo4j.Relationship](rec, "rel")
	if err != nil {
		return it, fmt.Errorf("rel: %w", err)
	}
	if !isNil {
		from, _, err := neo4j.GetRecordValue[string](rec, "from")
		if err != nil {
			return it, fmt.Errorf("from: %w", err)
		}
		to, _, err := neo4j.GetRecordValue[string](rec, "to")
		if err != nil {
			return it, fmt.Errorf("to: %w", err)
		}
		rel, err := core.RelationshipFromStored(r, from, to)
		if err != nil {
			return it, err
		}
		it.Relationship = &rel
	}
	return it, nil
}

// OwnershipChains follows OWNS, CONTROLS, DIRECTS and OPERATES upward from
// id to its ultimate owners, within q.MaxHops. q.FocusID is not used.
func (db *Investigator) OwnershipChains(ctx context.Context, id string, q graph.LinkQuery) ([]graph.OwnershipChain, error) {
	if err := graph.ValidateID("id", id); err != nil {
		return nil, err
	}
	p, err := invCheckLinkQuery(q, "")
	if err != nil {
		return nil, err
	}
	params, err := db.invParams(ctx, q.AsOf)
	if err != nil {
		return nil, fmt.Errorf("ownership chains %s: %w", id, err)
	}
	c, err := db.invCheckEntity(ctx, "id", id, params)
	if err != nil {
		return nil, err
	}
	if !c.visible {
		return []graph.OwnershipChain{}, nil
	}
	cypher, err := invQueryWithHops("inv-ownership-chains", p.hops)
	if err != nil {
		return nil, err
	}
	res, err := db.ReadTimed(ctx, cypher, invWithParams(params, map[string]any{"id": id, "minRank": p.minRank, "limit": p.limit}))
	if err != nil {
		return nil, fmt.Errorf("ownership chains %s: %w", id, err)
	}
	out := make([]graph.OwnershipChain, 0, len(res.Records))
	for _, rec := range res.Records {
		ch, err := invOwnershipChain(rec)
		if err != nil {
			return nil, fmt.Errorf("ownership chains %s: %w", id, err)
		}
		out = append(out, ch)
	}
	return out, nil
}

// invOwnershipChain converts one chain; the stored path runs from the
// owner down, the returned one from the entity up.
func invOwnershipChain(rec *neo4j.Record) (graph.OwnershipChain, error) {
	var ch graph.OwnershipChain
	var err error
	if ch.UltimateOwner, err = invEntity(rec, "owner"); err != nil {
		return ch, err
	}
	if ch.Path, err = invPath(rec, "path"); err != nil {
		return ch, err
	}
	ch.Path = invReversePath(ch.Path)
	return ch, nil
}

func invReversePath(p graph.Path) graph.Path {
	out := graph.Path{Nodes: make([]graph.Entity, len(p.Nodes)), Edges: make([]graph.Relationship, len(p.Edges))}
	for i, n := range p.Nodes {
		out.Nodes[len(p.Nodes)-1-i] = n
	}
	for i, e := range p.Edges {
		out.Edges[len(p.Edges)-1-i] = e
	}
	return out
}

// invEntity reads a non-null node column.
func invEntity(rec *neo4j.Record, key string) (graph.Entity, error) {
	n, isNil, err := neo4j.GetRecordValue[neo4j.Node](rec, key)
	if err != nil {
		return graph.Entity{}, fmt.Errorf("%s: %w", key, err)
	}
	if isNil {
		return graph.Entity{}, fmt.Errorf("%s: null", key)
	}
	return core.EntityFromNode(n)
}

// invEntities reads a LIST<NODE> column.
func invEntities(rec *neo4j.Record, key string) ([]graph.Entity, error) {
	raw, _, err := neo4j.GetRecordValue[[]any](rec, key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	out := make([]graph.Entity, 0, len(raw))
	for i, x := range raw {
		n, ok := x.(neo4j.Node)
		if !ok {
			return nil, fmt.Errorf("%s[%d]: want node, got %T", key, i, x)
		}
		e, err := core.EntityFromNode(n)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// invPath reads a non-null PATH column.
func invPath(rec *neo4j.Record, key string) (graph.Path, error) {
	p, isNil, err := neo4j.GetRecordValue[neo4j.Path](rec, key)
	if err != nil {
		return graph.Path{}, fmt.Errorf("%s: %w", key, err)
	}
	if isNil {
		return graph.Path{}, fmt.Errorf("%s: null", key)
	}
	return core.PathFromDriver(p)
}

// invPaths reads a LIST<PATH> column.
func invPaths(rec *neo4j.Record, key string) ([]graph.Path, error) {
	raw, _, err := neo4j.GetRecordValue[[]any](rec, key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	out := make([]graph.Path, 0, len(raw))
	for i, x := range raw {
		p, ok := x.(neo4j.Path)
		if !ok {
			return nil, fmt.Errorf("%s[%d]: want path, got %T", key, i, x)
		}
		gp, err := core.PathFromDriver(p)
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", key, i, err)
		}
		out = append(out, gp)
	}
	return out, nil
}

// invSubgraph collects nodes and edges once each, in first-seen order.
type invSubgraph struct {
	nodes     []graph.Entity
	edges     []graph.Relationship
	seenNode  map[string]bool
	seenEdges map[string]bool
}

func newInvSubgraph() *invSubgraph {
	return &invSubgraph{seenNode: map[string]bool{}, seenEdges: map[string]bool{}}
}

func (b *invSubgraph) addNode(e graph.Entity) {
	if !b.seenNode[e.ID] {
		b.seenNode[e.ID] = true
		b.nodes = append(b.nodes, e)
	}
}

func (b *invSubgraph) addPath(p graph.Path) {
	for _, n := range p.Nodes {
		b.addNode(n)
	}
	for _, e := range p.Edges {
		if !b.seenEdges[e.ID] {
			b.seenEdges[e.ID] = true
			b.edges = append(b.edges, e)
		}
	}
}

func (b *invSubgraph) subgraph() graph.Subgraph {
	nodes := append([]graph.Entity{}, b.nodes...)
	edges := append([]graph.Relationship{}, b.edges...)
	if len(nodes) > 1 { // the first node (the compound) stays first
		rest := nodes[1:]
		sort.Slice(rest, func(i, j int) bool { return rest[i].ID < rest[j].ID })
	}
	sort.Slice(edges, func(i, j int) bool { return edges[i].ID < edges[j].ID })
	return graph.Subgraph{Nodes: nodes, Edges: edges}
}

// invSortEntities orders by name, then id.
func invSortEntities(l []graph.Entity) {
	sort.Slice(l, func(i, j int) bool {
		if l[i].Name != l[j].Name {
			return l[i].Name < l[j].Name
		}
		return l[i].ID < l[j].ID
	})
}
