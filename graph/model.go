// Package graph holds scamgraph's domain: the kinds of entity and relationship
// an investigation graph is made of, the evidence grades that qualify every
// relationship, the interfaces the importer and the API depend on, and the
// error codes they share. It uses the standard library only; the Neo4j
// implementation lives in graph/neo4jdb.
package graph

import (
	"maps"
	"slices"
	"strings"
)

// Kind is the kind of a domain entity. A node has one or more kinds (Chen Zhi
// is both a tycoon and an official); each kind maps to fixed Neo4j labels.
type Kind string

// The entity kinds. Their order here is the order used in documentation.
const (
	KindPerson       Kind = "person"       // any named individual not otherwise classified (associate, relative, witness)
	KindTycoon       Kind = "tycoon"       // a business figure behind scam operations
	KindOfficial     Kind = "official"     // holds or held public office or advises a government
	KindCompound     Kind = "compound"     // a physical scam compound / hub
	KindCompany      Kind = "company"      // a legal entity: conglomerate, shell, casino operator
	KindVictim       Kind = "victim"       // a trafficked person or a cohort of them
	KindLocation     Kind = "location"     // city, province, country, district
	KindOrganization Kind = "organization" // ministries, embassies, courts, NGOs, police, UN bodies
	KindEvent        Kind = "event"        // raid, arrest, charge, sanction, release ...
	KindSource       Kind = "source"       // a report: article, designation, indictment
)

// EntityLabel is the label every domain node carries, so that a single
// uniqueness constraint and a single full-text index cover all kinds.
const EntityLabel = "Entity"

// kindLabels is the allow-list of labels: labels cannot be Cypher
// parameters, so they come only from this table.
var kindLabels = map[Kind][]string{
	KindPerson:       {"Person"},
	KindTycoon:       {"Person", "Tycoon"},
	KindOfficial:     {"Person", "Official"},
	KindCompound:     {"Compound"},
	KindCompany:      {"Company"},
	KindVictim:       {"Victim"},
	KindLocation:     {"Location"},
	KindOrganization: {"Organization"},
	KindEvent:        {"Event"},
	KindSource:       {"Source"},
}

// labelKinds is the inverse of kindLabels for the labels that identify a
// kind on their own (Person identifies KindPerson only when neither Tycoon
// nor Official is present).
var labelKinds = map[string]Kind{
	"Tycoon":       KindTycoon,
	"Official":     KindOfficial,
	"Compound":     KindCompound,
	"Company":      KindCompany,
	"Victim":       KindVictim,
	"Location":     KindLocation,
	"Organization": KindOrganization,
	"Event":        KindEvent,
	"Source":       KindSource,
}

// AllKinds lists every kind in documentation order.
func AllKinds() []Kind {
	return []Kind{KindPerson, KindTycoon, KindOfficial, KindCompound, KindCompany,
		KindVictim, KindLocation, KindOrganization, KindEvent, KindSource}
}

// ParseKind returns the kind named s (case-insensitive) or false.
func ParseKind(s string) (Kind, bool) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	_, ok := kindLabels[k]
	return k, ok
}

// Labels returns the Neo4j labels for a set of kinds, always including
// EntityLabel, sorted and without duplicates.
func Labels(kinds []Kind) []string {
	set := map[string]bool{EntityLabel: true}
	for _, k := range kinds {
		for _, l := range kindLabels[k] {
			set[l] = true
		}
	}
	// Never nil: an empty list encodes as [] (not null).
	out := slices.AppendSeq(make([]string, 0, len(set)), maps.Keys(set))
	slices.Sort(out)
	return out
}

// KindLabel returns the label that selects nodes of kind k (Person for
// person, Tycoon for tycoon, ...).
func KindLabel(k Kind) (string, bool) {
	ls, ok := kindLabels[k]
	if !ok {
		return "", false
	}
	return ls[len(ls)-1], true
}

