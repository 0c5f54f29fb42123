package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ExportFormat is a file format the graph is exported in (docs/export.md).
type ExportFormat string

// The export formats.
const (
	ExportFtM        ExportFormat = "ftm"         // FollowTheMoney entities, one JSON object a line (Aleph, OpenSanctions tools)
	ExportGEXF       ExportFormat = "gexf"        // GEXF 1.3 (Gephi)
	ExportGraphML    ExportFormat = "graphml"     // GraphML with typed keys (yEd, Cytoscape desktop, networkx)
	ExportCSV        ExportFormat = "csv"         // nodes.csv and edges.csv for spreadsheets (formula cells neutralised)
	ExportNeo4jAdmin ExportFormat = "neo4j-admin" // nodes.csv and relationships.csv as neo4j-admin database import reads them
)

// ExportFormats lists the formats in documentation order.
func ExportFormats() []ExportFormat {
	return []ExportFormat{ExportFtM, ExportGEXF, ExportGraphML, ExportCSV, ExportNeo4jAdmin}
}

// MaxExportDepth bounds ExportQuery.Depth (as for neighbours).
const MaxExportDepth = MaxNeighborDepth

// DefaultExportDepth is the depth of an export from a root when none is
// given.
const DefaultExportDepth = 2

// ExportQuery selects what an export holds: every entity (of Kinds, when
// given; visible at AsOf, when given; within Depth hops of From, when
// given) and every relationship whose two ends are both exported (and
// that is visible at AsOf). The traversal from From follows every
// relationship type but MENTIONED_IN, in either direction, as the
// neighbours read does. Role is the caller's: victims' personal fields
// are redacted as in every other answer (RedactEntity, RedactRelationship).
type ExportQuery struct {
	Format ExportFormat
	AsOf   *Date
	Kinds  []Kind
	From   string
	Depth  int
	// Prefix keeps only entities whose id starts with it ("ftm:" for
	// what came from FollowTheMoney; tests use their own prefix).
	Prefix string
	// Namespace is taken off the ids of an FtM export (the inverse of
	// the importer's IDNamespace; tests namespace their data).
	Namespace string
	Role      Role
}

// ParseExportFormat returns the format named s or false.
func ParseExportFormat(s string) (ExportFormat, bool) {
	f := ExportFormat(strings.ToLower(strings.TrimSpace(s)))
	return f, slices.Contains(ExportFormats(), f)
}

// Normalize checks q and applies defaults: kinds sorted without
// duplicates, Depth DefaultExportDepth when From is set and Depth is 0.
// Errors name the API parameter.
func (q ExportQuery) Normalize() (ExportQuery, error) {
	if !slices.Contains(ExportFormats(), q.Format) {
		return q, Errorf(CodeInvalid, "format", "must be one of ftm, gexf, graphml, csv, neo4j-admin")
	}
	for _, k := range q.Kinds {
		if _, ok := kindLabels[k]; !ok {
			return q, Errorf(CodeInvalid, "kind", "%q is not a kind", k)
		}
	}
	// Not NormalizeKinds: "person" must stay beside "tycoon" in a filter.
	kinds := slices.Clone(q.Kinds)
	slices.Sort(kinds)
	q.Kinds = slices.Compact(kinds)
	if len(q.Prefix) > MaxIDLen {
		return q, Errorf(CodeInvalid, "prefix", "is longer than %d characters", MaxIDLen)
	}
	if q.From == "" {
		if q.Depth != 0 {
			return q, Errorf(CodeInvalid, "depth", "needs from (the entity to start at)")
		}
		return q, nil
	}
	if err := ValidateID("from", q.From); err != nil {
		return q, err
	}
	if q.Depth == 0 {
		q.Depth = DefaultExportDepth
	}
	if q.Depth < 1 || q.Depth > MaxExportDepth {
		return q, Errorf(CodeInvalid, "depth", "must be from 1 to %d", MaxExportDepth)
	}
	return q, nil
}

// PropertyKeys are the free property keys an export may meet, with their
// value types (TypeString when one key holds values of several types), so
// that formats that declare their attributes up front (GEXF, GraphML) can
// do so before the first node is read.
type PropertyKeys struct {
	Node map[string]ValueType
	Edge map[string]ValueType
}

// ExportEntity is one exported entity with the links into it that formats
// fold into the entity (FtM writes an event's subjects and conductors as
// its involved and organizer properties): the SUBJECT_OF, CONDUCTED and
// PARTICIPATED_IN relationships into an event from exported entities.
type ExportEntity struct {
	Entity
	In []ExportRelationship
	// Out are the relationships from the entity that a record property
	// made (LOCATED_IN from FtM's addressEntity: they carry
	// ftm_property), to exported entities; FtM writes them back as that
	// property.
	Out []ExportRelationship
}

// ExportRelationship is one exported relationship with the kinds of its
// two ends (formats choose a schema by them, redaction needs them).
type ExportRelationship struct {
	Relationship
	FromKinds, ToKinds []Kind
	// FromSchema and ToSchema are the ends' ftm_schema properties (the
	// FollowTheMoney schema an FtM import kept), "" when none.
	FromSchema, ToSchema string
	// Start is the start entity, for the links of ExportEntity.In.
	Start *Entity
}

