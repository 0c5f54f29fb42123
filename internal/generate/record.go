package generate

import (
	"github.com/scamgraph/scamgraph/graph"
)

// Property value types the generator writes.
const (
	pString = 's'
	pInt    = 'i'
	pBool   = 'b'
	pDate   = 'd'
	pList   = 'l'
)

type prop struct {
	key string
	t   byte
	s   string // string, date (YYYY-MM-DD), bool ("true"/"false")
	i   int64
	l   []string
}

// entity is one generated entity; the generator reuses one value, so sinks
// must not keep it.
type entity struct {
	id      string
	kinds   []graph.Kind
	labels  string // graph.Labels(kinds) joined with ';'
	name    string
	aliases []string
	sources []string
	props   []prop
}

func (e *entity) reset() {
	e.id, e.name, e.labels = "", "", ""
	e.kinds = e.kinds[:0]
	e.aliases = e.aliases[:0]
	e.sources = e.sources[:0]
	e.props = e.props[:0]
}

func (e *entity) str(k, v string)  { e.props = append(e.props, prop{key: k, t: pString, s: v}) }
func (e *entity) date(k, v string) { e.props = append(e.props, prop{key: k, t: pDate, s: v}) }
func (e *entity) num(k string, v int64) {
	e.props = append(e.props, prop{key: k, t: pInt, i: v})
}
func (e *entity) boolean(k string, v bool) {
	s := "false"
	if v {
		s = "true"
	}
	e.props = append(e.props, prop{key: k, t: pBool, s: s})
}
func (e *entity) list(k string, v []string) { e.props = append(e.props, prop{key: k, t: pList, l: v}) }

// rel is one generated relationship; reused like entity.
type rel struct {
	typ          graph.RelType
	from, to     string
	evidence     graph.Evidence
	since, until string // "" when absent
	sources      []string
	props        []prop
}

// entityColumns are the typed property columns of the CSV outputs, in order.
// Every property the generator sets on an entity is one of these.
var entityColumns = []struct {
	key   string
	admin string // neo4j-admin header type suffix
	conv  string // Cypher conversion for LOAD CSV (%s is the row value)
}{
	{"description", "", "%s"},
	{"nationality", "", "%s"},
	{"position", "", "%s"},
	{"status", "", "%s"},
	{"jurisdiction", "", "%s"},
	{"registration", "", "%s"},
	{"cohort", ":boolean", "toBoolean(%s)"},
	{"count", ":long", "toInteger(%s)"},
	{"pseudonym", "", "%s"},
	{"age", ":long", "toInteger(%s)"},
	{"location_type", "", "%s"},
	{"country_code", "", "%s"},
	{"org_type", "", "%s"},
	{"event_type", "", "%s"},
	{"date", ":date", "date(%s)"},
	{"date_precision", "", "%s"},
	{"charges", ":string[]", "split(%s, '|')"},
	{"publisher", "", "%s"},
	{"published", ":date", "date(%s)"},
	{"source_type", "", "%s"},
	{"language", "", "%s"},
	{"title", "", "%s"},
}

// relColumns are the relationship property columns of the CSV outputs.
var relColumns = []string{"position", "relation", "role"}