// KindsFromLabels maps stored labels back to kinds, sorted.
func KindsFromLabels(labels []string) []Kind {
	var out []Kind
	hasPerson, hasRole := false, false
	for _, l := range labels {
		if l == "Person" {
			hasPerson = true
			continue
		}
		if k, ok := labelKinds[l]; ok {
			out = append(out, k)
			if k == KindTycoon || k == KindOfficial {
				hasRole = true
			}
		}
	}
	if hasPerson && !hasRole {
		out = append(out, KindPerson)
	}
	slices.Sort(out)
	return out
}

// RelType is a typed, directed relationship. The allow-list below is the
// only source of relationship types that reach Cypher text.
type RelType string

// The relationship types.
const (
	RelOwns         RelType = "OWNS"            // person|company -> company|compound (equity, beneficial ownership)
	RelControls     RelType = "CONTROLS"        // person|company -> company|compound (control without stated ownership)
	RelDirects      RelType = "DIRECTS"         // person -> company (director, chairman, CEO)
	RelOperates     RelType = "OPERATES"        // person|company -> compound
	RelHoldsOffice  RelType = "HOLDS_OFFICE"    // person -> organization (minister, ambassador, spokesman)
	RelAdvises      RelType = "ADVISES"         // person -> organization|person (government adviser)
	RelProtects     RelType = "PROTECTS"        // person|organization -> compound|person|company (alleged protection)
	RelFamilyOf     RelType = "FAMILY_OF"       // person -> person
	RelAssociateOf  RelType = "ASSOCIATE_OF"    // person|company -> person|company
	RelRecruitedTo  RelType = "RECRUITED_TO"    // victim -> compound|company
	RelHeldAt       RelType = "HELD_AT"         // victim -> compound
	RelReleasedFrom RelType = "RELEASED_FROM"   // victim -> compound
	RelSubjectOf    RelType = "SUBJECT_OF"      // any entity -> event (the arrested, charged, rescued, sanctioned)
	RelConducted    RelType = "CONDUCTED"       // organization|person -> event (the raiding police, the charging court)
	RelParticipated RelType = "PARTICIPATED_IN" // organization|person -> event (assisted, negotiated, announced)
	RelLocatedIn    RelType = "LOCATED_IN"      // compound|company|organization|location|event -> location|compound (an event at a compound)
	RelPartOf       RelType = "PART_OF"         // organization -> organization (embassy of a state, ministry of a government)
	RelRepresents   RelType = "REPRESENTS"      // organization -> location (an embassy represents a country)
	RelAssistedBy   RelType = "ASSISTED_BY"     // victim -> organization (an embassy receiving released victims)
	RelMentionedIn  RelType = "MENTIONED_IN"    // entity -> source; derived by the importer from every node's sources
	// Imported from records (FtM, ICIJ Offshore Leaks, docs/import-ftm.md).
	RelLinkedTo       RelType = "LINKED_TO"        // any -> any: a tie a record states without saying what it is (FtM UnknownLink, ICIJ intermediary_of)
	RelPossiblySameAs RelType = "POSSIBLY_SAME_AS" // any -> any: a candidate match (ICIJ same_name_as, similar); never a merge
)

// Endpoints are the kinds a relationship type may start and end at. Nil
// means any kind. KindPerson covers tycoons and officials.
type Endpoints struct {
	From, To []Kind
}

