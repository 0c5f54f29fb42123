package graph

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on the size of what a record may hold.
const (
	MaxIDLen        = 200
	MaxNameLen      = 500
	MaxTextLen      = 10000 // any single string property
	MaxListLen      = 200   // aliases, sources, string lists
	MaxPropertyKeys = 64
)

var (
	keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	ccPattern  = regexp.MustCompile(`^[A-Z]{2}$`)
)

// PropSpec describes a known property: its type, the values it may take and
// the kinds that must carry it.
type PropSpec struct {
	Type     ValueType
	Enum     []string // allowed values, for strings
	Country  bool     // an ISO 3166-1 alpha-2 code
	URL      bool     // an http(s) URL
	Min      int64    // for ints: the least value
	Required []Kind   // kinds that must carry it
	Personal bool     // a victim's personal detail, shown only to analysts
	Doc      string
}

// PropertySpecs is the table of known properties. Properties not in it are
// accepted as free strings, numbers, booleans or string lists, under
// lower_snake_case keys that do not shadow a reserved name.
var PropertySpecs = map[string]PropSpec{
	"description":    {Type: TypeString, Doc: "short factual description, in our own words"},
	"nationality":    {Type: TypeString, Country: true, Doc: "ISO 3166-1 alpha-2 code of a person's or a victim cohort's nationality"},
	"born":           {Type: TypeDate, Doc: "date of birth"},
	"gender":         {Type: TypeString, Doc: "as reported"},
	"position":       {Type: TypeString, Doc: "a person's title as reported (\"Minister of Interior\")"},
	"status":         {Type: TypeString, Enum: []string{"active", "closed", "raided", "relocated", "unknown"}, Doc: "a compound's last reported status"},
	"jurisdiction":   {Type: TypeString, Country: true, Doc: "a company's country of registration"},
	"registration":   {Type: TypeString, Doc: "company registration number"},
	"cohort":         {Type: TypeBool, Doc: "true when a victim node stands for a group of people"},
	"count":          {Type: TypeInt, Min: 1, Doc: "how many people a victim cohort holds"},
	"pseudonym":      {Type: TypeString, Doc: "the name a victim is known by in our graph; never a real name unless published with consent"},
	"age":            {Type: TypeInt, Min: 0, Personal: true, Doc: "a victim's age at the time reported"},
	"origin":         {Type: TypeString, Personal: true, Doc: "a victim's home region"},
	"location_type":  {Type: TypeString, Enum: []string{"country", "province", "city", "district", "region", "border_area", "address"}, Required: []Kind{KindLocation}},
	"country_code":   {Type: TypeString, Country: true, Doc: "the country a location or organization belongs to"},
	"org_type":       {Type: TypeString, Enum: []string{"government", "ministry", "embassy", "police", "court", "prosecutor", "military", "ngo", "un_agency", "intergovernmental", "media", "other"}, Required: []Kind{KindOrganization}},
	"event_type":     {Type: TypeString, Enum: eventTypeNames(), Required: []Kind{KindEvent}},
	"date":           {Type: TypeDate, Required: []Kind{KindEvent}, Doc: "when the event happened (or began)"},
	"end_date":       {Type: TypeDate, Doc: "when a multi-day event ended"},
	"date_precision": {Type: TypeString, Enum: []string{"day", "month", "year"}, Doc: "how precisely date is known; day when absent"},
	"publisher":      {Type: TypeString, Required: []Kind{KindSource}},
	"published":      {Type: TypeDate, Required: []Kind{KindSource}},
	"title":          {Type: TypeString},
	"url":            {Type: TypeString, URL: true},
	"source_type":    {Type: TypeString, Enum: []string{"news", "sanction", "indictment", "court_filing", "government_statement", "ngo_report", "social_media", "other"}, Required: []Kind{KindSource}},
	"language":       {Type: TypeString},
	"charges":        {Type: TypeStrings, Doc: "the offences named in a charge, indictment or conviction"},
}

