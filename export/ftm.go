package export

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/scamgraph/scamgraph/graph"
)

// The FollowTheMoney model (schemata, their ancestors and properties with
// types and ranges), generated from the followthemoney package by
// scripts/ftm-schema.py. The writer checks every property it writes
// against it, so a line never names a property its schema lacks or
// points at an entity outside the property's range.
//
//go:embed ftm-schema.json
var ftmSchemaJSON []byte

type ftmProp struct {
	Type  string `json:"type"`
	Range string `json:"range"`
}

type ftmSchema struct {
	Is         []string           `json:"is"`
	Abstract   bool               `json:"abstract"`
	Required   []string           `json:"required"`
	Properties map[string]ftmProp `json:"properties"`
}

var ftmModel = func() struct {
	Version  string               `json:"followthemoney"`
	Schemata map[string]ftmSchema `json:"schemata"`
} {
	var m struct {
		Version  string               `json:"followthemoney"`
		Schemata map[string]ftmSchema `json:"schemata"`
	}
	if err := json.Unmarshal(ftmSchemaJSON, &m); err != nil {
		panic("export: ftm-schema.json: " + err.Error())
	}
	return m
}()

// FtMVersion is the followthemoney release the model was taken from.
func FtMVersion() string { return ftmModel.Version }

// ftmIs reports whether schema is (or extends) parent.
func ftmIs(schema, parent string) bool {
	return slices.Contains(ftmModel.Schemata[schema].Is, parent)
}

// DatasetSourcePrefix marks the source nodes that stand for a whole FtM
// dataset (source:ftm:<dataset>, made by the FtM importer): they are an
// entity's datasets in an FtM export, not Articles.
const DatasetSourcePrefix = "source:ftm:"

// ftmSchemaOf chooses an entity's schema: the ftm_schema property the FtM
// importer keeps, when it is a thing schema that fits the entity's kind,
// else by kind (docs/export.md, "FtM mapping").
func ftmSchemaOf(e graph.Entity, subjects bool) string {
	if s := recordSchema(e.Properties); s != "" {
		return s
	}
	return kindSchema(e, subjects)
}

// recordSchema is the ftm_schema property when it names a concrete FtM
// schema: the schema the entity or relationship came from.
func recordSchema(props map[string]graph.Value) string {
	p, ok := props["ftm_schema"]
	if !ok || p.Type != graph.TypeString {
		return ""
	}
	if s, ok := ftmModel.Schemata[p.S]; ok && !s.Abstract {
		return p.S
	}
	return ""
}

func kindSchema(e graph.Entity, subjects bool) string {
	switch {
	case e.HasKind(graph.KindEvent):
		if t := e.Properties["event_type"]; t.S == string(graph.EventSanction) && subjects {
			return "Sanction"
		}
		return "Event"
	case e.HasKind(graph.KindSource):
		return "Article"
	case e.HasKind(graph.KindPerson), e.HasKind(graph.KindVictim):
		return "Person"
	case e.HasKind(graph.KindCompany):
		return "Company"
	case e.HasKind(graph.KindOrganization):
		return "Organization"
	case e.HasKind(graph.KindCompound):
		return "RealEstate"
	case e.HasKind(graph.KindLocation):
		return "Address"
	}
	return "LegalEntity"
}

// legalEntity reports whether kinds export as a LegalEntity schema (the
// range of Event.involved and organizer).
func legalEntity(kinds []graph.Kind) bool {
	e := graph.Entity{Kinds: kinds}
	return !e.HasKind(graph.KindEvent) && !e.HasKind(graph.KindSource) &&
		ftmIs(kindSchema(e, false), "LegalEntity")
}

// foldedIntoEvent reports whether the FtM export writes r as a property
// of its event (involved/organizer, a sanction's entity/authority) rather
// than as a line of its own.
func foldedIntoEvent(r graph.ExportRelationship) bool {
	if !slices.Contains(r.ToKinds, graph.KindEvent) || (r.Type != graph.RelSubjectOf && r.Type != graph.RelConducted) {
		return false
	}
	return legalEntity(r.FromKinds) || recordSchema(r.Properties) == "Sanction"
}

