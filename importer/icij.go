package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/scamgraph/scamgraph/graph"
)

// ICIJ Offshore Leaks import: the bulk CSV layout of
// https://offshoreleaks.icij.org/pages/database (nodes-entities.csv,
// nodes-officers.csv, nodes-intermediaries.csv, nodes-addresses.csv,
// nodes-others.csv, relationships.csv), with the current node_id headers
// or the older _id/_labels/_start/_end/_type ones. docs/import-icij.md is
// the mapping; keep the two in step.

// ICIJIDPrefix namespaces ICIJ node ids: node 12000001 is icij:12000001.
const ICIJIDPrefix = "icij:"

// icijRole is what a file (or, in the _labels layout, a row) holds.
type icijRole string

const (
	icijEntity       icijRole = "entity"
	icijOfficer      icijRole = "officer"
	icijIntermediary icijRole = "intermediary"
	icijAddress      icijRole = "address"
	icijOther        icijRole = "other"
	icijRelationship icijRole = "relationship"
)

// icijRoleOf tells a file's role by its name (nodes-officers.csv,
// panama_papers.nodes.officer.csv, relationships.csv, *.edges.csv); ""
// when the name does not say (the rows' _labels must).
func icijRoleOf(file string) icijRole {
	base := strings.ToLower(filepath.Base(file))
	for _, c := range []struct {
		word string
		role icijRole
	}{{"relationship", icijRelationship}, {"edges", icijRelationship}, {"officer", icijOfficer},
		{"intermediar", icijIntermediary}, {"address", icijAddress}, {"entit", icijEntity}, {"other", icijOther}} {
		if strings.Contains(base, c.word) {
			return c.role
		}
	}
	return ""
}

// sortICIJ orders a directory's files: nodes first, then relationships,
// each in lexical order (the import reads them as one unit either way).
func sortICIJ(files []inputFile) {
	slices.SortFunc(files, func(a, b inputFile) int {
		ra, rb := icijRoleOf(a.path) == icijRelationship, icijRoleOf(b.path) == icijRelationship
		if ra != rb {
			if ra {
				return 1
			}
			return -1
		}
		return strings.Compare(a.path, b.path)
	})
}

// icijLeaks are the publication dates of the leaks, by sourceID prefix.
var icijLeaks = []struct{ prefix, published string }{
	{"offshore leaks", "2013-04-04"},
	{"panama papers", "2016-04-03"},
	{"bahamas leaks", "2016-09-21"},
	{"paradise papers", "2017-11-05"},
	{"pandora papers", "2021-10-03"},
}

const icijPublisher = "International Consortium of Investigative Journalists (ICIJ)"

// icijSource is the source of a sourceID and its publication date ("" when
// the leak is not known: Options.SourceDate stands in).
func icijSource(sourceID string) (graph.Entity, string) {
	name := strings.TrimSpace(sourceID)
	if name == "" {
		name = "Offshore Leaks Database"
	}
	id := "source:icij:" + slug(foldLatin(name))
	date := ""
	for _, l := range icijLeaks {
		if strings.HasPrefix(strings.ToLower(name), l.prefix) {
			date = l.published
		}
	}
	return graph.Entity{ID: id, Kinds: []graph.Kind{graph.KindSource}, Name: "ICIJ Offshore Leaks: " + name, Properties: map[string]graph.Value{
		"publisher":      graph.StringValue(icijPublisher),
		"source_type":    graph.StringValue("other"),
		"title":          graph.StringValue(name),
		"url":            graph.StringValue("https://offshoreleaks.icij.org/"),
		"icij_source_id": graph.StringValue(name),
	}}, date
}

// latinFold writes the accented Latin letters of ICIJ's names (Alemán)
// as plain ones, for ids.
var latinFold = strings.NewReplacer("á", "a", "à", "a", "â", "a", "ä", "a", "ã", "a", "å", "a", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"í", "i", "ì", "i", "î", "i", "ï", "i", "ó", "o", "ò", "o", "ô", "o", "ö", "o", "õ", "o", "ú", "u", "ù", "u", "û", "u", "ü", "u",
	"ñ", "n", "ç", "c", "Á", "A", "É", "E", "Í", "I", "Ó", "O", "Ú", "U", "Ñ", "N", "Ç", "C")

