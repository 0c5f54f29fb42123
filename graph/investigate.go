package graph

import (
	"context"
	"slices"
)

// DefaultLinkHops is the hop bound the link queries use when LinkQuery.MaxHops
// is 0.
const DefaultLinkHops = 3

// Link bases: why a ProsecutedLink ties its person to its compound.
const (
	// BasisNetwork: a path over the graph's ties (ownership, operation,
	// association, protection ...), never through an event or a place.
	BasisNetwork = "network"
	// BasisChargedTogether: the compound is itself a subject of one of the
	// person's prosecution events (named in the same charge).
	BasisChargedTogether = "charged_together"
)

// LinkQuery parameterises the named investigative queries that look for
// links within a number of hops.
type LinkQuery struct {
	MaxHops     int      // 1..MaxPathHops; 0 means DefaultLinkHops
	MinEvidence Evidence // only relationships at least this strong ("" for any)
	AsOf        *Date
	Limit       int    // the most links returned, 1..MaxPathsReturned; 0 means DefaultPathsLimit
	FocusID     string // optional: only links that start (or end) at this entity
}

// ProsecutedLink ties a prosecuted person (subject of an arrest, charge,
// indictment, conviction or extradition event) to a compound, with the
// prosecution events and the path whose every hop carries its evidence.
type ProsecutedLink struct {
	Person   Entity   `json:"person"`
	Events   []Entity `json:"events"`
	Compound Entity   `json:"compound"`
	Path     Path     `json:"path"`
	Basis    string   `json:"basis"` // BasisNetwork or BasisChargedTogether
}

// OfficialLink ties an official to a tycoon or to a company, with the path.
type OfficialLink struct {
	Official Entity `json:"official"`
	Target   Entity `json:"target"`
	Path     Path   `json:"path"`
}

// NationalityCount sums victims of one nationality.
type NationalityCount struct {
	Nationality string `json:"nationality"`
	People      int64  `json:"people"`            // the sum of cohort counts (an individual counts 1)
	Cohorts     int    `json:"cohorts"`           // the number of victim nodes
	Uncounted   int    `json:"uncounted_cohorts"` // cohorts whose size is not reported (they add 0 to People)
}

// CompoundNetwork is everything tied to one compound.
type CompoundNetwork struct {
	Compound        Entity             `json:"compound"`
	Owners          []Entity           `json:"owners"`
	Operators       []Entity           `json:"operators"`
	Companies       []Entity           `json:"companies"`
	Officials       []Entity           `json:"officials"`
	Events          []Entity           `json:"events"`
	Locations       []Entity           `json:"locations"`
	VictimsHeld     []NationalityCount `json:"victims_held"`
	VictimsReleased []NationalityCount `json:"victims_released"`
	Graph           Subgraph           `json:"graph"`
}

// VictimTally is one row of victims by nationality and compound.
type VictimTally struct {
	Nationality  string `json:"nationality"`
	CompoundID   string `json:"compound_id,omitempty"` // empty: not tied to a compound
	CompoundName string `json:"compound_name,omitempty"`
	Relation     string `json:"relation"` // HELD_AT, RELEASED_FROM, RECRUITED_TO, or "" (none)
	People       int64  `json:"people"`
	Cohorts      int    `json:"cohorts"`
	Uncounted    int    `json:"uncounted_cohorts"` // cohorts whose size is not reported (they add 0 to People)
}

// VictimQuery filters victims-by-nationality.
type VictimQuery struct {
	Nationality string // ISO alpha-2, optional
	CompoundID  string // optional
	AsOf        *Date
}

// TimelineItem is one dated item in an entity's timeline: an event it took
// part in, or a dated relationship (its start or its end).
type TimelineItem struct {
	Date         Date          `json:"date"`
	What         string        `json:"what"` // "event", "relationship_start", "relationship_end"
	Event        *Entity       `json:"event,omitempty"`
	Relationship *Relationship `json:"relationship,omitempty"`
	Other        *Entity       `json:"other,omitempty"` // the entity at the relationship's other end
}

// OwnershipChain is one chain from an entity up to an ultimate owner (an
// owner nobody is recorded as owning or controlling).
type OwnershipChain struct {
	UltimateOwner Entity `json:"ultimate_owner"`
	Path          Path   `json:"path"`
}

// Investigator answers the named investigative queries. Like Reader, every
// method is a read and honours ctx's deadline.
type Investigator interface {
	ProsecutedCompoundLinks(ctx context.Context, q LinkQuery) ([]ProsecutedLink, error)
	OfficialLinks(ctx context.Context, q LinkQuery) ([]OfficialLink, error)
	CompoundNetwork(ctx context.Context, id string, asOf *Date) (CompoundNetwork, error)
	VictimsByNationality(ctx context.Context, q VictimQuery) ([]VictimTally, error)
	Timeline(ctx context.Context, id string, asOf *Date) ([]TimelineItem, error)
	OwnershipChains(ctx context.Context, id string, q LinkQuery) ([]OwnershipChain, error)
}

// HintRelTypes are the relationship types that record a hint, not a tie:
// POSSIBLY_SAME_AS, a candidate match (ICIJ's same_name_as, similar ...)
// that the entity-matching work has yet to confirm or reject. A path or a
// neighbourhood through one would show two records that may be one
// entity as if they were known to be tied, so no query follows them
// unless it names them (docs/queries.md, "Hints are not ties"): the
// default relationship types of neighbours, paths and analytics are
// TraversedRelTypes, and the named investigative queries never follow them.
func HintRelTypes() []RelType { return []RelType{RelPossiblySameAs} }

// IsHint reports whether t is one of HintRelTypes.
func (t RelType) IsHint() bool { return slices.Contains(HintRelTypes(), t) }

// TraversedRelTypes are the relationship types a query follows when the
// caller names none: every importable type but the hints (HintRelTypes).
// LINKED_TO, a tie a record states without saying what it is, is a fact on
// paper (grade record) and is followed; min_evidence=charge or above, or a
// rel= list without it, leaves it out.
func TraversedRelTypes() []RelType {
	return slices.DeleteFunc(RelTypes(), RelType.IsHint)
}