// foldedIntoThing reports whether r is a property of its start entity
// (FtM's addressEntity, which the importer made a LOCATED_IN).
func foldedIntoThing(r graph.ExportRelationship) bool {
	p, ok := r.Properties["ftm_property"]
	return r.Type == graph.RelLocatedIn && ok && p.Type == graph.TypeString && p.S == "addressEntity"
}

// FtMEntityID is the FtM id of an entity: an id the FtM importer made
// (ftm:<id>) goes back to <id>; any other becomes "sg-" and the id with
// every character outside [0-9A-Za-z-] (and a final "-") written as "."
// and two hex digits, which FtM's id pattern allows and ParseFtMEntityID
// reverses. Ids that would pass FtM's 200 characters are hashed.
func FtMEntityID(id string) string { return graph.FtMEntityID(id) }

// ftmEntity is one FtM line.
type ftmEntity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
	Caption    string              `json:"caption,omitempty"`
	Datasets   []string            `json:"datasets"`
	Referents  []string            `json:"referents,omitempty"`
	FirstSeen  string              `json:"first_seen,omitempty"`
	LastSeen   string              `json:"last_seen,omitempty"`
}

// ftmWriter writes FtM entities, one JSON object a line, as Aleph and
// OpenSanctions' entities.ftm.json hold them.
type ftmWriter struct {
	w   *bufio.Writer
	src graph.Exporter
	q   graph.ExportQuery
	ns  string // taken off every id (ExportQuery.Namespace)
	enc *json.Encoder
	// lastDatasets are the datasets of the last line that had some: the
	// FtM import keeps no datasets on the Documents it makes sources of
	// (a source cites none), so their lines get these.
	lastDatasets []string
}

func (f *ftmWriter) begin() error {
	f.enc = json.NewEncoder(f.w)
	f.enc.SetEscapeHTML(false)
	return nil
}

func (f *ftmWriter) middle() error { return nil }
func (f *ftmWriter) end() error    { return nil }

// local is an id without the export's namespace.
func (f *ftmWriter) local(id string) string { return strings.TrimPrefix(id, f.ns) }

// ftmID is the FtM id of one of our entity ids.
func (f *ftmWriter) ftmID(id string) string { return FtMEntityID(f.local(id)) }

// line builds one FtM entity of one schema. faithful lines are those of
// records an FtM import made (they carry ftm_schema): only what came
// from FtM is written back, so that importing the export again makes the
// same graph. Other lines also say what our model knows beyond FtM
// (kinds as keywords, evidence, unmapped properties as notes).
type line struct {
	e        ftmEntity
	notes    []string
	faithful bool
	f        *ftmWriter
	refs     map[string]bool // exported entities, for references
}

func (f *ftmWriter) newLine(id, schema string, faithful bool, refs map[string]bool) *line {
	return &line{e: ftmEntity{ID: id, Schema: schema, Properties: map[string][]string{}}, faithful: faithful, f: f, refs: refs}
}

func (l *line) has(prop string) bool {
	_, ok := ftmModel.Schemata[l.e.Schema].Properties[prop]
	return ok
}

// add appends values to prop when the schema has it (and they are valid
// for its type); it reports whether they were taken.
func (l *line) add(prop string, values ...string) bool {
	p, ok := ftmModel.Schemata[l.e.Schema].Properties[prop]
	if !ok {
		return false
	}
	var take []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		if v, ok = ftmValue(p.Type, v); !ok {
			return false
		}
		take = append(take, v)
	}
	for _, v := range take {
		if !slices.Contains(l.e.Properties[prop], v) {
			l.e.Properties[prop] = append(l.e.Properties[prop], v)
		}
	}
	return true
}

// ref adds a reference to our entity id (exported, of FtM schema target)
// when prop takes it. A faithful line keeps the reference its record had
// even outside the property's range.
func (l *line) ref(prop, id, target string) bool {
	p, ok := ftmModel.Schemata[l.e.Schema].Properties[prop]
	if !ok || p.Type != "entity" || (!ftmIs(target, p.Range) && !l.faithful) {
		return false
	}
	return l.add(prop, l.f.ftmID(id))
}