func foldLatin(s string) string { return latinFold.Replace(s) }

// icijCompanyWords mark an officer's or intermediary's name as a company's
// (whole words, dots dropped: "S.A." is SA, "CO., LTD." is CO and LTD).
var icijCompanyWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`LIMITED LTD INC INCORPORATED CORP CORPORATION COMPANY CO LLC LLP LP
		SA SAS SARL SRL SPA GMBH AG NV BV PLC PTE PTY HOLDING HOLDINGS GROUP TRUST TRUSTEE TRUSTEES
		FOUNDATION STIFTUNG ANSTALT ESTABLISHMENT BANK NOMINEE NOMINEES SERVICES INVESTMENT INVESTMENTS
		ENTERPRISE ENTERPRISES PARTNERS CAPITAL MANAGEMENT CONSULTANTS CONSULTING BEARER SECRETARIES
		DIRECTORS AGENTS FUND SOCIEDAD SOCIETE SOCIETY ASSOCIATION INTERNATIONAL`) {
		icijCompanyWords[w] = true
	}
}

// ICIJLooksLikeCompany reports whether an ICIJ officer's name clearly marks
// a company: one of its words is a legal form or a corporate word
// (LIMITED, LTD, INC, S.A., GMBH, TRUST, HOLDINGS, BEARER ...). The rule and
// its limits are in docs/import-icij.md.
func ICIJLooksLikeCompany(name string) bool {
	up := strings.ToUpper(strings.ReplaceAll(name, ".", ""))
	for _, w := range strings.FieldsFunc(up, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') }) {
		if icijCompanyWords[w] {
			return true
		}
	}
	return false
}

// icijDate turns ICIJ's dates (12-MAR-2014, 2014-03-12, 12/03/2014 is left
// alone: day and month are ambiguous) into YYYY-MM-DD.
func icijDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"02-Jan-2006", "2-Jan-2006", "2006-01-02", "Jan 2, 2006", "02-Jan-06"} {
		if t, err := time.Parse(layout, titleMonth(s)); err == nil {
			d := t.Format("2006-01-02")
			if _, err := graph.ParseDate(d); err == nil {
				return d, true
			}
		}
	}
	return "", false
}