// relEndpoints is the model's contract for each relationship type, the
// table docs/import-format.md ("Relationship types") states; the importer
// refuses a relationship whose endpoints have none of the listed kinds.
var relEndpoints = map[RelType]Endpoints{
	RelOwns:         {From: []Kind{KindPerson, KindCompany}, To: []Kind{KindCompany, KindCompound}},
	RelControls:     {From: []Kind{KindPerson, KindCompany}, To: []Kind{KindCompany, KindCompound}},
	RelDirects:      {From: []Kind{KindPerson}, To: []Kind{KindCompany}},
	RelOperates:     {From: []Kind{KindPerson, KindCompany}, To: []Kind{KindCompound}},
	RelHoldsOffice:  {From: []Kind{KindPerson}, To: []Kind{KindOrganization}},
	RelAdvises:      {From: []Kind{KindPerson}, To: []Kind{KindOrganization, KindPerson}},
	RelProtects:     {From: []Kind{KindPerson, KindOrganization}, To: []Kind{KindCompound, KindPerson, KindCompany}},
	RelFamilyOf:     {From: []Kind{KindPerson}, To: []Kind{KindPerson}},
	RelAssociateOf:  {From: []Kind{KindPerson, KindCompany}, To: []Kind{KindPerson, KindCompany}},
	RelRecruitedTo:  {From: []Kind{KindVictim}, To: []Kind{KindCompound, KindCompany}},
	RelHeldAt:       {From: []Kind{KindVictim}, To: []Kind{KindCompound}},
	RelReleasedFrom: {From: []Kind{KindVictim}, To: []Kind{KindCompound}},
	RelSubjectOf:    {To: []Kind{KindEvent}},
	RelConducted:    {From: []Kind{KindOrganization, KindPerson}, To: []Kind{KindEvent}},
	RelParticipated: {From: []Kind{KindOrganization, KindPerson}, To: []Kind{KindEvent}},
	RelLocatedIn:    {From: []Kind{KindCompound, KindCompany, KindOrganization, KindLocation, KindEvent, KindPerson}, To: []Kind{KindLocation, KindCompound}},
	RelPartOf:       {From: []Kind{KindOrganization}, To: []Kind{KindOrganization}},
	RelRepresents:   {From: []Kind{KindOrganization}, To: []Kind{KindLocation}},
	RelAssistedBy:   {From: []Kind{KindVictim}, To: []Kind{KindOrganization}},
	RelMentionedIn:  {To: []Kind{KindSource}},
	// Records never name victims, and a source is never a party to a fact.
	RelLinkedTo:       {From: recordKinds, To: recordKinds},
	RelPossiblySameAs: {From: recordKinds, To: recordKinds},
}

// recordKinds are the kinds imported records (FtM, ICIJ) may link.
var recordKinds = []Kind{KindPerson, KindCompound, KindCompany, KindLocation, KindOrganization, KindEvent}

// EndpointsOf returns the kinds relationships of type t may join.
func EndpointsOf(t RelType) Endpoints { return relEndpoints[t] }

// EndpointsFit reports whether an entity of kinds may stand at an end that
// allows want (nil allows any): one kind in common is enough, and tycoons
// and officials are persons.
func EndpointsFit(want, kinds []Kind) bool {
	if want == nil {
		return true
	}
	e := Entity{Kinds: kinds}
	return slices.ContainsFunc(want, e.HasKind)
}

// KindNames joins kinds as "person, company", for messages and docs.
func KindNames(kinds []Kind) string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return strings.Join(out, ", ")
}

// RelTypes lists the relationship types that import files may use.
// MENTIONED_IN is not among them: the importer derives it from sources.
func RelTypes() []RelType {
	return []RelType{RelOwns, RelControls, RelDirects, RelOperates, RelHoldsOffice,
		RelAdvises, RelProtects, RelFamilyOf, RelAssociateOf, RelRecruitedTo,
		RelHeldAt, RelReleasedFrom, RelSubjectOf, RelConducted, RelParticipated,
		RelLocatedIn, RelPartOf, RelRepresents, RelAssistedBy, RelLinkedTo, RelPossiblySameAs}
}

// relTypeSpelling turns the dashes and spaces of a relationship type or
// evidence grade as written into underscores.
var relTypeSpelling = strings.NewReplacer("-", "_", " ", "_")

// ParseRelType returns the relationship type named s (case-insensitive,
// dashes or spaces accepted for underscores). MENTIONED_IN parses too, since
// queries may filter on it, but importers reject it (see Importable).
func ParseRelType(s string) (RelType, bool) {
	t := RelType(strings.ToUpper(relTypeSpelling.Replace(strings.TrimSpace(s))))
	if t == RelMentionedIn {
		return t, true
	}
	for _, k := range RelTypes() {
		if k == t {
			return t, true
		}
	}
	return "", false
}

// Importable reports whether import files may state relationships of type t.
func (t RelType) Importable() bool { return t != RelMentionedIn && t != "" }

// OwnershipRelTypes are the relationship types that make up ownership and
// control chains.
func OwnershipRelTypes() []RelType { return []RelType{RelOwns, RelControls, RelDirects, RelOperates} }

// Evidence is the strength of the evidence behind a relationship.
type Evidence string