func (l *line) note(key string, v graph.Value) {
	l.notes = append(l.notes, key+": "+ValueText(v))
}

func (l *line) done() ftmEntity {
	if len(l.notes) > 0 {
		for _, p := range []string{"notes", "summary", "description"} {
			if l.has(p) {
				l.e.Properties[p] = append(l.e.Properties[p], strings.Join(l.notes, "\n"))
				break
			}
		}
	}
	if len(l.e.Datasets) == 0 {
		l.e.Datasets = []string{"scamgraph"}
	}
	slices.Sort(l.e.Datasets)
	l.e.Datasets = slices.Compact(l.e.Datasets)
	return l.e
}

// ftmValue checks (and, for countries and languages, converts) a value
// for an FtM property type.
func ftmValue(typ, v string) (string, bool) {
	switch typ {
	case "country":
		v = strings.ToLower(v)
		return v, len(v) == 2 && v >= "aa" && v <= "zz"
	case "language":
		if l, ok := iso639[strings.ToLower(v)]; ok {
			return l, true
		}
		return "", false
	case "gender":
		v = strings.ToLower(v)
		return v, v == "male" || v == "female" || v == "other"
	case "url":
		u, err := url.Parse(v)
		return v, err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	case "date":
		_, err := graph.ParseDate(v)
		return v, err == nil
	}
	return v, true
}

// iso639 maps ISO 639-1 codes (and the 639-3 codes themselves) to the
// ISO 639-3 codes FtM's language type holds: the languages of the region
// and of the reports.
var iso639 = func() map[string]string {
	m := map[string]string{"en": "eng", "km": "khm", "th": "tha", "zh": "zho", "vi": "vie", "id": "ind",
		"ms": "msa", "my": "mya", "lo": "lao", "tl": "tgl", "ko": "kor", "ja": "jpn", "fr": "fra",
		"de": "deu", "es": "spa", "ru": "rus", "hi": "hin", "bn": "ben", "ne": "nep", "si": "sin",
		"ur": "urd", "ar": "ara", "pt": "por", "it": "ita", "nl": "nld", "uk": "ukr", "tr": "tur"}
	for _, v := range slices.Collect(maps.Values(m)) {
		m[v] = v
	}
	return m
}()

// ftmProps maps our property keys to FtM properties (docs/export.md), the
// inverse of the FtM import's mapping; a key without a mapping, or one the
// schema lacks, goes to notes. ftm_<name> properties (what the import kept
// of a record beyond the mapping) go back to <name> in camelCase.
var ftmProps = map[string]string{
	"description": "description", "nationality": "nationality", "born": "birthDate",
	"birth_country": "birthCountry", "gender": "gender", "position": "position",
	"jurisdiction": "jurisdiction", "registration": "registrationNumber", "country": "country",
	"country_code": "country", "publisher": "publisher", "published": "publishedAt", "url": "sourceUrl",
	"source_url": "sourceUrl", "title": "title", "language": "language", "date": "date",
	"end_date": "endDate", "program": "program", "status": "status", "role": "role",
	"percentage": "percentage", "summary": "summary", "reason": "reason", "provisions": "provisions",
	"sanction_status": "status", "program_id": "programId", "authority_id": "authorityId",
	"unsc_id": "unscId", "authority": "authority", "case_number": "caseNumber", "court": "court",
}

// Per schema, where the import took a date or a relation from.
var ftmSchemaProps = map[string]map[string]string{
	"Sanction":  {"date": "listingDate"},
	"CourtCase": {"date": "fileDate", "end_date": "closeDate"},
	"Family":    {"relation": "relationship"},
	"Associate": {"role": "relationship"},
}

// ftmSkip are our keys an FtM line does not carry: bookkeeping, what the
// schema itself says, and what the line's own fields hold.
var ftmSkip = map[string]bool{"ftm_schema": true, "ftm_id": true, "event_type": true, "ftm_property": true,
	"ftm_referents": true, "first_seen": true, "last_seen": true, "ftm_names_dropped": true, "ftm_dataset": true}

