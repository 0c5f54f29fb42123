package generate

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/scamgraph/scamgraph/graph"
)

// sink receives the generated records in order: all entities (sources
// first), then all relationships. Records are reused; sinks copy what they
// keep.
type sink interface {
	entity(e *entity) error
	rel(r *rel) error
	close() error
}

type multiSink []sink

func (m multiSink) entity(e *entity) error {
	for _, s := range m {
		if err := s.entity(e); err != nil {
			return err
		}
	}
	return nil
}

func (m multiSink) rel(r *rel) error {
	for _, s := range m {
		if err := s.rel(r); err != nil {
			return err
		}
	}
	return nil
}

func (m multiSink) close() error {
	var first error
	for _, s := range m {
		if err := s.close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// ---- NDJSON ----

type ndjsonSink struct {
	ents, rels *bufio.Writer
	buf        []byte
}

func newNDJSONSink(ents, rels io.Writer) *ndjsonSink {
	return &ndjsonSink{ents: bufio.NewWriterSize(ents, 1<<16), rels: bufio.NewWriterSize(rels, 1<<16)}
}

func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

func appendJSONList(b []byte, l []string) []byte {
	b = append(b, '[')
	for i, s := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

func appendJSONProps(b []byte, props []prop) []byte {
	b = append(b, '{')
	for i, p := range props {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, p.key)
		b = append(b, ':')
		switch p.t {
		case pInt:
			b = strconv.AppendInt(b, p.i, 10)
		case pBool:
			b = append(b, p.s...)
		case pList:
			b = appendJSONList(b, p.l)
		default:
			b = appendJSONString(b, p.s)
		}
	}
	return append(b, '}')
}

func appendJSONDate(b []byte, d string) []byte {
	if d == "" {
		return append(b, "null"...)
	}
	return appendJSONString(b, d)
}

func (s *ndjsonSink) entity(e *entity) error {
	b := append(s.buf[:0], `{"record":"entity","id":`...)
	b = appendJSONString(b, e.id)
	b = append(b, `,"kinds":[`...)
	for i, k := range e.kinds {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, string(k))
	}
	b = append(b, `],"name":`...)
	b = appendJSONString(b, e.name)
	b = append(b, `,"aliases":`...)
	b = appendJSONList(b, e.aliases)
	b = append(b, `,"sources":`...)
	b = appendJSONList(b, e.sources)
	b = append(b, `,"properties":`...)
	b = appendJSONProps(b, e.props)
	b = append(b, "}\n"...)
	s.buf = b
	_, err := s.ents.Write(b)
	return err
}

func (s *ndjsonSink) rel(r *rel) error {
	b := append(s.buf[:0], `{"record":"relationship","type":`...)
	b = appendJSONString(b, string(r.typ))
	b = append(b, `,"from":`...)
	b = appendJSONString(b, r.from)
	b = append(b, `,"to":`...)
	b = appendJSONString(b, r.to)
	b = append(b, `,"key":"","evidence":`...)
	b = appendJSONString(b, string(r.evidence))
	b = append(b, `,"since":`...)
	b = appendJSONDate(b, r.since)
	b = append(b, `,"until":`...)
	b = appendJSONDate(b, r.until)
	b = append(b, `,"sources":`...)
	b = appendJSONList(b, r.sources)
	b = append(b, `,"properties":`...)
	b = appendJSONProps(b, r.props)
	b = append(b, "}\n"...)
	s.buf = b
	_, err := s.rels.Write(b)
	return err
}

func (s *ndjsonSink) close() error {
	if err := s.ents.Flush(); err != nil {
		return err
	}
	return s.rels.Flush()
}

// ---- CSV helpers ----

type csvFile struct {
	f *os.File
	b *bufio.Writer
	w *csv.Writer
}

func createCSV(path string, header []string) (*csvFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	b := bufio.NewWriterSize(f, 1<<16)
	c := &csvFile{f: f, b: b, w: csv.NewWriter(b)}
	if err := c.w.Write(header); err != nil {
		f.Close()
		return nil, err
	}
	return c, nil
}

// close flushes and closes; csv.Writer flushes its own buffer into ours,
// so flush both.
func (c *csvFile) close() error {
	c.w.Flush()
	err := c.w.Error()
	if err == nil {
		err = c.b.Flush()
	}
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	return err
}

var colIndex = func() map[string]int {
	m := map[string]int{}
	for i, c := range entityColumns {
		m[c.key] = i
	}
	return m
}()

var relColIndex = func() map[string]int {
	m := map[string]int{}
	for i, c := range relColumns {
		m[c] = i
	}
	return m
}()

// propCells fills cells (one per entityColumns entry) from props, joining
// lists with sep.
func propCells(cells []string, props []prop, sep string) error {
	for i := range cells {
		cells[i] = ""
	}
	for _, p := range props {
		i, ok := colIndex[p.key]
		if !ok {
			return fmt.Errorf("generate: property %q has no CSV column", p.key)
		}
		cells[i] = cellOf(p, sep)
	}
	return nil
}

func cellOf(p prop, sep string) string {
	switch p.t {
	case pInt:
		return strconv.FormatInt(p.i, 10)
	case pList:
		return strings.Join(p.l, sep)
	}
	return p.s
}

func relCells(cells []string, props []prop) error {
	for i := range cells {
		cells[i] = ""
	}
	for _, p := range props {
		i, ok := relColIndex[p.key]
		if !ok {
			return fmt.Errorf("generate: relationship property %q has no CSV column", p.key)
		}
		cells[i] = cellOf(p, ";")
	}
	return nil
}

// ---- LOAD CSV ----

type loadCSVSink struct {
	dir   string
	ents  *csvFile
	rels  map[graph.RelType]*csvFile
	row   []string
	cells []string
}

var loadCSVRelHeader = append([]string{"id", "from", "to", "evidence", "evidence_rank", "since", "until", "sources"}, relColumns...)

func newLoadCSVSink(dir string) (*loadCSVSink, error) {
	header := []string{"id", "labels", "name", "aliases", "sources"}
	for _, c := range entityColumns {
		header = append(header, c.key)
	}
	s := &loadCSVSink{dir: dir, rels: map[graph.RelType]*csvFile{}, cells: make([]string, len(entityColumns))}
	var err error
	if s.ents, err = createCSV(filepath.Join(dir, "entities.csv"), header); err != nil {
		return nil, err
	}
	for _, t := range graph.RelTypes() {
		f, err := createCSV(filepath.Join(dir, "rels-"+string(t)+".csv"), loadCSVRelHeader)
		if err != nil {
			s.close()
			return nil, err
		}
		s.rels[t] = f
	}
	if err := os.WriteFile(filepath.Join(dir, "load.cypher"), []byte(loadCypher()), 0o644); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *loadCSVSink) entity(e *entity) error {
	if err := propCells(s.cells, e.props, "|"); err != nil {
		return err
	}
	s.row = append(s.row[:0], e.id, e.labels, e.name, strings.Join(e.aliases, "|"), strings.Join(e.sources, "|"))
	s.row = append(s.row, s.cells...)
	return s.ents.w.Write(s.row)
}

func (s *loadCSVSink) rel(r *rel) error {
	if err := relCells(s.cells[:len(relColumns)], r.props); err != nil {
		return err
	}
	s.row = append(s.row[:0], graph.RelationshipID(r.from, r.typ, r.to, ""), r.from, r.to, string(r.evidence),
		strconv.Itoa(r.evidence.Rank()), r.since, r.until, strings.Join(r.sources, "|"))
	s.row = append(s.row, s.cells[:len(relColumns)]...)
	return s.rels[r.typ].w.Write(s.row)
}

func (s *loadCSVSink) close() error {
	var first error
	if s.ents != nil {
		first = s.ents.close()
	}
	for _, t := range graph.RelTypes() {
		if f := s.rels[t]; f != nil {
			if err := f.close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

// loadCypher is the LOAD CSV script that builds, from the loadcsv files,
// the graph `scamgraph import` builds from the NDJSON files.
func loadCypher() string {
	var b strings.Builder
	b.WriteString(`// LOAD CSV baseline, written by "scamgraph-gen". It builds from the CSV
// files next to it the same graph that "scamgraph import <out>/ndjson" builds
// from the NDJSON files: nodes with :Entity plus their kind labels, id, name,
// aliases and sources lists and typed properties (dates as DATE); a
// MENTIONED_IN relationship from every non-source entity to each of its
// sources; relationships with id, evidence, evidence_rank, since, until,
// sources and their properties; created_at/updated_at as the importer sets.
//
// Needs Neo4j 5.26 or later (dynamic labels, CALL (row) {...}). It uses
// CREATE, so run it against an EMPTY database. Copy the *.csv files into the
// server's import directory (server.directories.import), then:
//
//   cypher-shell -a neo4j://localhost:7687 -u neo4j -p "$NEO4J_PASSWORD" -f load.cypher
//
// Lists in cells are separated by '|', labels by ';'. Empty cells read as
// null, so absent properties stay absent.

CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;

// Entities: sources come first in the file, so every MENTIONED_IN target
// exists by the time a non-source row refers to it.
LOAD CSV WITH HEADERS FROM 'file:///entities.csv' AS row
CALL (row) {
  CREATE (n:Entity {id: row.id})
  SET n:$(split(row.labels, ';'))
  SET n.name = row.name,
      n.aliases = split(row.aliases, '|'),
      n.sources = split(row.sources, '|'),
`)
	for _, c := range entityColumns {
		fmt.Fprintf(&b, "      n.%s = %s,\n", c.key, fmt.Sprintf(c.conv, "row."+c.key))
	}
	b.WriteString(`      n.created_at = datetime(), n.updated_at = datetime()
  WITH n, row
  UNWIND coalesce(split(row.sources, '|'), []) AS sid
  MATCH (s:Entity {id: sid})
  WHERE s:Source
  CREATE (n)-[:MENTIONED_IN]->(s)
} IN TRANSACTIONS OF 1000 ROWS;
`)
	// Relationships carry their ends' ids (_from_id, _to_id) as the
	// importer writes them for keyset neighbour pages (docs/model.md), so
	// the baseline builds the same graph and maintains the same indexes.
	for _, t := range graph.RelTypes() {
		fmt.Fprintf(&b, `
LOAD CSV WITH HEADERS FROM 'file:///rels-%[1]s.csv' AS row
CALL (row) {
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  CREATE (a)-[r:%[1]s {id: row.id}]->(b)
  SET r._from_id = row.from, r._to_id = row.to,
      r.evidence = row.evidence,
      r.evidence_rank = toInteger(row.evidence_rank),
      r.since = date(row.since),
      r.until = date(row.until),
      r.sources = split(row.sources, '|'),
`, t)
		for _, c := range relColumns {
			fmt.Fprintf(&b, "      r.%s = row.%s,\n", c, c)
		}
		b.WriteString(`      r.created_at = datetime(), r.updated_at = datetime()
} IN TRANSACTIONS OF 1000 ROWS;
`)
	}
	return b.String()
}

// ---- neo4j-admin ----

type adminSink struct {
	nodes, rels, mentions *csvFile
	row, cells            []string
}

func newAdminSink(dir string) (*adminSink, error) {
	header := []string{"id:ID(Entity)", ":LABEL", "name", "aliases:string[]", "sources:string[]"}
	for _, c := range entityColumns {
		header = append(header, c.key+c.admin)
	}
	s := &adminSink{cells: make([]string, len(entityColumns))}
	var err error
	if s.nodes, err = createCSV(filepath.Join(dir, "nodes.csv"), header); err != nil {
		return nil, err
	}
	rh := append([]string{":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "id", "evidence", "evidence_rank:long",
		"since:date", "until:date", "sources:string[]"}, relColumns...)
	if s.rels, err = createCSV(filepath.Join(dir, "relationships.csv"), rh); err != nil {
		s.close()
		return nil, err
	}
	if s.mentions, err = createCSV(filepath.Join(dir, "mentions.csv"), []string{":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"}); err != nil {
		s.close()
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "README.txt"), []byte(adminReadme), 0o644); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *adminSink) entity(e *entity) error {
	if err := propCells(s.cells, e.props, ";"); err != nil {
		return err
	}
	for _, a := range e.aliases {
		if strings.Contains(a, ";") {
			return fmt.Errorf("generate: alias %q contains the array delimiter", a)
		}
	}
	s.row = append(s.row[:0], e.id, e.labels, e.name, strings.Join(e.aliases, ";"), strings.Join(e.sources, ";"))
	s.row = append(s.row, s.cells...)
	if err := s.nodes.w.Write(s.row); err != nil {
		return err
	}
	for _, src := range e.sources {
		if err := s.mentions.w.Write([]string{e.id, src, string(graph.RelMentionedIn)}); err != nil {
			return err
		}
	}
	return nil
}

func (s *adminSink) rel(r *rel) error {
	if err := relCells(s.cells[:len(relColumns)], r.props); err != nil {
		return err
	}
	s.row = append(s.row[:0], r.from, r.to, string(r.typ), graph.RelationshipID(r.from, r.typ, r.to, ""),
		string(r.evidence), strconv.Itoa(r.evidence.Rank()), r.since, r.until, strings.Join(r.sources, ";"))
	s.row = append(s.row, s.cells[:len(relColumns)]...)
	return s.rels.w.Write(s.row)
}

func (s *adminSink) close() error {
	var first error
	for _, f := range []*csvFile{s.nodes, s.rels, s.mentions} {
		if f != nil {
			if err := f.close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

const adminReadme = `neo4j-admin bulk-import files, written by "scamgraph-gen"
=============================================================

  nodes.csv          every entity (sources first): id:ID(Entity), :LABEL
                     (Entity plus the kind labels), name, aliases:string[],
                     sources:string[] and typed property columns
                     (count:long, cohort:boolean, date:date, published:date,
                     charges:string[] ...)
  relationships.csv  every relationship: :START_ID(Entity), :END_ID(Entity),
                     :TYPE, id, evidence, evidence_rank:long, since:date,
                     until:date, sources:string[], position, relation, role
  mentions.csv       the MENTIONED_IN links the importer derives: one row per
                     (non-source entity, cited source)

Arrays (labels, aliases, sources, charges) are separated by ';'. Empty cells
are absent properties. The header is the first line of each file.

Import into an empty (or to-be-overwritten) database, with the DBMS stopped,
from $NEO4J_HOME (Neo4j 5.19 or later: the database name comes first):

  bin/neo4j-admin database import full neo4j \
      --nodes=/path/to/admin/nodes.csv \
      --relationships=/path/to/admin/relationships.csv \
      --relationships=/path/to/admin/mentions.csv \
      --id-type=string \
      --array-delimiter=';' \
      --overwrite-destination=true

Then start Neo4j and apply the schema (constraints and indexes), which bulk
import does not create:

  scamgraph migrate

Differences from "scamgraph import": created_at/updated_at are not set (bulk
import cannot call datetime()); everything else, labels, properties and
relationships, is the same.
`
