package graph

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Every query the read API and the named queries take is checked and
// defaulted here, once: the API calls Normalize before the store, and the
// store calls it again (a caller may be a CLI or a benchmark), so no rule is
// written twice. Errors are CodeInvalid naming the API parameter.

// Normalize trims the text, applies the default limit and checks every
// field, the cursor included (it must come from the same search).
func (q SearchQuery) Normalize() (SearchQuery, error) {
	q.Text = strings.TrimSpace(q.Text)
	switch {
	case q.Text == "":
		return q, Errorf(CodeInvalid, "q", "is required: the name or alias to search for")
	case !utf8.ValidString(q.Text):
		return q, Errorf(CodeInvalid, "q", "is not valid UTF-8")
	case len(q.Text) > MaxSearchTextLen:
		return q, Errorf(CodeInvalid, "q", "is longer than %d bytes", MaxSearchTextLen)
	}
	var err error
	if q.Kinds, err = checkKinds(q.Kinds); err != nil {
		return q, err
	}
	if q.Limit, err = bounded("limit", q.Limit, DefaultSearchLimit, MaxSearchLimit); err != nil {
		return q, err
	}
	if err = checkAsOf(q.AsOf); err != nil {
		return q, err
	}
	return q, checkCursor(q.Cursor, q.CursorKey())
}

// Normalize applies the defaults (depth 1, DefaultNeighborLimit) and checks
// every field, the cursor included.
func (q NeighborsQuery) Normalize() (NeighborsQuery, error) {
	var err error
	if err = ValidateID("id", q.ID); err != nil {
		return q, err
	}
	if q.Depth, err = bounded("depth", q.Depth, 1, MaxNeighborDepth); err != nil {
		return q, err
	}
	if q.RelTypes, err = checkRels(q.RelTypes); err != nil {
		return q, err
	}
	if q.Kinds, err = checkKinds(q.Kinds); err != nil {
		return q, err
	}
	if q.Limit, err = bounded("limit", q.Limit, DefaultNeighborLimit, MaxNeighborLimit); err != nil {
		return q, err
	}
	if err = checkAsOf(q.AsOf); err != nil {
		return q, err
	}
	return q, checkCursor(q.Cursor, q.CursorKey())
}

// Normalize applies the defaults (DefaultPathHops, shortest,
// DefaultPathsLimit, DefaultPathHubDegree) and checks every field.
func (q PathsQuery) Normalize() (PathsQuery, error) {
	var err error
	if err = ValidateID("from", q.From); err != nil {
		return q, err
	}
	if err = ValidateID("to", q.To); err != nil {
		return q, err
	}
	if q.From == q.To {
		return q, Errorf(CodeInvalid, "to", "must differ from from")
	}
	if q.MaxHops, err = bounded("max_hops", q.MaxHops, DefaultPathHops, MaxPathHops); err != nil {
		return q, err
	}
	switch q.Mode {
	case "":
		q.Mode = PathShortest
	case PathShortest, PathAll:
	default:
		return q, Errorf(CodeInvalid, "mode", "%q is not a mode (want shortest or all)", q.Mode)
	}
	if q.RelTypes, err = checkRels(q.RelTypes); err != nil {
		return q, err
	}
	if err = checkEvidence(q.MinEvidence); err != nil {
		return q, err
	}
	if err = checkAsOf(q.AsOf); err != nil {
		return q, err
	}
	if q.Limit, err = bounded("limit", q.Limit, DefaultPathsLimit, MaxPathsReturned); err != nil {
		return q, err
	}
	if q.MaxDegree, err = bounded("max_degree", q.MaxDegree, DefaultPathHubDegree, MaxPathHubDegree); err != nil {
		return q, err
	}
	return q, nil
}