// ftmDerived are the keys the FtM import derives (not read from the
// record, or read from properties it also keeps as ftm_*): a faithful
// line leaves them out.
var ftmDerived = map[string]bool{"date_precision": true, "org_type": true, "location_type": true, "source_type": true,
	"jurisdiction": true, "nationality": true, "country_code": true}

// ftmDefaultRoles are the roles the import gives an interval whose record
// names none: a faithful line leaves them out.
var ftmDefaultRoles = map[string]string{"Ownership": "owner", "Directorship": "director", "Membership": "member",
	"Employment": "employee", "Family": "relative", "Associate": "associate", "UnknownLink": "linked",
	"Representation": "agent", "Occupancy": "holder"}

// camel turns lower_snake_case into camelCase.
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

func values(v graph.Value) []string {
	if v.Type == graph.TypeStrings {
		return v.L
	}
	return []string{ValueText(v)}
}

// props writes an entity's or relationship's properties.
func (l *line) props(props map[string]graph.Value) {
	for _, k := range slices.Sorted(maps.Keys(props)) {
		v := props[k]
		switch {
		case ftmSkip[k], l.faithful && ftmDerived[k]:
			continue
		case k == "role" && l.faithful && ValueText(v) == ftmDefaultRoles[l.e.Schema]:
			continue
		}
		p, ok := ftmSchemaProps[l.e.Schema][k]
		if !ok {
			p, ok = ftmProps[k]
		}
		if !ok {
			if name, extra := strings.CutPrefix(k, "ftm_"); extra {
				p, ok = camel(name), true
			}
		}
		if k == "date" && v.Type == graph.TypeDate {
			// a date known to the month or year is written so (2023-09)
			switch props["date_precision"].S {
			case "month":
				v = graph.StringValue(v.S[:7])
			case "year":
				v = graph.StringValue(v.S[:4])
			}
		}
		if ok {
			if fp, isProp := ftmModel.Schemata[l.e.Schema].Properties[p]; isProp && fp.Type == "entity" {
				l.refValues(p, values(v))
				continue
			}
			if l.add(p, values(v)...) {
				continue
			}
		}
		l.note(k, v)
	}
	if l.faithful {
		l.notes = nil // nothing but the record's own properties
	}
}

// refValues writes FtM ids an import kept (ftm_<property>) back as
// references, those of exported entities only.
func (l *line) refValues(prop string, ids []string) {
	for _, id := range ids {
		if l.refs[l.f.ns+graph.FtMIDPrefix+id] {
			l.add(prop, id)
		}
	}
}

// seen writes the line's first_seen, last_seen and referents.
func (l *line) seen(props map[string]graph.Value) {
	if v, ok := props["first_seen"]; ok {
		l.e.FirstSeen = ValueText(v)
	}
	if v, ok := props["last_seen"]; ok {
		l.e.LastSeen = ValueText(v)
	}
	if v, ok := props["ftm_referents"]; ok {
		for _, r := range values(v) {
			l.e.Referents = append(l.e.Referents, l.f.ftmID(r))
		}
	}
}

// sources adds proof references to the exported sources among ids and
// the datasets of the dataset sources.
func (l *line) sources(ids []string) {
	for _, s := range ids {
		if d, ok := strings.CutPrefix(l.f.local(s), DatasetSourcePrefix); ok {
			l.e.Datasets = append(l.e.Datasets, d)
			continue
		}
		if l.refs[s] {
			l.ref("proof", s, "Document")
		}
	}
}

// exported asks the store which of the ids a page refers to are exported:
// sources (for proof) and the FtM ids kept in ftm_* properties.
func (f *ftmWriter) exported(ctx context.Context, sources []string, props []map[string]graph.Value) (map[string]bool, error) {
	var want []string
	for _, s := range sources {
		if !strings.HasPrefix(f.local(s), DatasetSourcePrefix) {
			want = append(want, s)
		}
	}
	for _, p := range props {
		for k, v := range p {
			if strings.HasPrefix(k, "ftm_") && !ftmSkip[k] && v.Type == graph.TypeStrings {
				for _, id := range v.L {
					if graph.ValidFtMID(id) {
						want = append(want, f.ns+graph.FtMIDPrefix+id)
					}
				}
			}
		}
	}
	return f.src.Exported(ctx, f.q, want)
}

