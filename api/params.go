package api

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/scamgraph/scamgraph/graph"
)

// Format is how a graph-shaped answer is encoded.
type Format string

// The formats of graph-shaped answers.
const (
	FormatJSON      Format = "json"      // {"nodes":[...],"edges":[...]}
	FormatCytoscape Format = "cytoscape" // Cytoscape.js elements
	FormatGraphML   Format = "graphml"   // GraphML XML for Gephi, yEd
)

// params reads query parameters strictly: a parameter the endpoint does
// not know, or a single-valued one given twice, is an error naming it.
type params struct {
	v url.Values
}

// newParams checks v against the names the endpoint accepts; names in
// multi may repeat.
func newParams(v url.Values, allowed []string, multi ...string) (params, error) {
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	rep := map[string]bool{}
	for _, m := range multi {
		rep[m] = true
	}
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names) // the first bad one, deterministically
	for _, k := range names {
		if k == "" || !utf8.ValidString(k) {
			return params{}, invalid("query", "has a parameter without a valid name")
		}
		if !ok[k] {
			return params{}, invalid(clip(k), "is not a parameter of this endpoint (want %s)", strings.Join(allowed, ", "))
		}
		if len(v[k]) > 1 && !rep[k] {
			return params{}, invalid(k, "is given %d times; give it once", len(v[k]))
		}
	}
	return params{v: v}, nil
}

func (p params) str(name string) string { return strings.TrimSpace(p.v.Get(name)) }

