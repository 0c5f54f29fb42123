package graph

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"
)

// ValueType is the type of a property value.
type ValueType string

// Property value types. Dates are calendar dates (Neo4j DATE).
const (
	TypeString  ValueType = "string"
	TypeInt     ValueType = "int"
	TypeFloat   ValueType = "float"
	TypeBool    ValueType = "bool"
	TypeDate    ValueType = "date"
	TypeStrings ValueType = "strings"
)

// AdminHeader is the type suffix of a property column of this type in the
// CSV header neo4j-admin database import reads (":long", ":string[]"; ""
// for a string). The export and the bulk import write the same headers.
func (t ValueType) AdminHeader() string {
	switch t {
	case TypeInt:
		return ":long"
	case TypeFloat:
		return ":double"
	case TypeBool:
		return ":boolean"
	case TypeDate:
		return ":date"
	case TypeStrings:
		return ":string[]"
	}
	return ""
}

// Value is one typed property value. Exactly the field matching Type is
// meaningful; dates are kept in S as YYYY-MM-DD.
type Value struct {
	Type ValueType
	S    string
	I    int64
	F    float64
	B    bool
	L    []string
}

// String values, ints, and so on: constructors for Value.
func StringValue(s string) Value    { return Value{Type: TypeString, S: s} }
func IntValue(i int64) Value        { return Value{Type: TypeInt, I: i} }
func FloatValue(f float64) Value    { return Value{Type: TypeFloat, F: f} }
func BoolValue(b bool) Value        { return Value{Type: TypeBool, B: b} }
func DateValue(d Date) Value        { return Value{Type: TypeDate, S: d.String()} }
func StringsValue(l []string) Value { return Value{Type: TypeStrings, L: append([]string(nil), l...)} }

// Equal reports whether two values are the same type and value.
func (v Value) Equal(o Value) bool {
	if v.Type != o.Type {
		return false
	}
	switch v.Type {
	case TypeInt:
		return v.I == o.I
	case TypeFloat:
		return v.F == o.F
	case TypeBool:
		return v.B == o.B
	case TypeStrings:
		return equalStrings(v.L, o.L)
	default:
		return v.S == o.S
	}
}

// Any returns the value as a plain Go value (string, int64, float64, bool,
// []string) for encoders.
func (v Value) Any() any {
	switch v.Type {
	case TypeInt:
		return v.I
	case TypeFloat:
		return v.F
	case TypeBool:
		return v.B
	case TypeStrings:
		if v.L == nil {
			return []string{}
		}
		return v.L
	default:
		return v.S
	}
}

// MarshalJSON writes the bare value (json.go).
func (v Value) MarshalJSON() ([]byte, error) { return v.appendJSON(nil), nil }

// Date is a calendar date, possibly known only to the month or the year.
type Date struct {
	Year, Month, Day int
}

// ParseDate accepts YYYY-MM-DD, YYYY-MM or YYYY (a partial date stands for
// the first day of its period) and rejects impossible dates.
func ParseDate(s string) (Date, error) {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if len(s) != len(layout) {
			continue
		}
		t, err := time.Parse(layout, s)
		if err != nil {
			return Date{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD, YYYY-MM or YYYY)", s)
		}
		if t.Year() < 1800 || t.Year() > 2200 {
			return Date{}, fmt.Errorf("%q is outside 1800-2200", s)
		}
		return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}, nil
	}
	return Date{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD, YYYY-MM or YYYY)", s)
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// MarshalJSON writes the date as "YYYY-MM-DD" (json.go).
func (d Date) MarshalJSON() ([]byte, error) { return d.appendJSON(nil), nil }

// UnmarshalJSON reads a date written by MarshalJSON (or a partial one).
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d.Year == 0 }

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time {
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
}

// DateOf converts a time to its UTC calendar date.
func DateOf(t time.Time) Date {
	t = t.UTC()
	return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.String() < o.String() }

// Entity is a domain node: a person, compound, company, victim, location,
// organization, event or source.
type Entity struct {
	ID         string           `json:"id"`
	Kinds      []Kind           `json:"kinds"`
	Name       string           `json:"name"`
	Aliases    []string         `json:"aliases"`
	Sources    []string         `json:"sources"`
	Properties map[string]Value `json:"properties"`
}

// Relationship is a typed, directed, sourced fact between two entities.
type Relationship struct {
	ID         string           `json:"id"`
	Type       RelType          `json:"type"`
	From       string           `json:"from"`
	To         string           `json:"to"`
	Key        string           `json:"key,omitempty"`
	Evidence   Evidence         `json:"evidence"`
	Since      *Date            `json:"since,omitempty"`
	Until      *Date            `json:"until,omitempty"`
	Sources    []string         `json:"sources"`
	Properties map[string]Value `json:"properties"`
}

// RelationshipID is the stable id of a relationship: its endpoints, type and
// optional key (for two facts of one type between the same pair, such as two
// terms in the same office).
func RelationshipID(from string, t RelType, to, key string) string {
	id := from + "-[" + string(t) + "]->" + to
	if key != "" {
		id += "#" + key
	}
	return id
}