// ReservedKeys may not be used as property keys: they are fields of the
// record or bookkeeping of the store.
var ReservedKeys = map[string]bool{
	"id": true, "kinds": true, "name": true, "aliases": true, "sources": true,
	"type": true, "from": true, "to": true, "key": true, "evidence": true,
	"evidence_rank": true, "since": true, "until": true, "created_at": true,
	"updated_at": true, "search_text": true, "record": true, "properties": true,
}

func eventTypeNames() []string {
	var out []string
	for _, t := range EventTypes() {
		out = append(out, string(t))
	}
	return out
}

// ValidateID checks an entity or source id.
func ValidateID(field, id string) error {
	switch {
	case id == "":
		return Errorf(CodeInvalid, field, "is required")
	case !utf8.ValidString(id):
		return Errorf(CodeInvalid, field, "is not valid UTF-8")
	case len(id) > MaxIDLen:
		return Errorf(CodeInvalid, field, "is longer than %d bytes", MaxIDLen)
	case !validIDBytes(id):
		return Errorf(CodeInvalid, field, "%q may hold only letters, digits and . _ : / @ + - and must start with a letter or digit", id)
	}
	return nil
}

// validIDBytes reports whether id matches ^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$,
// by hand: the importer checks every id of every record, and the regexp
// was a tenth of a bulk load's time (graph_test compares the two).
func validIDBytes(id string) bool {
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case i > 0 && strings.IndexByte("._:/@+-", c) >= 0:
		default:
			return false
		}
	}
	return id != ""
}

func validateText(field, s string, max int, required bool) error {
	switch {
	case s == "" && required:
		return Errorf(CodeInvalid, field, "is required")
	case !utf8.ValidString(s):
		return Errorf(CodeInvalid, field, "is not valid UTF-8")
	case len(s) > max:
		return Errorf(CodeInvalid, field, "is longer than %d bytes", max)
	case strings.ContainsRune(s, 0):
		return Errorf(CodeInvalid, field, "contains a NUL character")
	}
	return nil
}

func validateList(field string, l []string, max int, ids bool) error {
	if len(l) > MaxListLen {
		return Errorf(CodeInvalid, field, "has more than %d items", MaxListLen)
	}
	for i, s := range l {
		// The item's field name is made only for an error (this runs for
		// every list item of every record imported).
		check := func(f string) error { return validateText(f, s, max, true) }
		if ids {
			check = func(f string) error { return ValidateID(f, s) }
		}
		if check(field) != nil {
			return check(fmt.Sprintf("%s[%d]", field, i))
		}
	}
	return nil
}

// ValidateEntity checks an entity before it is written: id, kinds, name,
// sources (required except for source entities), aliases and properties.
func ValidateEntity(e Entity) error {
	if err := ValidateID("id", e.ID); err != nil {
		return err
	}
	if len(e.Kinds) == 0 {
		return Errorf(CodeInvalid, "kinds", "is required (one or more of %s)", kindList())
	}
	isSource := false
	for _, k := range e.Kinds {
		if _, ok := kindLabels[k]; !ok {
			return Errorf(CodeInvalid, "kinds", "unknown kind %q (want one of %s)", k, kindList())
		}
		if k == KindSource {
			isSource = true
		}
	}
	if isSource && len(NormalizeKinds(e.Kinds)) > 1 {
		return Errorf(CodeInvalid, "kinds", "a source cannot also be another kind")
	}
	if err := validateText("name", e.Name, MaxNameLen, true); err != nil {
		return err
	}
	if err := validateList("aliases", e.Aliases, MaxNameLen, false); err != nil {
		return err
	}
	if len(e.Sources) == 0 && !isSource {
		return Errorf(CodeInvalid, "sources", "is required: every fact must cite at least one source id")
	}
	if err := validateList("sources", e.Sources, 0, true); err != nil {
		return err
	}
	if err := validateProps(e.Properties); err != nil {
		return err
	}
	for _, key := range propertySpecKeys {
		for _, rk := range PropertySpecs[key].Required {
			if slices.Contains(e.Kinds, rk) {
				if _, ok := e.Properties[key]; !ok {
					return Errorf(CodeInvalid, "properties."+key, "is required for kind %s", rk)
				}
			}
		}
	}
	return checkVictimText(e)
}