// list reads a parameter that may repeat and may hold comma-separated values.
func (p params) list(name string) []string {
	var out []string
	for _, raw := range p.v[name] {
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// intIn reads an integer in [lo, hi], def when absent.
func (p params) intIn(name string, def, lo, hi int) (int, error) {
	s := p.str(name)
	if s == "" {
		if _, given := p.v[name]; given {
			return 0, invalid(name, "is empty; give an integer between %d and %d", lo, hi)
		}
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, invalid(name, "%q is not an integer between %d and %d", clip(s), lo, hi)
	}
	return n, nil
}

// boolean reads true or false (also 1 or 0); false when absent.
func (p params) boolean(name string) (bool, error) {
	switch strings.ToLower(p.str(name)) {
	case "":
		if _, given := p.v[name]; given {
			return false, invalid(name, "is empty; give true or false")
		}
		return false, nil
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, invalid(name, "%q is not true or false", clip(p.str(name)))
}

// id reads a required entity id.
func (p params) id(name string) (string, error) {
	return parseID(name, p.str(name))
}

func parseID(field, s string) (string, error) {
	if err := graph.ValidateID(field, s); err != nil {
		return "", err
	}
	return s, nil
}

// optionalID reads an optional entity id.
func (p params) optionalID(name string) (string, error) {
	if s := p.str(name); s != "" {
		return parseID(name, s)
	}
	return "", nil
}

// kinds reads kind=, repeatable or comma-separated.
func (p params) kinds(name string) ([]graph.Kind, error) {
	var out []graph.Kind
	for _, s := range p.list(name) {
		k, ok := graph.ParseKind(s)
		if !ok {
			return nil, invalid(name, "%q is not a kind (want one of %s)", clip(s), kindNames())
		}
		out = append(out, k)
	}
	return out, nil
}

// rels reads rel=, repeatable or comma-separated.
func (p params) rels(name string) ([]graph.RelType, error) {
	var out []graph.RelType
	seen := map[graph.RelType]bool{}
	for _, s := range p.list(name) {
		t, ok := graph.ParseRelType(s)
		if !ok {
			return nil, invalid(name, "%q is not a relationship type (want one of %s)", clip(s), relNames())
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// asOf reads as_of=YYYY-MM-DD (a partial date stands for its first day).
func (p params) asOf() (*graph.Date, error) {
	s := p.str("as_of")
	if s == "" {
		if _, given := p.v["as_of"]; given {
			return nil, invalid("as_of", "is empty; give a date YYYY-MM-DD or leave as_of out")
		}
		return nil, nil
	}
	d, err := graph.ParseDate(s)
	if err != nil {
		return nil, invalid("as_of", "%q is not a date (want YYYY-MM-DD)", clip(s))
	}
	return &d, nil
}

// evidence reads min_evidence= (a grade name or its rank 1..6).
func (p params) evidence() (graph.Evidence, error) {
	s := p.str("min_evidence")
	if s == "" {
		return "", nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		if e := graph.EvidenceForRank(n); e != "" {
			return e, nil
		}
	}
	e, ok := graph.ParseEvidence(s)
	if !ok {
		return "", invalid("min_evidence", "%q is not an evidence grade (want one of %s)", clip(s), evidenceNames())
	}
	return e, nil
}

// format reads format=json|cytoscape|graphml.
func (p params) format() (Format, error) {
	switch f := Format(strings.ToLower(p.str("format"))); f {
	case "", FormatJSON:
		return FormatJSON, nil
	case FormatCytoscape, FormatGraphML:
		return f, nil
	default:
		return "", invalid("format", "%q is not a format (want json, cytoscape or graphml)", clip(string(f)))
	}
}

// clip shortens user input quoted back in messages.
func clip(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "?")
	}
	if len(s) > 64 {
		cut := 64
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return s[:cut] + "..."
	}
	return s
}

func kindNames() string {
	var s []string
	for _, k := range graph.AllKinds() {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

func relNames() string {
	var s []string
	for _, t := range append(graph.RelTypes(), graph.RelMentionedIn) {
		s = append(s, string(t))
	}
	return strings.Join(s, ", ")
}

func evidenceNames() string {
	var s []string
	for _, e := range graph.Evidences() {
		s = append(s, string(e))
	}
	return strings.Join(s, ", ")
}

// ---- the endpoints' parameters

// ParseSearchParams reads GET /v1/search.
func ParseSearchParams(v url.Values) (graph.SearchQuery, error) {
	p, err := newParams(v, []string{"q", "kind", "limit", "cursor"}, "kind")
	if err != nil {
		return graph.SearchQuery{}, err
	}
	q := graph.SearchQuery{Text: p.str("q")}
	switch {
	case q.Text == "":
		return q, invalid("q", "is required: the name or alias to search for")
	case !utf8.ValidString(q.Text):
		return q, invalid("q", "is not valid UTF-8")
	case len(q.Text) > graph.MaxSearchTextLen:
		return q, invalid("q", "is longer than %d bytes", graph.MaxSearchTextLen)
	}
	if q.Kinds, err = p.kinds("kind"); err != nil {
		return q, err
	}
	if q.Limit, err = p.intIn("limit", graph.DefaultSearchLimit, 1, graph.MaxSearchLimit); err != nil {
		return q, err
	}
	if q.Cursor = p.str("cursor"); q.Cursor != "" {
		if _, err := graph.DecodeCursor(q.Cursor, q.CursorKey()); err != nil {
			return q, err
		}
	}
	return q, nil
}

// ParseEntityID reads the {id} path parameter.
func ParseEntityID(id string) (string, error) { return parseID("id", id) }

// ParseNeighborsParams reads GET /v1/entities/{id}/neighbors.
func ParseNeighborsParams(id string, v url.Values) (graph.NeighborsQuery, Format, error) {
	p, err := newParams(v, []string{"depth", "rel", "kind", "limit", "cursor", "as_of", "format"}, "rel", "kind")
	if err != nil {
		return graph.NeighborsQuery{}, "", err
	}
	q := graph.NeighborsQuery{}
	if q.ID, err = ParseEntityID(id); err != nil {
		return q, "", err
	}
	if q.Depth, err = p.intIn("depth", 1, 1, graph.MaxNeighborDepth); err != nil {
		return q, "", err
	}
	if q.RelTypes, err = p.rels("rel"); err != nil {
		return q, "", err
	}
	if q.Kinds, err = p.kinds("kind"); err != nil {
		return q, "", err
	}
	if q.Limit, err = p.intIn("limit", graph.DefaultNeighborLimit, 1, graph.MaxNeighborLimit); err != nil {
		return q, "", err
	}
	if q.AsOf, err = p.asOf(); err != nil {
		return q, "", err
	}
	f, err := p.format()
	if err != nil {
		return q, "", err
	}
	if q.Cursor = p.str("cursor"); q.Cursor != "" {
		if _, err := graph.DecodeCursor(q.Cursor, q.CursorKey()); err != nil {
			return q, "", err
		}
	}
	return q, f, nil
}

// ParsePathsParams reads GET /v1/paths.
func ParsePathsParams(v url.Values) (graph.PathsQuery, Format, error) {
	p, err := newParams(v, []string{"from", "to", "max_hops", "mode", "rel", "min_evidence", "as_of", "limit", "max_degree", "format"}, "rel")
	if err != nil {
		return graph.PathsQuery{}, "", err
	}
	q := graph.PathsQuery{}
	if q.From, err = p.id("from"); err != nil {
		return q, "", err
	}
	if q.To, err = p.id("to"); err != nil {
		return q, "", err
	}
	if q.From == q.To {
		return q, "", invalid("to", "must differ from from")
	}
	if q.MaxHops, err = p.intIn("max_hops", graph.DefaultPathHops, 1, graph.MaxPathHops); err != nil {
		return q, "", err
	}
	switch m := graph.PathMode(strings.ToLower(p.str("mode"))); m {
	case "", graph.PathShortest:
		q.Mode = graph.PathShortest
	case graph.PathAll:
		q.Mode = graph.PathAll
	default:
		return q, "", invalid("mode", "%q is not a mode (want shortest or all)", clip(string(m)))
	}
	if q.RelTypes, err = p.rels("rel"); err != nil {
		return q, "", err
	}
	if q.MinEvidence, err = p.evidence(); err != nil {
		return q, "", err
	}
	if q.AsOf, err = p.asOf(); err != nil {
		return q, "", err
	}
	if q.Limit, err = p.intIn("limit", graph.DefaultPathsLimit, 1, graph.MaxPathsReturned); err != nil {
		return q, "", err
	}
	if q.MaxDegree, err = p.intIn("max_degree", graph.DefaultPathHubDegree, 1, graph.MaxPathHubDegree); err != nil {
		return q, "", err
	}
	f, err := p.format()
	return q, f, err
}

// ParseNoParams checks that an endpoint without parameters got none.
func ParseNoParams(v url.Values) error {
	_, err := newParams(v, nil)
	return err
}

// ---- the named queries' parameters

// ParseProsecutedLinksParams reads GET /v1/queries/prosecuted-compound-links.
func ParseProsecutedLinksParams(v url.Values) (graph.LinkQuery, Format, error) {
	return parseLinkParams(v, "person", true)
}

// ParseOfficialLinksParams reads GET /v1/queries/official-links.
func ParseOfficialLinksParams(v url.Values) (graph.LinkQuery, Format, error) {
	return parseLinkParams(v, "focus", false)
}

func parseLinkParams(v url.Values, focus string, evidence bool) (graph.LinkQuery, Format, error) {
	allowed := []string{"max_hops", "as_of", "limit", focus, "format"}
	if evidence {
		allowed = append(allowed, "min_evidence")
	}
	p, err := newParams(v, allowed)
	if err != nil {
		return graph.LinkQuery{}, "", err
	}
	q := graph.LinkQuery{}
	if q.MaxHops, err = p.intIn("max_hops", graph.DefaultLinkHops, 1, graph.MaxPathHops); err != nil {
		return q, "", err
	}
	if evidence {
		if q.MinEvidence, err = p.evidence(); err != nil {
			return q, "", err
		}
	}
	if q.AsOf, err = p.asOf(); err != nil {
		return q, "", err
	}
	if q.Limit, err = p.intIn("limit", graph.DefaultPathsLimit, 1, graph.MaxPathsReturned); err != nil {
		return q, "", err
	}
	if q.FocusID, err = p.optionalID(focus); err != nil {
		return q, "", err
	}
	f, err := p.format()
	return q, f, err
}

// ParseCompoundNetworkParams reads GET /v1/queries/compound-network/{id}.
func ParseCompoundNetworkParams(id string, v url.Values) (string, *graph.Date, Format, error) {
	p, err := newParams(v, []string{"as_of", "format"})
	if err != nil {
		return "", nil, "", err
	}
	if id, err = ParseEntityID(id); err != nil {
		return "", nil, "", err
	}
	asOf, err := p.asOf()
	if err != nil {
		return "", nil, "", err
	}
	f, err := p.format()
	return id, asOf, f, err
}

// ParseVictimsParams reads GET /v1/queries/victims-by-nationality.
func ParseVictimsParams(v url.Values) (graph.VictimQuery, error) {
	p, err := newParams(v, []string{"nationality", "compound", "as_of"})
	if err != nil {
		return graph.VictimQuery{}, err
	}
	q := graph.VictimQuery{}
	if n := strings.ToUpper(p.str("nationality")); n != "" {
		if len(n) != 2 || n[0] < 'A' || n[0] > 'Z' || n[1] < 'A' || n[1] > 'Z' {
			return q, invalid("nationality", "%q is not an ISO 3166-1 alpha-2 code such as ID or IN", clip(n))
		}
		q.Nationality = n
	}
	if q.CompoundID, err = p.optionalID("compound"); err != nil {
		return q, err
	}
	q.AsOf, err = p.asOf()
	return q, err
}

// ParseTimelineParams reads GET /v1/queries/timeline/{id}.
func ParseTimelineParams(id string, v url.Values) (string, *graph.Date, error) {
	p, err := newParams(v, []string{"as_of"})
	if err != nil {
		return "", nil, err
	}
	if id, err = ParseEntityID(id); err != nil {
		return "", nil, err
	}
	asOf, err := p.asOf()
	return id, asOf, err
}

// ParseOwnershipParams reads GET /v1/queries/ownership-chains/{id}.
func ParseOwnershipParams(id string, v url.Values) (string, graph.LinkQuery, Format, error) {
	p, err := newParams(v, []string{"max_hops", "as_of", "format"})
	if err != nil {
		return "", graph.LinkQuery{}, "", err
	}
	if id, err = ParseEntityID(id); err != nil {
		return "", graph.LinkQuery{}, "", err
	}
	q := graph.LinkQuery{FocusID: id, Limit: graph.MaxPathsReturned}
	if q.MaxHops, err = p.intIn("max_hops", graph.DefaultLinkHops, 1, graph.MaxPathHops); err != nil {
		return "", q, "", err
	}
	if q.AsOf, err = p.asOf(); err != nil {
		return "", q, "", err
	}
	f, err := p.format()
	return id, q, f, err
}