func (f *ftmWriter) entities(ctx context.Context, page []graph.ExportEntity) error {
	var srcs []string
	var props []map[string]graph.Value
	for _, e := range page {
		srcs = append(srcs, e.Sources...)
		props = append(props, e.Properties)
	}
	refs, err := f.exported(ctx, srcs, props)
	if err != nil {
		return err
	}
	for _, ee := range page {
		e := ee.Entity
		rs := recordSchema(e.Properties)
		if rs == "" && e.Properties["ftm_schema"].S == "Sanction.authority" {
			continue // made by the import from a Sanction's authority, which the Sanction line says again
		}
		if strings.HasPrefix(f.local(e.ID), DatasetSourcePrefix) && e.HasKind(graph.KindSource) {
			continue // a dataset: the datasets of its entities
		}
		var folded []graph.ExportRelationship
		subjects := false
		for _, r := range ee.In {
			if foldedIntoEvent(r) {
				folded = append(folded, r)
				subjects = subjects || r.Type == graph.RelSubjectOf
			}
		}
		l := f.newLine(f.ftmID(e.ID), ftmSchemaOf(e, subjects), rs != "", refs)
		name := e.Name
		if name == "" {
			name = e.ID
		}
		l.add("name", name)
		l.e.Caption = name
		l.add("alias", e.Aliases...)
		l.sources(e.Sources)
		l.seen(e.Properties)
		if !l.faithful {
			if e.HasKind(graph.KindOfficial) {
				l.add("topics", "role.pep")
			}
			l.add("keywords", kindStrings(e.Kinds)...)
			if t, ok := e.Properties["event_type"]; ok && t.Type == graph.TypeString {
				l.add("keywords", t.S)
			}
		}
		for _, r := range folded {
			schema := r.FromSchema
			if r.Start != nil {
				if s := recordSchema(r.Start.Properties); s != "" {
					schema = s
				}
			}
			if schema == "" {
				schema = kindSchema(graph.Entity{Kinds: r.FromKinds}, false)
			}
			switch {
			case l.e.Schema == "Sanction" && r.Type == graph.RelSubjectOf:
				l.ref("entity", r.From, schema)
			case l.e.Schema == "Sanction":
				if r.Start != nil {
					if !l.faithful {
						l.add("authority", r.Start.Name)
					}
					if c, ok := r.Start.Properties["country_code"]; ok {
						l.add("country", c.S)
					}
				}
			case r.Type == graph.RelSubjectOf:
				l.ref("involved", r.From, schema)
			default:
				l.ref("organizer", r.From, schema)
			}
		}
		for _, r := range ee.Out {
			if foldedIntoThing(r) {
				l.ref("addressEntity", r.To, "Address")
			}
		}
		if d, ok := e.Properties["date"]; ok && l.e.Schema == "Sanction" && !l.faithful {
			l.add("startDate", d.S)
		}
		l.props(e.Properties)
		if l.faithful && e.HasKind(graph.KindSource) && len(l.e.Datasets) == 0 {
			l.e.Datasets = slices.Clone(f.lastDatasets)
		}
		if len(l.e.Datasets) > 0 {
			f.lastDatasets = slices.Clone(l.e.Datasets)
		}
		if err := f.enc.Encode(l.done()); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	return nil
}

// ftmEdges maps relationship types to FtM interval schemata: the schema,
// its source and target properties. A relationship whose ends fall
// outside the schema's ranges is an UnknownLink (subject, object, role)
// instead. A relationship an FtM import made goes back to its own schema
// (ftmIntervals).
var ftmEdges = map[graph.RelType]struct{ schema, source, target string }{
	graph.RelOwns:        {"Ownership", "owner", "asset"},
	graph.RelControls:    {"Control", "controller", "controlled"},
	graph.RelDirects:     {"Directorship", "director", "organization"},
	graph.RelHoldsOffice: {"Employment", "employee", "employer"},
	graph.RelFamilyOf:    {"Family", "person", "relative"},
	graph.RelAssociateOf: {"Associate", "person", "associate"},
	graph.RelPartOf:      {"Membership", "member", "organization"},
	graph.RelLinkedTo:    {"UnknownLink", "subject", "object"},
}

// ftmIntervals are the ends of the interval schemata the FtM import maps.
var ftmIntervals = map[string]struct{ source, target string }{
	"Ownership": {"owner", "asset"}, "Directorship": {"director", "organization"},
	"Membership": {"member", "organization"}, "Employment": {"employee", "employer"},
	"Family": {"person", "relative"}, "Associate": {"person", "associate"},
	"UnknownLink": {"subject", "object"}, "Representation": {"agent", "client"},
	"Occupancy": {"holder", "post"}, "Control": {"controller", "controlled"},
}

// FtMRelationshipID is the FtM id of a relationship: the FtM id it came
// from (its ftm_id property, kept by the FtM importer), or "sg-r" and a
// hash of its id.
func FtMRelationshipID(r graph.Relationship) string {
	if p, ok := r.Properties["ftm_id"]; ok && p.Type == graph.TypeString && graph.ValidFtMID(p.S) {
		return p.S
	}
	return graph.FtMRelationshipID(r.ID)
}

func endSchema(recorded string, kinds []graph.Kind) string {
	if s, ok := ftmModel.Schemata[recorded]; ok && !s.Abstract {
		return recorded
	}
	return kindSchema(graph.Entity{Kinds: kinds}, false)
}

func (f *ftmWriter) relationships(ctx context.Context, page []graph.ExportRelationship) error {
	var srcs []string
	var props []map[string]graph.Value
	for _, r := range page {
		srcs = append(srcs, r.Sources...)
		props = append(props, r.Properties)
	}
	refs, err := f.exported(ctx, srcs, props)
	if err != nil {
		return err
	}
	for _, r := range page {
		if r.Type == graph.RelMentionedIn || foldedIntoEvent(r) || foldedIntoThing(r) {
			continue // MENTIONED_IN is the entity's proof; folded links are their entity's properties
		}
		if strings.HasPrefix(f.local(r.To), DatasetSourcePrefix) || strings.HasPrefix(f.local(r.From), DatasetSourcePrefix) {
			continue
		}
		from, to := endSchema(r.FromSchema, r.FromKinds), endSchema(r.ToSchema, r.ToKinds)
		id := FtMRelationshipID(r.Relationship)
		var l *line
		if rs := recordSchema(r.Properties); ftmIntervals[rs].source != "" {
			m := ftmIntervals[rs]
			l = f.newLine(id, rs, true, refs)
			l.ref(m.source, r.From, from)
			l.ref(m.target, r.To, to)
		} else if m, ok := ftmEdges[r.Type]; ok {
			l = f.newLine(id, m.schema, false, refs)
			if !l.ref(m.source, r.From, from) || !l.ref(m.target, r.To, to) {
				l = nil
			}
		}
		if l == nil {
			l = f.newLine(id, "UnknownLink", false, refs)
			l.ref("subject", r.From, from)
			l.ref("object", r.To, to)
			l.add("role", strings.ToLower(strings.ReplaceAll(string(r.Type), "_", " ")))
		}
		if r.Since != nil {
			l.add("startDate", r.Since.String())
		}
		if r.Until != nil {
			l.add("endDate", r.Until.String())
		}
		l.sources(r.Sources)
		l.seen(r.Properties)
		if !l.faithful {
			l.notes = append(l.notes, "evidence: "+string(r.Evidence))
			if r.Key != "" {
				l.notes = append(l.notes, "key: "+r.Key)
			}
		}
		l.props(r.Properties)
		if err := f.enc.Encode(l.done()); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	return nil
}