// ValidateRelationship checks a relationship before it is written.
func ValidateRelationship(r Relationship) error {
	if !r.Type.Importable() {
		return Errorf(CodeInvalid, "type", "unknown relationship type %q (want one of %s)", r.Type, relList())
	}
	if _, ok := ParseRelType(string(r.Type)); !ok {
		return Errorf(CodeInvalid, "type", "unknown relationship type %q (want one of %s)", r.Type, relList())
	}
	if err := ValidateID("from", r.From); err != nil {
		return err
	}
	if err := ValidateID("to", r.To); err != nil {
		return err
	}
	if r.From == r.To {
		return Errorf(CodeInvalid, "to", "a relationship cannot point at its own start (%q)", r.From)
	}
	if err := validateText("key", r.Key, MaxIDLen, false); err != nil {
		return err
	}
	if r.Evidence.Rank() == 0 {
		return Errorf(CodeInvalid, "evidence", "unknown or missing evidence grade %q (want one of %s)", r.Evidence, evidenceList())
	}
	if len(r.Sources) == 0 {
		return Errorf(CodeInvalid, "sources", "is required: every fact must cite at least one source id")
	}
	if err := validateList("sources", r.Sources, 0, true); err != nil {
		return err
	}
	if r.Since != nil && r.Until != nil && r.Until.Before(*r.Since) {
		return Errorf(CodeInvalid, "until", "%s is before since %s", r.Until, r.Since)
	}
	return validateProps(r.Properties)
}

func validateProps(p map[string]Value) error {
	if len(p) > MaxPropertyKeys {
		return Errorf(CodeInvalid, "properties", "has more than %d keys", MaxPropertyKeys)
	}
	return FirstKeyError(p, validateProp)
}

// FirstKeyError calls check on m's keys and returns the error of the
// first failing key in key order, whatever the map's iteration order, so
// the same input is refused with the same message every time. Keys after
// a failing one are not checked; nothing is sorted.
func FirstKeyError[V any](m map[string]V, check func(k string, v V) error) error {
	var first error
	firstKey := ""
	for k, v := range m {
		if first != nil && k > firstKey {
			continue
		}
		if err := check(k, v); err != nil {
			first, firstKey = err, k
		}
	}
	return first
}

func validateProp(k string, v Value) error {
	f := "properties." + k
	if !keyPattern.MatchString(k) || ReservedKeys[k] || strings.HasSuffix(k, "_rank") {
		return Errorf(CodeInvalid, f, "is not an allowed property key (lower_snake_case, not reserved)")
	}
	switch v.Type {
	case TypeString, TypeDate:
		return validateText(f, v.S, MaxTextLen, false)
	case TypeStrings:
		return validateList(f, v.L, MaxTextLen, false)
	}
	return nil
}

// propertySpecKeys are PropertySpecs' keys in order: required properties
// are checked, and the first missing one named, in this order.
var propertySpecKeys = slices.Sorted(maps.Keys(PropertySpecs))

