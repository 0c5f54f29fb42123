package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scamgraph/scamgraph/graph"
)

// FollowTheMoney (FtM) import: one FtM entity per line, as OpenSanctions'
// entities.ftm.json and Aleph's exports write it. The mapping onto our
// model is docs/import-ftm.md; keep the two in step.

// ftmEntity is the JSON shape of one FtM line. Other top-level fields
// (OpenSanctions' target, last_change ...) are allowed and ignored.
type ftmEntity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
	Caption    string              `json:"caption"`
	Datasets   []string            `json:"datasets"`
	Referents  []string            `json:"referents"`
	FirstSeen  string              `json:"first_seen"`
	LastSeen   string              `json:"last_seen"`
}

// FTMIDPrefix namespaces FtM ids: FtM id X is our entity ftm:X, so a newer
// dump updates the same nodes.
const FTMIDPrefix = "ftm:"

// ftmThing maps a thing schema to our kinds.
type ftmThing struct {
	kinds []graph.Kind
	props func(e *ftmEntity, p *ftmProps, out map[string]any) error
}

// ftmInterval maps an interval schema to a relationship: the FtM
// properties naming its two ends, the relationship types to try in order
// (the first whose endpoint kinds fit the ends; see refIndex.pickType) and
// the role it is given when the record names none.
type ftmInterval struct {
	from, to string
	types    []graph.RelType
	role     string
}

var (
	kPerson  = []graph.Kind{graph.KindPerson}
	kCompany = []graph.Kind{graph.KindCompany}
	kOrg     = []graph.Kind{graph.KindOrganization}
)

var ftmThings = map[string]ftmThing{
	"Person":       {kPerson, ftmPersonProps},
	"Company":      {kCompany, ftmCompanyProps},
	"LegalEntity":  {kCompany, ftmCompanyProps},
	"Organization": {kCompany, ftmCompanyProps}, // organization when its topics say gov.* (ftmKinds)
	"PublicBody":   {kOrg, ftmOrgProps},
	"Position":     {kOrg, ftmOrgProps},
	"Address":      {[]graph.Kind{graph.KindLocation}, ftmAddressProps},
	"Event":        {[]graph.Kind{graph.KindEvent}, ftmEventProps},
	"CourtCase":    {[]graph.Kind{graph.KindEvent}, ftmCourtCaseProps},
	"Document":     {[]graph.Kind{graph.KindSource}, ftmDocumentProps},
	"Article":      {[]graph.Kind{graph.KindSource}, ftmDocumentProps},
}

var ftmIntervals = map[string]ftmInterval{
	"Ownership":      {"owner", "asset", []graph.RelType{graph.RelOwns, graph.RelLinkedTo}, "owner"},
	"Directorship":   {"director", "organization", []graph.RelType{graph.RelDirects, graph.RelControls, graph.RelLinkedTo}, "director"},
	"Membership":     {"member", "organization", []graph.RelType{graph.RelLinkedTo}, "member"},
	"Employment":     {"employee", "employer", []graph.RelType{graph.RelLinkedTo}, "employee"},
	"Family":         {"person", "relative", []graph.RelType{graph.RelFamilyOf, graph.RelLinkedTo}, "relative"},
	"Associate":      {"person", "associate", []graph.RelType{graph.RelAssociateOf, graph.RelLinkedTo}, "associate"},
	"UnknownLink":    {"subject", "object", []graph.RelType{graph.RelLinkedTo}, "linked"},
	"Representation": {"agent", "client", []graph.RelType{graph.RelLinkedTo}, "agent"},
	"Occupancy":      {"holder", "post", []graph.RelType{graph.RelHoldsOffice, graph.RelLinkedTo}, "holder"},
}

// FTMSchemata lists the schemata the importer maps (for docs and tests).
func FTMSchemata() []string {
	var out []string
	for s := range ftmThings {
		out = append(out, s)
	}
	for s := range ftmIntervals {
		out = append(out, s)
	}
	out = append(out, "Sanction")
	sort.Strings(out)
	return out
}

// ftmProps is an FtM entity's properties with what the mapping consumed,
// so that the rest can be kept as ftm_* properties: nothing is dropped.
type ftmProps struct {
	p    map[string][]string
	used map[string]bool
}