// Evidence grades, weakest first.
const (
	EvidenceAllegation        Evidence = "allegation"         // claims by rights monitors, unnamed sources, victims
	EvidenceMediaReport       Evidence = "media_report"       // reported as fact by a news organisation
	EvidenceRecord            Evidence = "record"             // written in a registry or in a company's own (leaked) records
	EvidenceOfficialStatement Evidence = "official_statement" // said on the record by a government or agency
	EvidenceCharge            Evidence = "charge"             // subject of an arrest, charge or indictment
	EvidenceDesignation       Evidence = "designation"        // sanctions designation by a government
	EvidenceConviction        Evidence = "conviction"         // a court judgment
)

// evidenceRank is each grade's rank, for filters (min_evidence). record
// shares rank 3 ("on the record") with official_statement, so that the
// ranks 1-6 of the API and of stored relationships keep their meaning; it
// orders below it (Stronger), so a statement wins a merge.
var evidenceRank = map[Evidence]int{
	EvidenceAllegation:        1,
	EvidenceMediaReport:       2,
	EvidenceRecord:            3,
	EvidenceOfficialStatement: 3,
	EvidenceCharge:            4,
	EvidenceDesignation:       5,
	EvidenceConviction:        6,
}

// Evidences lists the grades, weakest first.
func Evidences() []Evidence {
	return []Evidence{EvidenceAllegation, EvidenceMediaReport, EvidenceRecord, EvidenceOfficialStatement,
		EvidenceCharge, EvidenceDesignation, EvidenceConviction}
}

// Stronger reports whether e is a stronger grade than o: later in
// Evidences (record is weaker than official_statement, which shares its
// rank). An unknown grade is weaker than every known one.
func (e Evidence) Stronger(o Evidence) bool {
	return slices.Index(Evidences(), e) > slices.Index(Evidences(), o)
}

// ParseEvidence returns the grade named s or false.
func ParseEvidence(s string) (Evidence, bool) {
	e := Evidence(strings.ToLower(relTypeSpelling.Replace(strings.TrimSpace(s))))
	_, ok := evidenceRank[e]
	return e, ok
}

// Rank orders grades for filters: 1 (allegation) to 6 (conviction); 0 for
// unknown. record and official_statement are both 3.
func (e Evidence) Rank() int { return evidenceRank[e] }

// EvidenceForRank is the strongest grade of rank r ("" for none): the
// inverse of Rank, official_statement for 3.
func EvidenceForRank(r int) Evidence {
	var out Evidence
	for _, e := range Evidences() {
		if evidenceRank[e] == r {
			out = e
		}
	}
	return out
}

// EventType is the type of an event node.
type EventType string

// Event types.
const (
	EventRaid         EventType = "raid"
	EventArrest       EventType = "arrest"
	EventCharge       EventType = "charge"
	EventIndictment   EventType = "indictment"
	EventConviction   EventType = "conviction"
	EventSanction     EventType = "sanction"
	EventExtradition  EventType = "extradition"
	EventDeportation  EventType = "deportation"
	EventRescue       EventType = "rescue"
	EventRelease      EventType = "release"
	EventRepatriation EventType = "repatriation"
	EventProtest      EventType = "protest"
	EventCrackdown    EventType = "crackdown"
	EventClosure      EventType = "closure"
)

// EventTypes lists every event type.
func EventTypes() []EventType {
	return []EventType{EventRaid, EventArrest, EventCharge, EventIndictment, EventConviction,
		EventSanction, EventExtradition, EventDeportation, EventRescue, EventRelease,
		EventRepatriation, EventProtest, EventCrackdown, EventClosure}
}

// ProsecutionEventTypes are the event types that make their subjects
// "prosecuted" for the prosecuted-compound-links query.
func ProsecutionEventTypes() []EventType {
	return []EventType{EventArrest, EventCharge, EventIndictment, EventConviction, EventExtradition}
}

// ParseEventType returns the event type named s or false.
func ParseEventType(s string) (EventType, bool) {
	t := EventType(strings.ToLower(strings.TrimSpace(s)))
	for _, k := range EventTypes() {
		if k == t {
			return t, true
		}
	}
	return "", false
}