// Normalize applies the defaults (DefaultLinkHops, DefaultPathsLimit) and
// checks every field; focusField names FocusID in errors ("person",
// "focus"), or is "" when the query does not use FocusID.
func (q LinkQuery) Normalize(focusField string) (LinkQuery, error) {
	var err error
	if q.MaxHops, err = bounded("max_hops", q.MaxHops, DefaultLinkHops, MaxPathHops); err != nil {
		return q, err
	}
	if err = checkEvidence(q.MinEvidence); err != nil {
		return q, err
	}
	if q.Limit, err = bounded("limit", q.Limit, DefaultPathsLimit, MaxPathsReturned); err != nil {
		return q, err
	}
	if err = checkAsOf(q.AsOf); err != nil {
		return q, err
	}
	if q.FocusID != "" && focusField != "" {
		if err = ValidateID(focusField, q.FocusID); err != nil {
			return q, err
		}
	}
	return q, nil
}

// Normalize upper-cases the nationality and checks every field.
func (q VictimQuery) Normalize() (VictimQuery, error) {
	q.Nationality = strings.ToUpper(strings.TrimSpace(q.Nationality))
	if n := q.Nationality; n != "" && (len(n) != 2 || n[0] < 'A' || n[0] > 'Z' || n[1] < 'A' || n[1] > 'Z') {
		return q, Errorf(CodeInvalid, "nationality", "%q is not an ISO 3166-1 alpha-2 code such as ID or IN", n)
	}
	if q.CompoundID != "" {
		if err := ValidateID("compound", q.CompoundID); err != nil {
			return q, err
		}
	}
	return q, checkAsOf(q.AsOf)
}

// EntityQuery names one entity, as the graph stood on AsOf (nil: now): the
// parameters of compound-network and timeline.
type EntityQuery struct {
	ID   string
	AsOf *Date
}

// Normalize checks the id and the date.
func (q EntityQuery) Normalize() (EntityQuery, error) {
	if err := ValidateID("id", q.ID); err != nil {
		return q, err
	}
	return q, checkAsOf(q.AsOf)
}

// bounded returns n, or def when n is 0, if it lies in 1..hi.
func bounded(field string, n, def, hi int) (int, error) {
	if n == 0 {
		n = def
	}
	if n < 1 || n > hi {
		return n, Errorf(CodeInvalid, field, "must be between 1 and %d, got %d", hi, n)
	}
	return n, nil
}

// checkKinds checks kinds against the model's and returns them deduplicated.
func checkKinds(ks []Kind) ([]Kind, error) {
	for _, k := range ks {
		if _, ok := KindLabel(k); !ok {
			return nil, Errorf(CodeInvalid, "kind", "%q is not a kind (want one of %s)", k, joinNames(AllKinds()))
		}
	}
	return compactKeepOrder(ks), nil
}

// checkRels checks relationship types and returns them deduplicated.
func checkRels(ts []RelType) ([]RelType, error) {
	for _, t := range ts {
		if p, ok := ParseRelType(string(t)); !ok || p != t {
			return nil, Errorf(CodeInvalid, "rel", "%q is not a relationship type (want one of %s)", t, joinNames(append(RelTypes(), RelMentionedIn)))
		}
	}
	return compactKeepOrder(ts), nil
}

func checkEvidence(e Evidence) error {
	if e != "" && e.Rank() == 0 {
		return Errorf(CodeInvalid, "min_evidence", "%q is not an evidence grade (want one of %s)", e, joinNames(Evidences()))
	}
	return nil
}

// checkAsOf checks an as_of date (nil: no as_of filter) is a real day.
func checkAsOf(d *Date) error {
	if d == nil {
		return nil
	}
	if back, err := ParseDate(d.String()); err != nil || back != *d {
		return Errorf(CodeInvalid, "as_of", "%q is not a valid date", d.String())
	}
	return nil
}

func checkCursor(cursor, key string) error {
	if cursor == "" {
		return nil
	}
	_, err := DecodeCursor(cursor, key)
	return err
}

func compactKeepOrder[T comparable](s []T) []T {
	var out []T
	for _, x := range s {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func joinNames[T ~string](s []T) string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = string(x)
	}
	return strings.Join(out, ", ")
}

// UnmarshalText reads a date as ParseDate does (a query parameter, say).
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return Errorf(CodeInvalid, "", "%q is not a date (want YYYY-MM-DD)", b)
	}
	*d = v
	return nil
}

// Bind is UnmarshalText for binders of query parameters (oapi-codegen's
// runtime.Binder).
func (d *Date) Bind(s string) error { return d.UnmarshalText([]byte(s)) }