func (p *ftmProps) all(names ...string) []string {
	var out []string
	for _, n := range names {
		p.used[n] = true
		for _, v := range p.p[n] {
			if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

func (p *ftmProps) first(names ...string) string {
	if l := p.all(names...); len(l) > 0 {
		return l[0]
	}
	return ""
}

// date is the first date among names, as YYYY-MM-DD, YYYY-MM or YYYY;
// values that are no date are left unconsumed (kept as ftm_*).
func (p *ftmProps) date(names ...string) string {
	for _, n := range names {
		for _, v := range p.p[n] {
			if d, ok := ftmDate(v); ok {
				p.used[n] = true
				return d
			}
		}
	}
	return ""
}

// country is the first ISO 3166-1 alpha-2 code among names (FtM writes
// them in lower case); the others stay in ftm_* properties.
func (p *ftmProps) country(names ...string) string {
	for _, n := range names {
		for _, v := range p.p[n] {
			if c := strings.ToUpper(strings.TrimSpace(v)); ccRe.MatchString(c) {
				return c
			}
		}
	}
	return ""
}

var (
	ccRe      = regexp.MustCompile(`^[A-Z]{2}$`)
	ftmDateRe = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?`)
)

// ftmDate cuts an FtM date (2025-10-14, 2025-10, 2025 or a timestamp) to
// one ParseDate accepts.
func ftmDate(s string) (string, bool) {
	m := ftmDateRe.FindString(strings.TrimSpace(s))
	if m == "" {
		return "", false
	}
	if _, err := graph.ParseDate(m); err != nil {
		return "", false
	}
	return m, true
}

func precision(d string) string {
	switch len(d) {
	case 4:
		return "year"
	case 7:
		return "month"
	}
	return ""
}

// ftmDatasetSource is the source id of an FtM dataset.
func ftmDatasetSource(ds string) string { return "source:ftm:" + ds }

// ftmPublishers names the publishers of well-known OpenSanctions datasets,
// by prefix; any other dataset's publisher is "FtM dataset <name>".
var ftmPublishers = []struct{ prefix, publisher, sourceType string }{
	{"us_ofac", "US Department of the Treasury, Office of Foreign Assets Control (OFAC)", "sanction"},
	{"us_trade_csl", "US Department of Commerce, Consolidated Screening List", "sanction"},
	{"gb_hmt", "UK HM Treasury, Office of Financial Sanctions Implementation (OFSI)", "sanction"},
	{"gb_fcdo", "UK Foreign, Commonwealth & Development Office (FCDO)", "sanction"},
	{"eu_fsf", "European Union, Financial Sanctions Files", "sanction"},
	{"un_sc", "United Nations Security Council", "sanction"},
	{"ch_seco", "Swiss State Secretariat for Economic Affairs (SECO)", "sanction"},
	{"au_dfat", "Australian Department of Foreign Affairs and Trade", "sanction"},
	{"ca_dfatd", "Global Affairs Canada", "sanction"},
	{"jp_mof", "Japan Ministry of Finance", "sanction"},
	{"icij_offshoreleaks", "International Consortium of Investigative Journalists (ICIJ)", "other"},
	{"opensanctions", "OpenSanctions", "other"},
}

func ftmSourceEntity(ds string) graph.Entity {
	pub, typ, url := "FtM dataset "+ds, "other", ""
	for _, k := range ftmPublishers {
		if strings.HasPrefix(ds, k.prefix) {
			pub, typ = k.publisher, k.sourceType
			url = "https://www.opensanctions.org/datasets/" + ds + "/"
			break
		}
	}
	props := map[string]graph.Value{
		"publisher":   graph.StringValue(pub),
		"source_type": graph.StringValue(typ),
		"title":       graph.StringValue("FtM dataset " + ds),
		"ftm_dataset": graph.StringValue(ds),
	}
	if url != "" {
		props["url"] = graph.StringValue(url)
	}
	return graph.Entity{ID: ftmDatasetSource(ds), Kinds: []graph.Kind{graph.KindSource}, Name: "FtM dataset " + ds, Properties: props}
}

// ftmDefaultDataset is the dataset of lines that name none (Aleph
// exports): the file's name without its extensions.
func ftmDefaultDataset(path string) string {
	base := filepath.Base(path)
	for {
		ext := filepath.Ext(base)
		if ext == "" || ext == base {
			break
		}
		base = strings.TrimSuffix(base, ext)
	}
	if s := strings.ReplaceAll(slug(base), "-", "_"); s != "" {
		return s
	}
	return "default"
}

var datasetRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$`)

// parseFTMLine decodes one FtM line (not yet mapped).
func parseFTMLine(line []byte) (*ftmEntity, error) {
	line = bytes.TrimRight(line, "\r\n")
	if bytes.Contains(line, bom) {
		return nil, errors.New("unexpected byte-order mark (U+FEFF) inside the file; were two files concatenated?")
	}
	if !utf8.Valid(line) {
		return nil, errors.New("line is not valid UTF-8")
	}
	trimmed := bytes.TrimSpace(line)
	if len(trimmed) == 0 {
		return nil, errors.New("empty line (one FtM entity per line; no blank lines)")
	}
	if trimmed[0] != '{' {
		return nil, errors.New("line is not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	var e ftmEntity
	if err := dec.Decode(&e); err != nil {
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON object")
	}
	e.ID = strings.TrimSpace(e.ID)
	if e.ID == "" {
		return nil, errors.New("id: is required (an FtM entity id)")
	}
	if e.Schema == "" {
		return nil, errors.New("schema: is required (an FtM schema such as Person or Ownership)")
	}
	for _, ds := range e.Datasets {
		if !datasetRe.MatchString(ds) {
			return nil, fmt.Errorf("datasets: %q is not a dataset name (letters, digits, . _ -)", ds)
		}
	}
	return &e, nil
}

// ftmLine is one parsed FtM line mapped onto our model: its records and
// what it adds to the synthetic entities (sources, authorities).
type ftmLine struct {
	recs  []Record
	synth []graph.Entity
	date  string // the line's first_seen (or last_seen) date, for its sources
	last  string // the line's last_seen date
}

// ParseFTMLine maps one FtM line onto records, resolving relationship ends
// against x (nil: none known). It never panics; every failure is an error
// whose text names the FtM field. file is the path, for the default
// dataset of lines that name none.
func ParseFTMLine(line []byte, file string, x *refIndex) ([]Record, error) {
	l, err := mapFTMLine(line, file, x)
	if err != nil {
		return nil, err
	}
	return l.recs, nil
}

func mapFTMLine(line []byte, file string, x *refIndex) (ftmLine, error) {
	e, err := parseFTMLine(line)
	if err != nil {
		return ftmLine{}, err
	}
	if x == nil {
		x = newRefIndex(graph.Date{})
	}
	datasets := e.Datasets
	if len(datasets) == 0 {
		datasets = []string{ftmDefaultDataset(file)}
	}
	var out ftmLine
	sources := make([]string, 0, len(datasets))
	for _, ds := range datasets {
		sources = append(sources, ftmDatasetSource(ds))
		out.synth = append(out.synth, ftmSourceEntity(ds))
	}
	out.date, _ = ftmDate(e.FirstSeen)
	out.last, _ = ftmDate(e.LastSeen)
	if out.date == "" {
		out.date = out.last
	}
	p := &ftmProps{p: e.Properties, used: map[string]bool{}}
	if p.p == nil {
		p.p = map[string][]string{}
	}
	id := FTMIDPrefix + e.ID
	common := func(props map[string]any) {
		props["ftm_schema"] = e.Schema
		if len(e.Referents) > 0 {
			refs := make([]string, 0, len(e.Referents))
			for _, r := range e.Referents {
				refs = append(refs, FTMIDPrefix+r)
			}
			props["ftm_referents"] = refs
		}
		if d, ok := ftmDate(e.FirstSeen); ok {
			props["first_seen"] = d
		}
		if d, ok := ftmDate(e.LastSeen); ok {
			props["last_seen"] = d
		}
		if u := p.all("sourceUrl"); len(u) > 0 {
			props["source_url"] = u
		}
		if pub := p.all("publisher"); len(pub) > 0 {
			props["publisher"] = strings.Join(pub, "; ")
		}
	}
	switch {
	case e.Schema == "Sanction":
		err = ftmSanction(e, id, p, sources, common, &out)
	case ftmIntervals[e.Schema].from != "":
		err = ftmRelationship(e, id, p, sources, common, x, &out)
	case ftmThings[e.Schema].kinds != nil:
		err = ftmEntityRecords(e, id, p, sources, common, &out)
	default:
		return ftmLine{}, fmt.Errorf("schema: %q is not mapped (mapped: %s); see docs/import-ftm.md", e.Schema, strings.Join(FTMSchemata(), ", "))
	}
	if err != nil {
		return ftmLine{}, err
	}
	return out, nil
}

// ftmKinds is the kinds a thing schema gives: an Organization whose
// topics are gov.* (a state-owned enterprise, gov.soe, aside) is an
// organization, any other a company.
func ftmKinds(e *ftmEntity) []graph.Kind {
	if e.Schema == "Organization" {
		for _, t := range e.Properties["topics"] {
			if strings.HasPrefix(t, "gov") && t != "gov.soe" {
				return kOrg
			}
		}
	}
	return ftmThings[e.Schema].kinds
}

func ftmEntityRecords(e *ftmEntity, id string, p *ftmProps, sources []string, common func(map[string]any), out *ftmLine) error {
	th := ftmThings[e.Schema]
	kinds := ftmKinds(e)
	props := map[string]any{}
	names := p.all("name")
	if e.Schema == "Address" {
		names = append(p.all("full"), names...)
	}
	if e.Schema == "Document" || e.Schema == "Article" {
		names = append(p.all("title"), names...)
	}
	name := strings.TrimSpace(e.Caption)
	if name == "" && len(names) > 0 {
		name = names[0]
	}
	if name == "" {
		name = e.ID
	}
	aliases := slices.DeleteFunc(append(names, p.all("alias", "previousName", "weakAlias")...), func(s string) bool { return s == name })
	if len(aliases) > graph.MaxListLen {
		props["ftm_names_dropped"] = float64(len(aliases) - graph.MaxListLen)
		aliases = aliases[:graph.MaxListLen]
	}
	if slices.Equal(kinds, kOrg) && e.Schema == "Organization" {
		props["org_type"] = "government"
		th.props = nil
	}
	if th.props != nil {
		if err := th.props(e, p, props); err != nil {
			return err
		}
	} else if err := ftmOrgProps(e, p, props); err != nil {
		return err
	}
	if d := p.first("description", "summary", "notes"); d != "" {
		props["description"] = d
	}
	common(props)
	var rels []graph.Relationship
	srcs := slices.Clone(sources)
	if slices.Contains(kinds, graph.KindSource) {
		srcs = nil // a source cites none
	} else {
		// proof: the Documents that prove this entity are its sources too.
		for _, d := range p.all("proof") {
			srcs = append(srcs, FTMIDPrefix+d)
		}
		// addressEntity: where it is, when our model says it can be
		// somewhere (LOCATED_IN); else kept as ftm_address_entity.
		if graph.EndpointsFit(graph.EndpointsOf(graph.RelLocatedIn).From, kinds) {
			for _, a := range p.all("addressEntity") {
				rels = append(rels, graph.Relationship{Type: graph.RelLocatedIn, From: id, To: FTMIDPrefix + a,
					Evidence: graph.EvidenceRecord, Sources: sources,
					Properties: map[string]graph.Value{"ftm_schema": graph.StringValue(e.Schema), "ftm_property": graph.StringValue("addressEntity")}})
			}
		}
	}
	if err := ftmExtras(p, props); err != nil {
		return err
	}
	ent, err := buildEntity(id, kindNames(kinds), name, aliases, srcs, props)
	if err != nil {
		return err
	}
	out.recs = append(out.recs, Record{Entity: &ent})
	for _, r := range rels {
		rec, err := relRecord(r)
		if err != nil {
			return fmt.Errorf("addressEntity: %w", err)
		}
		out.recs = append(out.recs, rec)
	}
	return nil
}

func kindNames(k []graph.Kind) []string {
	out := make([]string, len(k))
	for i, x := range k {
		out[i] = string(x)
	}
	return out
}

func ftmPersonProps(_ *ftmEntity, p *ftmProps, props map[string]any) error {
	if d := p.date("birthDate"); d != "" {
		props["born"] = d
	}
	if c := p.country("nationality", "citizenship"); c != "" {
		props["nationality"] = c
	}
	if g := p.first("gender"); g != "" {
		props["gender"] = g
	}
	if pos := p.all("position"); len(pos) > 0 {
		props["position"] = strings.Join(pos, "; ")
	}
	return nil
}

func ftmCompanyProps(_ *ftmEntity, p *ftmProps, props map[string]any) error {
	if c := p.country("jurisdiction", "country", "mainCountry"); c != "" {
		props["jurisdiction"] = c
	}
	if r := p.first("registrationNumber"); r != "" {
		props["registration"] = r
	}
	return nil
}

func ftmOrgProps(_ *ftmEntity, p *ftmProps, props map[string]any) error {
	if _, ok := props["org_type"]; !ok {
		props["org_type"] = "government"
	}
	if c := p.country("country", "jurisdiction", "mainCountry"); c != "" {
		props["country_code"] = c
	}
	return nil
}

func ftmAddressProps(_ *ftmEntity, p *ftmProps, props map[string]any) error {
	props["location_type"] = "address"
	if c := p.country("country"); c != "" {
		props["country_code"] = c
	}
	return nil
}

// ftmEventTypes finds an event type in an FtM Event's name or summary:
// FtM events have no type of their own.
var ftmEventTypes = []struct {
	word string
	t    graph.EventType
}{
	{"raid", graph.EventRaid}, {"arrest", graph.EventArrest}, {"indict", graph.EventIndictment},
	{"convict", graph.EventConviction}, {"sentenc", graph.EventConviction}, {"verdict", graph.EventConviction},
	{"charg", graph.EventCharge}, {"sanction", graph.EventSanction}, {"designat", graph.EventSanction},
	{"extradit", graph.EventExtradition}, {"deport", graph.EventDeportation}, {"rescu", graph.EventRescue},
	{"repatriat", graph.EventRepatriation}, {"releas", graph.EventRelease}, {"freed", graph.EventRelease},
	{"protest", graph.EventProtest}, {"crackdown", graph.EventCrackdown}, {"closure", graph.EventClosure},
	{"closed", graph.EventClosure}, {"shut", graph.EventClosure},
}

func ftmEventProps(e *ftmEntity, p *ftmProps, props map[string]any) error {
	text := strings.ToLower(strings.Join(append(append([]string{e.Caption}, e.Properties["name"]...), e.Properties["summary"]...), " "))
	for _, w := range ftmEventTypes {
		if strings.Contains(text, w.word) {
			props["event_type"] = string(w.t)
			break
		}
	}
	if props["event_type"] == nil {
		return fmt.Errorf("schema: Event %q: no event type (raid, arrest, charge ...) in its name or summary; FtM events have no type, so the name must say it", e.ID)
	}
	return ftmEventDate(e, p, props, []string{"date", "startDate"}, "endDate")
}

func ftmCourtCaseProps(e *ftmEntity, p *ftmProps, props map[string]any) error {
	props["event_type"] = string(graph.EventCharge)
	if n := p.first("caseNumber"); n != "" {
		props["case_number"] = n
	}
	if c := p.first("court"); c != "" {
		props["court"] = c
	}
	return ftmEventDate(e, p, props, []string{"fileDate"}, "closeDate")
}

func ftmEventDate(e *ftmEntity, p *ftmProps, props map[string]any, start []string, end string) error {
	d := p.date(start...)
	if d == "" {
		return fmt.Errorf("properties.%s: %s %q has no date; our events need one", start[0], e.Schema, e.ID)
	}
	props["date"] = d
	if pr := precision(d); pr != "" {
		props["date_precision"] = pr
	}
	if ed := p.date(end); ed != "" {
		props["end_date"] = ed
	}
	return nil
}

func ftmDocumentProps(e *ftmEntity, p *ftmProps, props map[string]any) error {
	props["source_type"] = "other"
	if e.Schema == "Article" {
		props["source_type"] = "news"
	}
	pub := p.first("publisher", "author")
	if pub == "" {
		pub = "unknown (FtM " + e.Schema + ")"
	}
	props["publisher"] = pub
	d := p.date("publishedAt", "date", "authoredAt")
	if d == "" {
		d, _ = ftmDate(e.FirstSeen)
	}
	if d == "" {
		return fmt.Errorf("properties.publishedAt: %s %q has no publication date (publishedAt, date, authoredAt or first_seen); our sources need one", e.Schema, e.ID)
	}
	props["published"] = d
	if t := p.first("title"); t != "" {
		props["title"] = t
	}
	for _, u := range p.p["sourceUrl"] {
		if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
			props["url"] = u
			break
		}
	}
	if l := p.first("language"); l != "" {
		props["language"] = l
	}
	return nil
}

// ftmExtras keeps every property the mapping did not consume as
// ftm_<snake_case> string lists: nothing of the record is dropped.
func ftmExtras(p *ftmProps, props map[string]any) error {
	keys := make([]string, 0, len(p.p))
	for k := range p.p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if p.used[k] {
			continue
		}
		var vals []string
		for _, v := range p.p[k] {
			if v = strings.TrimSpace(v); v != "" {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			continue
		}
		key := "ftm_" + snake(k)
		if len(key) > 64 {
			key = key[:64]
		}
		if prev, ok := props[key].([]string); ok {
			vals = append(prev, vals...)
		}
		if len(vals) > graph.MaxListLen {
			return fmt.Errorf("properties.%s: has %d values, more than %d", k, len(vals), graph.MaxListLen)
		}
		props[key] = vals
	}
	return nil
}

// snake turns an FtM property name (camelCase) into lower_snake_case.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case unicode.IsUpper(r) && r < 128:
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
		case (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9'):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// ftmRelProps are the properties every relationship from an FtM interval
// carries: its schema and id, its dates and provenance, its role.
func ftmRelProps(e *ftmEntity, p *ftmProps, common func(map[string]any), role string) map[string]any {
	props := map[string]any{"ftm_id": e.ID}
	common(props)
	if r := p.all("role"); len(r) > 0 {
		role = strings.Join(r, "; ")
	}
	props["role"] = role
	if d := p.first("description", "summary"); d != "" {
		props["description"] = d
	}
	return props
}

func ftmRelationship(e *ftmEntity, id string, p *ftmProps, sources []string, common func(map[string]any), x *refIndex, out *ftmLine) error {
	iv := ftmIntervals[e.Schema]
	from, to := p.first(iv.from), p.first(iv.to)
	if from == "" || to == "" {
		return fmt.Errorf("properties.%s: %s %q needs both %s and %s", pick(from == "", iv.from, iv.to), e.Schema, e.ID, iv.from, iv.to)
	}
	if n := len(p.p[iv.from]) * len(p.p[iv.to]); n > 1 {
		return fmt.Errorf("properties.%s: %s %q names several %s or %s; one of each is mapped", iv.from, e.Schema, e.ID, iv.from, iv.to)
	}
	from, to = FTMIDPrefix+from, FTMIDPrefix+to
	t := x.pickType(iv.types, from, to)
	since := p.date("startDate", "date")
	until := p.date("endDate")
	props := ftmRelProps(e, p, common, iv.role)
	if e.Schema == "Family" {
		if r := p.first("relationship"); r != "" {
			props["relation"] = r
		}
	}
	if e.Schema == "Associate" {
		if r := p.first("relationship"); r != "" {
			props["role"] = r
		}
	}
	if err := ftmExtras(p, props); err != nil {
		return err
	}
	r, err := buildRelationship(string(t), from, to, e.ID, string(graph.EvidenceRecord), strPtr(since), strPtr(until), sources, props)
	if err != nil {
		return err
	}
	out.recs = append(out.recs, Record{Relationship: &r})
	return nil
}

func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ftmAuthorityID is the id of the organisation a sanction names as its
// authority.
func ftmAuthorityID(name string) string { return FTMIDPrefix + "authority:" + slug(name) }

// ftmSanction maps a Sanction: a sanction event (ftm:<id>), the sanctioned
// entity SUBJECT_OF it (grade designation) and the authority, an
// organisation of its own, CONDUCTED it.
func ftmSanction(e *ftmEntity, id string, p *ftmProps, sources []string, common func(map[string]any), out *ftmLine) error {
	subject := p.first("entity")
	if subject == "" {
		return fmt.Errorf("properties.entity: Sanction %q names no sanctioned entity", e.ID)
	}
	if len(p.p["entity"]) > 1 {
		return fmt.Errorf("properties.entity: Sanction %q names several entities; one is mapped", e.ID)
	}
	subject = FTMIDPrefix + subject
	authority := p.first("authority")
	program := p.first("program")
	date := p.date("listingDate", "startDate", "date")
	if date == "" {
		date = out.date
		if date == "" {
			return fmt.Errorf("properties.listingDate: Sanction %q has no listingDate, startDate, date or first_seen", e.ID)
		}
	}
	end := p.date("endDate")
	name := strings.TrimSpace(e.Caption)
	switch {
	case program != "" && authority != "":
		name = fmt.Sprintf("Sanction: %s (%s, %s)", program, authority, date)
	case authority != "":
		name = fmt.Sprintf("Sanction by %s (%s)", authority, date)
	case name == "":
		name = "Sanction " + e.ID
	}
	props := map[string]any{"event_type": string(graph.EventSanction), "date": date}
	if pr := precision(date); pr != "" {
		props["date_precision"] = pr
	}
	if end != "" {
		props["end_date"] = end
	}
	if program != "" {
		props["program"] = program
	}
	if authority != "" {
		props["authority"] = authority
	}
	for _, k := range []struct{ ftm, ours string }{{"reason", "reason"}, {"provisions", "provisions"}, {"status", "sanction_status"}, {"programId", "program_id"}, {"authorityId", "authority_id"}, {"unscId", "unsc_id"}} {
		if v := p.first(k.ftm); v != "" {
			props[k.ours] = v
		}
	}
	if d := p.first("summary", "description"); d != "" {
		props["description"] = d
	}
	common(props)
	p.used["listingDate"], p.used["startDate"], p.used["date"], p.used["endDate"] = true, true, true, true
	country := p.country("country")
	p.used["country"] = true
	if err := ftmExtras(p, props); err != nil {
		return err
	}
	ev, err := buildEntity(id, []string{string(graph.KindEvent)}, name, nil, sources, props)
	if err != nil {
		return err
	}
	out.recs = append(out.recs, Record{Entity: &ev})
	subj, err := buildRelationship(string(graph.RelSubjectOf), subject, id, "", string(graph.EvidenceDesignation), strPtr(date), strPtr(end), sources,
		map[string]any{"ftm_schema": "Sanction", "ftm_id": e.ID})
	if err != nil {
		return fmt.Errorf("properties.entity: %w", err)
	}
	out.recs = append(out.recs, Record{Relationship: &subj})
	if authority != "" {
		aid := ftmAuthorityID(authority)
		if aid == ftmAuthorityID("") {
			return fmt.Errorf("properties.authority: %q has no letters or digits to make an id of", authority)
		}
		orgProps := map[string]graph.Value{"org_type": graph.StringValue("government"), "ftm_schema": graph.StringValue("Sanction.authority")}
		if country != "" {
			orgProps["country_code"] = graph.StringValue(country)
		}
		out.synth = append(out.synth, graph.Entity{ID: aid, Kinds: kOrg, Name: authority, Sources: sources, Properties: orgProps})
		cond, err := buildRelationship(string(graph.RelConducted), aid, id, "", string(graph.EvidenceDesignation), nil, nil, sources,
			map[string]any{"ftm_schema": "Sanction", "ftm_id": e.ID})
		if err != nil {
			return fmt.Errorf("properties.authority: %w", err)
		}
		out.recs = append(out.recs, Record{Relationship: &cond})
	}
	return nil
}

// scanFTM streams an FtM file: in the index pass (index true) it only
// teaches x the things' kinds, the synthetic entities and the file's
// length; otherwise it hands fn the synthetic entities this file emits
// (refIndex.emitSynth), then each line's records.
func scanFTM(r io.Reader, maxLine int, file string, x *refIndex, index bool, fn visit) error {
	if !index {
		fn = x.namespaced(fn)
		if err := x.emitSynth(file, fn); err != nil {
			return err
		}
	}
	last, err := scanLines(r, maxLine, func(b []byte) ([]Record, error) {
		l, err := mapFTMLine(b, file, x)
		if err != nil || !index {
			return l.recs, err
		}
		for _, rec := range l.recs {
			if e := rec.Entity; e != nil {
				x.addKinds(e.ID, e.Kinds)
			}
		}
		for _, s := range l.synth {
			x.noteSynth(file, s, l.date, l.last)
			x.addKinds(s.ID, s.Kinds)
		}
		return nil, nil
	}, fn)
	if index {
		x.ends[file] = last
	}
	return err
}