// Exporter streams a graph for export, in pages, holding one page at a
// time: constant memory whatever the graph's size. Entities come in id
// order, then relationships in the order of their start entity's id.
type Exporter interface {
	// ExportKeys returns the free property keys of the whole graph.
	ExportKeys(ctx context.Context) (PropertyKeys, error)
	// ExportEntities calls fn with each page of entities that q selects.
	ExportEntities(ctx context.Context, q ExportQuery, fn func([]ExportEntity) error) error
	// ExportRelationships calls fn with each page of relationships
	// between entities that q selects.
	ExportRelationships(ctx context.Context, q ExportQuery, fn func([]ExportRelationship) error) error
	// Exported returns which of ids q selects (formats that refer to
	// entities by id, such as FtM's proof, name only exported ones).
	Exported(ctx context.Context, q ExportQuery, ids []string) (map[string]bool, error)
}

// RedactEntity returns e as role may see it: RedactVictim, and for roles
// that may not see personal details the properties PropertySpecs marks
// Personal dropped from every entity, victim or not (a second line should
// a victim be filed under another kind). e is not modified.
func RedactEntity(e Entity, role Role) Entity {
	e = RedactVictim(e, role)
	if role.SeesVictimPersonal() {
		return e
	}
	props := make(map[string]Value, len(e.Properties))
	for k, v := range e.Properties {
		if !PropertySpecs[k].Personal {
			props[k] = v
		}
	}
	e.Properties = props
	return e
}

// RedactRelationship returns r as role may see it: for roles that may not
// see personal details, a relationship touching a victim loses its free
// properties (as in RedactSubgraph).
func RedactRelationship(r ExportRelationship, role Role) ExportRelationship {
	if role.SeesVictimPersonal() {
		return r
	}
	if slices.Contains(r.FromKinds, KindVictim) || slices.Contains(r.ToKinds, KindVictim) {
		r.Properties = map[string]Value{}
	}
	return r
}

// ftmIDPattern is FollowTheMoney's entity id pattern (followthemoney's
// EntityType.REGEX); ids are at most MaxFtMIDLen characters.
var ftmIDPattern = regexp.MustCompile(`^[0-9a-zA-Z]([0-9a-zA-Z.\-]*[0-9a-zA-Z])?$`)

// MaxFtMIDLen is FtM's longest entity id.
const MaxFtMIDLen = 200

// FtMIDPrefix is the prefix of our ids for entities imported from FtM
// (ftm:<FtM id>).
const FtMIDPrefix = "ftm:"

// ValidFtMID reports whether s is a valid FtM entity id.
func ValidFtMID(s string) bool { return len(s) <= MaxFtMIDLen && ftmIDPattern.MatchString(s) }

// FtMEntityID is the FtM id of an entity: ftm:<id> (an entity imported
// from FtM) goes back to <id>; any other id becomes "sg-" and the id with
// every character outside [0-9A-Za-z-], and a final "-", written as "."
// and two hex digits (person:chen-zhi is sg-person.3achen-zhi), which
// ParseFtMEntityID reverses. An id that would pass MaxFtMIDLen is
// "sg-h" and a SHA-256 prefix of it (not reversible).
func FtMEntityID(id string) string {
	if x, ok := strings.CutPrefix(id, FtMIDPrefix); ok && ValidFtMID(x) {
		return x
	}
	var b strings.Builder
	b.WriteString("sg-")
	for i := 0; i < len(id); i++ {
		c := id[i]
		alnum := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if alnum || c == '-' && i < len(id)-1 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, ".%02x", c)
	}
	if b.Len() > MaxFtMIDLen {
		sum := sha256.Sum256([]byte(id))
		return "sg-h" + hex.EncodeToString(sum[:20])
	}
	return b.String()
}

// ParseFtMEntityID is the inverse of FtMEntityID for an id it wrote
// ("sg-…", not hashed); false for any other id.
func ParseFtMEntityID(s string) (string, bool) {
	rest, ok := strings.CutPrefix(s, "sg-")
	if !ok || strings.HasPrefix(rest, "h") && len(rest) == 41 && !strings.Contains(rest, ".") {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(rest); i++ {
		if rest[i] != '.' {
			b.WriteByte(rest[i])
			continue
		}
		if i+2 >= len(rest) {
			return "", false
		}
		v, err := strconv.ParseUint(rest[i+1:i+3], 16, 8)
		if err != nil {
			return "", false
		}
		b.WriteByte(byte(v))
		i += 2
	}
	return b.String(), b.Len() > 0
}

// FtMRelationshipID is the FtM id of a relationship that did not come
// from FtM: "sg-r" and a SHA-256 prefix of its id (relationship ids are
// derived from their ends, type and key; see RelationshipID).
func FtMRelationshipID(relID string) string {
	sum := sha256.Sum256([]byte(relID))
	return "sg-r" + hex.EncodeToString(sum[:16])
}
