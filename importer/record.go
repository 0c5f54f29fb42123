package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/scamgraph/scamgraph/graph"
)

// Record is one parsed, validated line of an import file: an entity or a
// relationship.
type Record struct {
	Line         int
	Entity       *graph.Entity
	Relationship *graph.Relationship
}

// rawRecord is the JSON shape of an NDJSON line (docs/import-format.md).
type rawRecord struct {
	Record     string         `json:"record"`
	ID         string         `json:"id"`
	Kinds      []string       `json:"kinds"`
	Name       string         `json:"name"`
	Aliases    []string       `json:"aliases"`
	Sources    []string       `json:"sources"`
	Properties map[string]any `json:"properties"`
	Type       string         `json:"type"`
	From       string         `json:"from"`
	To         string         `json:"to"`
	Key        string         `json:"key"`
	Evidence   string         `json:"evidence"`
	Since      *string        `json:"since"`
	Until      *string        `json:"until"`
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// ParseNDJSONLine parses one NDJSON line into a validated record. It never
// panics; every failure is an error whose text names the field.
func ParseNDJSONLine(line []byte) (Record, error) {
	line = bytes.TrimRight(line, "\r\n")
	if bytes.Contains(line, bom) {
		return Record{}, errors.New("unexpected byte-order mark (U+FEFF) inside the file; were two files concatenated?")
	}
	if !utf8.Valid(line) {
		return Record{}, errors.New("line is not valid UTF-8")
	}
	trimmed := bytes.TrimSpace(line)
	if len(trimmed) == 0 {
		return Record{}, errors.New("empty line (NDJSON allows no blank lines)")
	}
	if trimmed[0] != '{' {
		return Record{}, errors.New("line is not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var raw rawRecord
	if err := dec.Decode(&raw); err != nil {
		return Record{}, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Record{}, errors.New("unexpected data after the JSON object")
	}
	return raw.toRecord()
}

func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("invalid JSON at byte %d: %v", se.Offset, se)
	case errors.As(err, &te):
		return fmt.Errorf("field %s: want %s, got JSON %s", te.Field, te.Type, te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("truncated JSON object")
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return fmt.Errorf("%s (see docs/import-format.md)", strings.TrimPrefix(err.Error(), "json: "))
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

func (raw rawRecord) toRecord() (Record, error) {
	switch raw.Record {
	case "entity":
		if raw.Type != "" || raw.From != "" || raw.To != "" || raw.Evidence != "" || raw.Since != nil || raw.Until != nil || raw.Key != "" {
			return Record{}, errors.New("an entity record cannot have type, from, to, key, evidence, since or until")
		}
		e, err := buildEntity(raw.ID, raw.Kinds, raw.Name, raw.Aliases, raw.Sources, raw.Properties)
		if err != nil {
			return Record{}, err
		}
		return Record{Entity: &e}, nil
	case "relationship":
		if raw.ID != "" || raw.Kinds != nil || raw.Name != "" || raw.Aliases != nil {
			return Record{}, errors.New("a relationship record cannot have id, kinds, name or aliases")
		}
		r, err := buildRelationship(raw.Type, raw.From, raw.To, raw.Key, raw.Evidence, raw.Since, raw.Until, raw.Sources, raw.Properties)
		if err != nil {
			return Record{}, err
		}
		return Record{Relationship: &r}, nil
	case "":
		return Record{}, errors.New(`record: is required ("entity" or "relationship")`)
	}
	return Record{}, fmt.Errorf(`record: %q is not "entity" or "relationship"`, raw.Record)
}

func buildEntity(id string, kinds []string, name string, aliases, sources []string, props map[string]any) (graph.Entity, error) {
	e := graph.Entity{ID: strings.TrimSpace(id), Name: strings.TrimSpace(name)}
	for _, k := range kinds {
		kind, ok := graph.ParseKind(k)
		if !ok {
			return e, graph.Errorf(graph.CodeInvalid, "kinds", "unknown kind %q", k)
		}
		e.Kinds = append(e.Kinds, kind)
	}
	e.Kinds = graph.NormalizeKinds(e.Kinds)
	e.Aliases = trimAll(aliases)
	e.Sources = trimAll(sources)
	var err error
	if e.Properties, err = buildProps(props); err != nil {
		return e, err
	}
	if err := graph.ValidateEntity(e); err != nil {
		return e, err
	}
	e.Aliases = graph.NormalizeStrings(e.Aliases)
	e.Sources = graph.NormalizeStrings(e.Sources)
	return e, nil
}

func buildRelationship(typ, from, to, key, evidence string, since, until *string, sources []string, props map[string]any) (graph.Relationship, error) {
	r := graph.Relationship{From: strings.TrimSpace(from), To: strings.TrimSpace(to), Key: strings.TrimSpace(key)}
	t, ok := graph.ParseRelType(typ)
	if !ok || !t.Importable() {
		if typ == "" {
			return r, graph.Errorf(graph.CodeInvalid, "type", "is required")
		}
		return r, graph.Errorf(graph.CodeInvalid, "type", "unknown relationship type %q (see docs/import-format.md)", typ)
	}
	r.Type = t
	if evidence == "" {
		return r, graph.Errorf(graph.CodeInvalid, "evidence", "is required (allegation, media_report, record, official_statement, charge, designation or conviction)")
	}
	ev, ok := graph.ParseEvidence(evidence)
	if !ok {
		return r, graph.Errorf(graph.CodeInvalid, "evidence", "unknown evidence grade %q", evidence)
	}
	r.Evidence = ev
	for _, d := range []struct {
		field string
		in    *string
		out   **graph.Date
	}{{"since", since, &r.Since}, {"until", until, &r.Until}} {
		if d.in == nil || strings.TrimSpace(*d.in) == "" {
			continue
		}
		v, err := graph.ParseDate(strings.TrimSpace(*d.in))
		if err != nil {
			return r, graph.Errorf(graph.CodeInvalid, d.field, "%v", err)
		}
		*d.out = &v
	}
	r.Sources = trimAll(sources)
	var err error
	if r.Properties, err = buildProps(props); err != nil {
		return r, err
	}
	r.ID = graph.RelationshipID(r.From, r.Type, r.To, r.Key)
	if err := graph.ValidateRelationship(r); err != nil {
		return r, err
	}
	r.Sources = graph.NormalizeStrings(r.Sources)
	return r, nil
}

func buildProps(props map[string]any) (map[string]graph.Value, error) {
	if len(props) > graph.MaxPropertyKeys {
		return nil, graph.Errorf(graph.CodeInvalid, "properties", "has more than %d keys", graph.MaxPropertyKeys)
	}
	out := make(map[string]graph.Value, len(props))
	err := graph.FirstKeyError(props, func(k string, raw any) error {
		if raw == nil {
			return nil
		}
		v, err := graph.CoerceProperty(k, raw)
		if err == nil {
			out[k] = v
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func trimAll(l []string) []string {
	out := make([]string, 0, len(l))
	for _, s := range l {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