// CoerceProperty turns a raw decoded value (from JSON: string, float64,
// json.Number, bool, []any; from CSV: string) into a typed Value following
// PropertySpecs. The field name is used in errors.
func CoerceProperty(key string, raw any) (Value, error) {
	f := "properties." + key
	spec, known := PropertySpecs[key]
	if !known {
		return coerceFree(f, raw)
	}
	switch spec.Type {
	case TypeString:
		s, ok := raw.(string)
		if !ok {
			return Value{}, Errorf(CodeInvalid, f, "must be a string")
		}
		s = strings.TrimSpace(s)
		if len(spec.Enum) > 0 && !slices.Contains(spec.Enum, s) {
			return Value{}, Errorf(CodeInvalid, f, "%q is not one of %s", s, strings.Join(spec.Enum, ", "))
		}
		if spec.Country && !ccPattern.MatchString(s) {
			return Value{}, Errorf(CodeInvalid, f, "%q is not an ISO 3166-1 alpha-2 country code such as KH or ID", s)
		}
		if spec.URL {
			u, err := url.Parse(s)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return Value{}, Errorf(CodeInvalid, f, "%q is not an http(s) URL", s)
			}
		}
		return StringValue(s), nil
	case TypeDate:
		s, ok := raw.(string)
		if !ok {
			return Value{}, Errorf(CodeInvalid, f, "must be a date string YYYY-MM-DD")
		}
		d, err := ParseDate(strings.TrimSpace(s))
		if err != nil {
			return Value{}, Errorf(CodeInvalid, f, "%v", err)
		}
		return DateValue(d), nil
	case TypeInt:
		i, err := toInt(raw)
		if err != nil {
			return Value{}, Errorf(CodeInvalid, f, "%v", err)
		}
		if i < spec.Min {
			return Value{}, Errorf(CodeInvalid, f, "must be at least %d", spec.Min)
		}
		return IntValue(i), nil
	case TypeBool:
		switch b := raw.(type) {
		case bool:
			return BoolValue(b), nil
		case string:
			v, err := strconv.ParseBool(strings.TrimSpace(b))
			if err != nil {
				return Value{}, Errorf(CodeInvalid, f, "%q is not true or false", b)
			}
			return BoolValue(v), nil
		}
		return Value{}, Errorf(CodeInvalid, f, "must be true or false")
	case TypeStrings:
		l, err := toStrings(raw)
		if err != nil {
			return Value{}, Errorf(CodeInvalid, f, "%v", err)
		}
		return StringsValue(l), nil
	}
	return Value{}, Errorf(CodeInvalid, f, "has an unsupported type")
}

func coerceFree(f string, raw any) (Value, error) {
	switch v := raw.(type) {
	case string:
		return StringValue(v), nil
	case bool:
		return BoolValue(v), nil
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return IntValue(i), nil
		}
		x, err := v.Float64()
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return Value{}, Errorf(CodeInvalid, f, "%q is not a finite number", v.String())
		}
		return FloatValue(x), nil
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return IntValue(int64(v)), nil
		}
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return Value{}, Errorf(CodeInvalid, f, "is not a finite number")
		}
		return FloatValue(v), nil
	case []any, []string:
		l, err := toStrings(v)
		if err != nil {
			return Value{}, Errorf(CodeInvalid, f, "%v", err)
		}
		return StringsValue(l), nil
	}
	return Value{}, Errorf(CodeInvalid, f, "must be a string, number, boolean or list of strings")
}

func toInt(raw any) (int64, error) {
	switch v := raw.(type) {
	case json.Number:
		return v.Int64()
	case float64:
		if v != math.Trunc(v) || math.Abs(v) > 1<<53 {
			return 0, fmt.Errorf("%v is not a whole number", v)
		}
		return int64(v), nil
	case string:
		i, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a whole number", v)
		}
		return i, nil
	}
	return 0, fmt.Errorf("must be a whole number")
}

func toStrings(raw any) ([]string, error) {
	switch v := raw.(type) {
	case []string:
		return v, nil
	case string:
		if v == "" {
			return nil, nil
		}
		return strings.Split(v, "|"), nil
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, fmt.Errorf("must be a list of strings")
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("must be a list of strings")
}

// HasKind reports whether e has kind k (tycoon and official imply person).
func (e Entity) HasKind(k Kind) bool {
	if k == KindPerson && (slices.Contains(e.Kinds, KindTycoon) || slices.Contains(e.Kinds, KindOfficial)) {
		return true
	}
	return slices.Contains(e.Kinds, k)
}

func kindList() string {
	var out []string
	for _, k := range AllKinds() {
		out = append(out, string(k))
	}
	return strings.Join(out, ", ")
}

func relList() string {
	var out []string
	for _, t := range RelTypes() {
		out = append(out, string(t))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func evidenceList() string {
	var out []string
	for _, e := range Evidences() {
		out = append(out, string(e))
	}
	return strings.Join(out, ", ")
}