// MergeEntity folds a later report's view of an entity into the stored one:
// kinds, aliases and sources are unions; a property the incoming record sets
// replaces the stored value, one it leaves out is kept; the name is replaced
// only when the incoming record has one (the old name becomes an alias).
// It returns the merged entity and whether anything changed.
func MergeEntity(stored, in Entity) (Entity, bool) {
	out := Entity{
		ID:         stored.ID,
		Kinds:      unionKinds(stored.Kinds, in.Kinds),
		Name:       stored.Name,
		Aliases:    union(stored.Aliases, in.Aliases),
		Sources:    union(stored.Sources, in.Sources),
		Properties: mergeProps(stored.Properties, in.Properties),
	}
	if in.Name != "" && in.Name != stored.Name {
		if stored.Name != "" {
			out.Aliases = union(out.Aliases, []string{stored.Name})
		}
		out.Name = in.Name
	}
	out.Aliases = without(out.Aliases, out.Name)
	return out, !EntitiesEqual(stored, out)
}

// MergeRelationship folds a later report's view of a relationship into the
// stored one: sources are a union, the evidence grade is the stronger one,
// since is the earlier and until the later of the known dates, and
// properties merge as for entities.
func MergeRelationship(stored, in Relationship) (Relationship, bool) {
	out := stored
	out.Sources = union(stored.Sources, in.Sources)
	if in.Evidence.Stronger(stored.Evidence) {
		out.Evidence = in.Evidence
	}
	out.Since = pickDate(stored.Since, in.Since, true)
	out.Until = pickDate(stored.Until, in.Until, false)
	out.Properties = mergeProps(stored.Properties, in.Properties)
	return out, !RelationshipsEqual(stored, out)
}

// EntitiesEqual compares two entities field by field (order-insensitive
// for kinds, aliases and sources).
func EntitiesEqual(a, b Entity) bool {
	return a.ID == b.ID && a.Name == b.Name &&
		equalKinds(a.Kinds, b.Kinds) &&
		equalSet(a.Aliases, b.Aliases) && equalSet(a.Sources, b.Sources) &&
		equalProps(a.Properties, b.Properties)
}

// RelationshipsEqual compares two relationships field by field.
func RelationshipsEqual(a, b Relationship) bool {
	return a.ID == b.ID && a.Type == b.Type && a.From == b.From && a.To == b.To &&
		a.Key == b.Key && a.Evidence == b.Evidence &&
		equalDate(a.Since, b.Since) && equalDate(a.Until, b.Until) &&
		equalSet(a.Sources, b.Sources) && equalProps(a.Properties, b.Properties)
}

func pickDate(a, b *Date, earlier bool) *Date {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case b.Before(*a) == earlier:
		return b
	default:
		return a
	}
}

func equalDate(a, b *Date) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func mergeProps(stored, in map[string]Value) map[string]Value {
	out := make(map[string]Value, len(stored)+len(in))
	for k, v := range stored {
		out[k] = v
	}
	for k, v := range in {
		out[k] = v
	}
	return out
}

func equalProps(a, b map[string]Value) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !v.Equal(w) {
			return false
		}
	}
	return true
}

// union returns a sorted set of the strings in a and b, without empties.
func union(a, b []string) []string {
	set := make(map[string]bool, len(a)+len(b))
	for _, s := range a {
		set[s] = true
	}
	for _, s := range b {
		set[s] = true
	}
	delete(set, "")
	// Never nil: an empty list encodes as [] (not null).
	out := slices.AppendSeq(make([]string, 0, len(set)), maps.Keys(set))
	slices.Sort(out)
	return out
}

func unionKinds(a, b []Kind) []Kind {
	set := map[Kind]bool{}
	for _, k := range append(append([]Kind(nil), a...), b...) {
		set[k] = true
	}
	// person is implied by tycoon and official.
	if set[KindTycoon] || set[KindOfficial] {
		delete(set, KindPerson)
	}
	// Never nil: an empty list encodes as [] (not null).
	out := slices.AppendSeq(make([]Kind, 0, len(set)), maps.Keys(set))
	slices.Sort(out)
	return out
}

// NormalizeKinds sorts kinds, drops duplicates and drops person where tycoon
// or official already says it.
func NormalizeKinds(k []Kind) []Kind { return unionKinds(k, nil) }

// NormalizeStrings sorts and de-duplicates, dropping empty strings.
func NormalizeStrings(s []string) []string { return union(s, nil) }

func without(s []string, x string) []string {
	out := s[:0:0]
	for _, v := range s {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}

func equalSet(a, b []string) bool { return equalStrings(union(a, nil), union(b, nil)) }

func equalKinds(a, b []Kind) bool {
	a, b = unionKinds(a, nil), unionKinds(b, nil)
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalStrings(a, b []string) bool { return slices.Equal(a, b) }