// titleMonth writes MAR as Mar, which time.Parse wants.
func titleMonth(s string) string {
	b := []byte(strings.ToLower(s))
	for i := range b {
		if b[i] >= 'a' && b[i] <= 'z' && (i == 0 || !(b[i-1] >= 'a' && b[i-1] <= 'z')) {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

// icijCols finds a file's columns by their names, current or older.
type icijCols struct {
	names []string
	at    map[string]int
}

func (c icijCols) get(row []string, names ...string) string {
	for _, n := range names {
		if i, ok := c.at[n]; ok && i < len(row) {
			if v := strings.TrimSpace(row[i]); v != "" {
				return v
			}
		}
	}
	return ""
}

// Column names: the current node_id layout first, then the older ones.
var (
	icijIDCols    = []string{"_id", "node_id", "n.node_id"} // _id first: in that layout _start/_end point at it
	icijStartCols = []string{"node_id_start", "_start", "start_id", ":start_id", "node_1"}
	icijEndCols   = []string{"node_id_end", "_end", "end_id", ":end_id", "node_2"}
	icijTypeCols  = []string{"rel_type", "_type", "type", ":type"}
)

// icijConsumed are the columns the mapping reads itself; any other column
// with a value becomes a property of its own.
var icijConsumed = map[string]bool{"_id": true, "node_id": true, "n.node_id": true, "_labels": true, "name": true,
	"original_name": true, "former_name": true, "sourceid": true, "node_id_start": true, "_start": true, "start_id": true,
	":start_id": true, "node_1": true, "node_id_end": true, "_end": true, "end_id": true, ":end_id": true, "node_2": true,
	"rel_type": true, "_type": true, ":type": true, "link": true, "start_date": true, "end_date": true,
	"country_codes": true, "countries": true}

// icijRow maps one row onto records (and the synthetic source it cites),
// resolving a relationship's type against the ends' kinds in x.
func icijRow(role icijRole, row []string, c icijCols, x *refIndex) ([]Record, graph.Entity, string, error) {
	for i, v := range row {
		if !utf8.ValidString(v) {
			return nil, graph.Entity{}, "", fmt.Errorf("column %s is not valid UTF-8", c.names[i])
		}
	}
	src, date := icijSource(c.get(row, "sourceid"))
	if role == "" || (role != icijRelationship && c.get(row, "_labels") != "") {
		if l := strings.ToLower(c.get(row, "_labels")); l != "" {
			role = icijRoleOf(l)
		} else if c.get(row, icijStartCols...) != "" {
			role = icijRelationship
		}
	}
	if role == icijRelationship || (role == "" && c.get(row, icijStartCols...) != "") {
		rec, err := icijRel(row, c, src.ID, x)
		if err != nil {
			return nil, src, date, err
		}
		return []Record{rec}, src, date, nil
	}
	if role == "" {
		return nil, src, date, errors.New("cannot tell what this row is: name the file nodes-entities.csv, nodes-officers.csv, nodes-intermediaries.csv, nodes-addresses.csv, nodes-others.csv or relationships.csv, or give a _labels column")
	}
	rec, err := icijNode(role, row, c, src.ID)
	if err != nil {
		return nil, src, date, err
	}
	return []Record{rec}, src, date, nil
}

func icijNode(role icijRole, row []string, c icijCols, source string) (Record, error) {
	raw := c.get(row, icijIDCols...)
	if raw == "" {
		return Record{}, errors.New("node_id: is required")
	}
	id := ICIJIDPrefix + raw
	name := c.get(row, "name")
	props := map[string]any{"icij_node_type": string(role)}
	if raw != c.get(row, "node_id") && c.get(row, "node_id") != "" {
		props["icij_node_id"] = c.get(row, "node_id")
	}
	var kinds []graph.Kind
	switch role {
	case icijEntity, icijOther:
		kinds = kCompany
	case icijOfficer, icijIntermediary:
		kinds = kPerson
		if ICIJLooksLikeCompany(name) {
			kinds = kCompany
		}
	case icijAddress:
		kinds = []graph.Kind{graph.KindLocation}
		props["location_type"] = "address"
		if a := c.get(row, "address"); a != "" {
			if name == "" {
				name = a
			}
		}
	default:
		return Record{}, fmt.Errorf("_labels: %q is not an ICIJ node type (Entity, Officer, Intermediary, Address, Other)", role)
	}
	if name == "" {
		name = "ICIJ node " + raw
	}
	var aliases []string
	for _, a := range []string{c.get(row, "original_name"), c.get(row, "former_name")} {
		if a != "" && a != name {
			aliases = append(aliases, a)
		}
	}
	if l := splitList(c.get(row, "country_codes")); len(l) > 0 {
		props["country_codes"] = l
	}
	if l := splitList(c.get(row, "countries")); len(l) > 0 {
		props["countries"] = l
	}
	for i, col := range c.names {
		if icijConsumed[col] || i >= len(row) || strings.TrimSpace(row[i]) == "" {
			continue
		}
		v := strings.TrimSpace(row[i])
		key := icijKey(col)
		if strings.HasSuffix(col, "_date") {
			if d, ok := icijDate(v); ok {
				v = d
			}
		}
		if col == "address" && role == icijAddress {
			if v == name {
				continue
			}
		}
		props[key] = v
	}
	e, err := buildEntity(id, kindNames(kinds), name, aliases, []string{source}, props)
	if err != nil {
		return Record{}, err
	}
	return Record{Entity: &e}, nil
}

// icijKey is a property key for an ICIJ column: lower_snake_case, and
// prefixed icij_ where it would clash with one of ours (status,
// jurisdiction, type ... whose values ICIJ writes its own way).
func icijKey(col string) string {
	k := strings.Trim(snake(strings.TrimLeft(col, "_:")), "_")
	if k == "" || k[0] < 'a' || k[0] > 'z' {
		k = "c_" + k
	}
	if len(k) > 58 {
		k = k[:58]
	}
	if _, known := graph.PropertySpecs[k]; known || graph.ReservedKeys[k] || k == "type" || k == "status" {
		return "icij_" + k
	}
	return k
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ";") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// icijSameAs are ICIJ's own matching edges: candidate matches, not facts
// of the leaked records.
var icijSameAs = map[string]bool{"same_name_as": true, "similar": true, "same_as": true, "same_id_as": true,
	"same_company_as": true, "probably_same_officer_as": true, "same_intermediary_as": true,
	"similar_company_as": true, "same_address_as": true}

// icijOfficerTypes maps officer_of's free-text link onto types to try in
// order (see refIndex.pickType): directors DIRECT (a company director
// CONTROLS), shareholders and owners OWN, anything else is a generic link.
func icijOfficerTypes(link string) []graph.RelType {
	l := strings.ToLower(link)
	switch {
	case strings.Contains(l, "director"), strings.Contains(l, "chairman"), strings.Contains(l, "president"),
		strings.Contains(l, "chief executive"):
		return []graph.RelType{graph.RelDirects, graph.RelControls, graph.RelLinkedTo}
	case strings.Contains(l, "shareholder"), strings.Contains(l, "owner"), strings.Contains(l, "beneficiar"),
		strings.Contains(l, "stockholder"):
		return []graph.RelType{graph.RelOwns, graph.RelLinkedTo}
	}
	return []graph.RelType{graph.RelLinkedTo}
}

// icijRelTypes are the types a relationship row may take, in order, and
// its grade.
func icijRelTypes(relType, link string) ([]graph.RelType, graph.Evidence) {
	switch {
	case relType == "officer_of":
		return icijOfficerTypes(link), graph.EvidenceRecord
	case relType == "registered_address":
		return []graph.RelType{graph.RelLocatedIn, graph.RelLinkedTo}, graph.EvidenceRecord
	case icijSameAs[relType]:
		return []graph.RelType{graph.RelPossiblySameAs}, graph.EvidenceMediaReport
	}
	return []graph.RelType{graph.RelLinkedTo}, graph.EvidenceRecord
}

func icijRel(row []string, c icijCols, source string, x *refIndex) (Record, error) {
	start, end := c.get(row, icijStartCols...), c.get(row, icijEndCols...)
	if start == "" || end == "" {
		return Record{}, fmt.Errorf("%s: a relationship needs both ends (%s, %s)", pick(start == "", "node_id_start", "node_id_end"), "node_id_start", "node_id_end")
	}
	relType := strings.ToLower(strings.TrimSpace(c.get(row, icijTypeCols...)))
	if relType == "" {
		return Record{}, errors.New("rel_type: is required")
	}
	relType = strings.ReplaceAll(strings.ReplaceAll(relType, " ", "_"), "-", "_")
	link := c.get(row, "link")
	types, ev := icijRelTypes(relType, link)
	role := link
	if role == "" {
		role = strings.ReplaceAll(relType, "_", " ")
	}
	props := map[string]any{"icij_rel_type": relType, "role": role}
	if icijSameAs[relType] {
		props = map[string]any{"icij_rel_type": relType, "basis": relType}
	}
	var since, until *string
	for _, d := range []struct {
		col string
		out **string
	}{{"start_date", &since}, {"end_date", &until}} {
		v := c.get(row, d.col)
		if v == "" {
			continue
		}
		if iso, ok := icijDate(v); ok {
			*d.out = &iso
		} else {
			props[d.col+"_text"] = v
		}
	}
	for i, col := range c.names {
		if icijConsumed[col] || i >= len(row) || strings.TrimSpace(row[i]) == "" {
			continue
		}
		props[icijKey(col)] = strings.TrimSpace(row[i])
	}
	key := slug(role)
	if since != nil {
		key += "@" + *since
	}
	r := graph.Relationship{From: ICIJIDPrefix + start, To: ICIJIDPrefix + end, Key: key, Evidence: ev, Sources: []string{source}}
	var err error
	if r.Properties, err = buildProps(props); err != nil {
		return Record{}, err
	}
	if since != nil {
		d, _ := graph.ParseDate(*since)
		r.Since = &d
	}
	if until != nil {
		d, _ := graph.ParseDate(*until)
		r.Until = &d
	}
	r.Type = types[0]
	if x != nil {
		r.Type = x.pickType(types, r.From, r.To)
	}
	return relRecord(r)
}

// scanICIJ streams one ICIJ CSV: in the index pass (index true) it only
// teaches x the nodes' kinds, the sources and the file's length;
// otherwise it hands fn the sources this file emits
// (refIndex.emitSynth), then each row's records.
func scanICIJ(r io.Reader, maxLine int, file string, x *refIndex, index bool, fn visit) error {
	if !index {
		fn = x.namespaced(fn)
	}
	lim := &limitedRecordReader{r: r, max: maxLine + 128*1024}
	cr := csv.NewReader(lim)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return fn(1, Record{}, errors.New("empty CSV file: a header line is required"))
		}
		return fn(1, Record{}, csvError(err, maxLine))
	}
	c := icijCols{at: map[string]int{}}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
		if !utf8.ValidString(h) || h == "" {
			return fn(1, Record{}, fmt.Errorf("header column %d %q is not a column name", i+1, header[i]))
		}
		if _, dup := c.at[h]; dup {
			return fn(1, Record{}, fmt.Errorf("header column %q appears twice", h))
		}
		c.at[h] = i
		c.names = append(c.names, h)
	}
	role := icijRoleOf(file)
	_, hasLabels := c.at["_labels"]
	hasID := slices.ContainsFunc(icijIDCols, func(n string) bool { _, ok := c.at[n]; return ok })
	hasStart := slices.ContainsFunc(icijStartCols, func(n string) bool { _, ok := c.at[n]; return ok })
	switch {
	case role == icijRelationship && !hasStart:
		return fn(1, Record{}, errors.New("header: a relationships file needs node_id_start, node_id_end, rel_type (or _start, _end, _type)"))
	case role != icijRelationship && role != "" && !hasID:
		return fn(1, Record{}, errors.New("header: a nodes file needs node_id (or _id)"))
	case role == "" && !hasLabels && !hasStart:
		return fn(1, Record{}, errors.New("header: cannot tell what this file holds: name it nodes-entities.csv, nodes-officers.csv, nodes-intermediaries.csv, nodes-addresses.csv, nodes-others.csv or relationships.csv, or give _labels"))
	}
	if !index {
		// The leaks' sources before the rows that cite them (synthRec).
		if err := x.emitSynth(file, fn); err != nil {
			return err
		}
	}
	lastLine := 1
	for {
		lim.since = 0
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			stop, ferr := csvReadError(err, &lastLine, maxLine, fn)
			if ferr != nil {
				return ferr
			}
			if stop {
				break // the reader cannot resynchronise after this
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		lastLine = line
		recs, src, date, err := icijRow(role, row, c, x)
		if index {
			if err == nil {
				x.noteSynth(file, src, date, date)
				x.addKinds(src.ID, src.Kinds)
				for _, rec := range recs {
					if rec.Entity != nil {
						x.addKinds(rec.Entity.ID, rec.Entity.Kinds)
					}
				}
			}
			if ferr := fn(line, Record{}, nil); ferr != nil {
				return ferr
			}
			continue
		}
		if err != nil {
			if ferr := fn(line, Record{Line: line}, err); ferr != nil {
				return ferr
			}
			continue
		}
		for _, rec := range recs {
			rec.Line = line
			if ferr := fn(line, rec, nil); ferr != nil {
				return ferr
			}
		}
	}
	if index {
		x.ends[file] = lastLine
	}
	return nil
}
