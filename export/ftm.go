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
	if p, ok := e.Properties["ftm_schema"]; ok && p.Type == graph.TypeString {
		if s, ok := ftmModel.Schemata[p.S]; ok && !s.Abstract && slices.Contains(s.Is, "Thing") && ftmIs(p.S, kindSchema(e, subjects)) {
			return p.S
		}
	}
	return kindSchema(e, subjects)
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
	return (r.Type == graph.RelSubjectOf || r.Type == graph.RelConducted) &&
		slices.Contains(r.ToKinds, graph.KindEvent) && legalEntity(r.FromKinds)
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
}

// ftmWriter writes FtM entities, one JSON object a line, as Aleph and
// OpenSanctions' entities.ftm.json hold them.
type ftmWriter struct {
	w   *bufio.Writer
	src graph.Exporter
	q   graph.ExportQuery
	enc *json.Encoder
}

func (f *ftmWriter) begin() error {
	f.enc = json.NewEncoder(f.w)
	f.enc.SetEscapeHTML(false)
	return nil
}

func (f *ftmWriter) middle() error { return nil }
func (f *ftmWriter) end() error    { return nil }

// line builds entities of one schema, dropping what the schema cannot
// hold into notes (things) or summary (intervals).
type line struct {
	e     ftmEntity
	notes []string
}

func newLine(id, schema string) *line {
	return &line{e: ftmEntity{ID: id, Schema: schema, Properties: map[string][]string{}, Datasets: []string{"scamgraph"}}}
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
	for _, v := range values {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		if v, ok = ftmValue(p.Type, v); !ok {
			return false
		}
		if !slices.Contains(l.e.Properties[prop], v) {
			l.e.Properties[prop] = append(l.e.Properties[prop], v)
		}
	}
	return true
}

// ref adds a reference to an exported entity of schema target, when prop
// takes it.
func (l *line) ref(prop, id, target string) bool {
	p, ok := ftmModel.Schemata[l.e.Schema].Properties[prop]
	if !ok || p.Type != "entity" || !ftmIs(target, p.Range) {
		return false
	}
	return l.add(prop, FtMEntityID(id))
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

// ftmProps maps our property keys to FtM properties (docs/export.md);
// a key without a mapping, or one the schema lacks, goes to notes.
var ftmProps = map[string]string{
	"description": "description", "nationality": "nationality", "born": "birthDate",
	"birth_country": "birthCountry", "gender": "gender", "position": "position",
	"jurisdiction": "jurisdiction", "registration": "registrationNumber", "country": "country",
	"publisher": "publisher", "published": "publishedAt", "url": "sourceUrl", "source_url": "sourceUrl",
	"title": "title", "language": "language", "date": "date", "program": "program", "status": "status",
	"role": "role", "relationship": "relationship", "percentage": "percentage", "summary": "summary",
}

// ftmSkip are our keys an FtM line does not carry: the importer's
// bookkeeping and what the schema itself says.
var ftmSkip = map[string]bool{"ftm_schema": true, "ftm_id": true, "event_type": true}

func (l *line) props(props map[string]graph.Value) {
	for _, k := range slices.Sorted(maps.Keys(props)) {
		v := props[k]
		if ftmSkip[k] {
			continue
		}
		if p, ok := ftmProps[k]; ok {
			var vals []string
			if v.Type == graph.TypeStrings {
				vals = v.L
			} else {
				vals = []string{ValueText(v)}
			}
			if l.add(p, vals...) {
				continue
			}
		}
		l.note(k, v)
	}
}

// sources adds proof references to the exported sources among ids and
// the datasets of the dataset sources.
func (l *line) sources(ids []string, exported map[string]bool) {
	for _, s := range ids {
		if d, ok := strings.CutPrefix(s, DatasetSourcePrefix); ok {
			l.e.Datasets = append(l.e.Datasets, d)
			continue
		}
		if exported[s] {
			l.ref("proof", s, "Article")
		}
	}
}

func (f *ftmWriter) exported(ctx context.Context, ids []string) (map[string]bool, error) {
	var want []string
	for _, s := range ids {
		if !strings.HasPrefix(s, DatasetSourcePrefix) {
			want = append(want, s)
		}
	}
	return f.src.Exported(ctx, f.q, want)
}

func (f *ftmWriter) entities(ctx context.Context, page []graph.ExportEntity) error {
	var srcs []string
	for _, e := range page {
		srcs = append(srcs, e.Sources...)
	}
	exported, err := f.exported(ctx, srcs)
	if err != nil {
		return err
	}
	for _, ee := range page {
		e := ee.Entity
		if strings.HasPrefix(e.ID, DatasetSourcePrefix) && e.HasKind(graph.KindSource) {
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
		l := newLine(FtMEntityID(e.ID), ftmSchemaOf(e, subjects))
		name := e.Name
		if name == "" {
			name = e.ID
		}
		l.add("name", name)
		l.e.Caption = name
		l.add("alias", e.Aliases...)
		l.sources(e.Sources, exported)
		if e.HasKind(graph.KindOfficial) {
			l.add("topics", "role.pep")
		}
		l.add("keywords", kindStrings(e.Kinds)...)
		if t, ok := e.Properties["event_type"]; ok && t.Type == graph.TypeString {
			l.add("keywords", t.S)
		}
		for _, r := range folded {
			schema := kindSchema(graph.Entity{Kinds: r.FromKinds}, false)
			switch {
			case l.e.Schema == "Sanction" && r.Type == graph.RelSubjectOf:
				l.ref("entity", r.From, schema)
			case l.e.Schema == "Sanction":
				l.add("authority", r.FromName)
			case r.Type == graph.RelSubjectOf:
				l.ref("involved", r.From, schema)
			default:
				l.ref("organizer", r.From, schema)
			}
		}
		if d, ok := e.Properties["date"]; ok && l.e.Schema == "Sanction" {
			l.add("listingDate", d.S)
			l.add("startDate", d.S)
		}
		l.props(e.Properties)
		if err := f.enc.Encode(l.done()); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	return nil
}

// ftmEdges maps relationship types to FtM interval schemata: the schema,
// its source and target properties, and the FtM property our type's
// detail goes to. A relationship whose ends fall outside the schema's
// ranges is an UnknownLink (subject, object, role) instead.
var ftmEdges = map[graph.RelType]struct{ schema, source, target string }{
	graph.RelOwns:        {"Ownership", "owner", "asset"},
	graph.RelControls:    {"Control", "controller", "controlled"},
	graph.RelDirects:     {"Directorship", "director", "organization"},
	graph.RelHoldsOffice: {"Employment", "employee", "employer"},
	graph.RelFamilyOf:    {"Family", "person", "relative"},
	graph.RelAssociateOf: {"Associate", "person", "associate"},
	graph.RelPartOf:      {"Membership", "member", "organization"},
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

func (f *ftmWriter) relationships(ctx context.Context, page []graph.ExportRelationship) error {
	var srcs []string
	for _, r := range page {
		srcs = append(srcs, r.Sources...)
	}
	exported, err := f.exported(ctx, srcs)
	if err != nil {
		return err
	}
	for _, r := range page {
		if r.Type == graph.RelMentionedIn || foldedIntoEvent(r) {
			continue // MENTIONED_IN is the entity's proof; folded links are the event's
		}
		if strings.HasPrefix(r.To, DatasetSourcePrefix) || strings.HasPrefix(r.From, DatasetSourcePrefix) {
			continue
		}
		from := kindSchema(graph.Entity{Kinds: r.FromKinds}, false)
		to := kindSchema(graph.Entity{Kinds: r.ToKinds}, false)
		id := FtMRelationshipID(r.Relationship)
		var l *line
		if m, ok := ftmEdges[r.Type]; ok {
			l = newLine(id, m.schema)
			if !l.ref(m.source, r.From, from) || !l.ref(m.target, r.To, to) {
				l = nil
			}
		}
		if l == nil {
			l = newLine(id, "UnknownLink")
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
		l.sources(r.Sources, exported)
		l.notes = append(l.notes, "evidence: "+string(r.Evidence))
		if r.Key != "" {
			l.notes = append(l.notes, "key: "+r.Key)
		}
		l.props(r.Properties)
		if err := f.enc.Encode(l.done()); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	return nil
}
