package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/csvsafe"
)

// rowWriter is csv.Writer or csvsafe.Writer.
type rowWriter interface {
	Write([]string) error
	Flush()
	Error() error
}

// table writes the node and the edge file of the CSV formats: a header,
// then one row per element, with the fixed columns first and one column
// per free property key.
type table struct {
	nodes, edges rowWriter
	open         func(*bufio.Writer) rowWriter
	second       func() (*bufio.Writer, error)
	nodeKeys     []string
	edgeKeys     []string
	nodeHead     []string
	edgeHead     []string
	nodeRow      func(e graph.Entity) []string
	edgeRow      func(r graph.Relationship) []string
}

func (t *table) begin() error {
	if err := t.nodes.Write(t.nodeHead); err != nil {
		return err
	}
	return t.nodes.Error()
}

func (t *table) entities(_ context.Context, page []graph.ExportEntity) error {
	for _, e := range page {
		row := append(t.nodeRow(e.Entity), propCells(t.nodeKeys, e.Properties)...)
		if err := t.nodes.Write(row); err != nil {
			return err
		}
	}
	return t.nodes.Error()
}

func (t *table) middle() error {
	t.nodes.Flush()
	if err := t.nodes.Error(); err != nil {
		return err
	}
	w, err := t.second()
	if err != nil {
		return err
	}
	t.edges = t.open(w)
	if err := t.edges.Write(t.edgeHead); err != nil {
		return err
	}
	return t.edges.Error()
}

func (t *table) relationships(_ context.Context, page []graph.ExportRelationship) error {
	for _, r := range page {
		row := append(t.edgeRow(r.Relationship), propCells(t.edgeKeys, r.Properties)...)
		if err := t.edges.Write(row); err != nil {
			return err
		}
	}
	return t.edges.Error()
}

func (t *table) end() error {
	t.edges.Flush()
	return t.edges.Error()
}

func propCells(keys []string, props map[string]graph.Value) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		if v, ok := props[k]; ok {
			out[i] = propCell(v)
		}
	}
	return out
}

// propCell is ValueText but with the neo4j-admin array delimiter between
// list items (the CSV formats share it; see arrayDelimiter).
func propCell(v graph.Value) string {
	if v.Type == graph.TypeStrings {
		return strings.Join(v.L, arrayDelimiter)
	}
	return ValueText(v)
}

// arrayDelimiter separates list items in the CSV formats: ";" is
// neo4j-admin's default array delimiter (and label delimiter). An item
// that itself holds ";" is split in two by neo4j-admin (docs/export.md).
const arrayDelimiter = ";"

func optDate(d *graph.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// newCSVWriter writes nodes.csv and edges.csv for people: every cell
// neutralised against spreadsheet formulas (csvsafe), lists joined with
// ";".
func newCSVWriter(w *bufio.Writer, second func() (*bufio.Writer, error), keys graph.PropertyKeys) *table {
	open := func(w *bufio.Writer) rowWriter { return csvsafe.NewWriter(w) }
	t := &table{open: open, second: second, nodes: open(w),
		nodeKeys: slices.Sorted(maps.Keys(keys.Node)), edgeKeys: slices.Sorted(maps.Keys(keys.Edge))}
	t.nodeHead = append([]string{"id", "kinds", "name", "aliases", "sources"}, t.nodeKeys...)
	t.edgeHead = append([]string{"id", "type", "from", "to", "key", "evidence", "since", "until", "sources"}, t.edgeKeys...)
	t.nodeRow = func(e graph.Entity) []string {
		return []string{e.ID, joinKindsWith(e.Kinds, arrayDelimiter), e.Name,
			strings.Join(e.Aliases, arrayDelimiter), strings.Join(e.Sources, arrayDelimiter)}
	}
	t.edgeRow = func(r graph.Relationship) []string {
		return []string{r.ID, string(r.Type), r.From, r.To, r.Key, string(r.Evidence),
			optDate(r.Since), optDate(r.Until), strings.Join(r.Sources, arrayDelimiter)}
	}
	return t
}

func joinKindsWith(ks []graph.Kind, sep string) string {
	return strings.ReplaceAll(joinKinds(ks), "|", sep)
}

// newAdminWriter writes nodes.csv and relationships.csv in the layout of
// neo4j-admin database import full (docs/export.md gives the command):
// typed headers (id:ID, :LABEL, name, aliases:string[], …; :START_ID,
// :END_ID, :TYPE, …), the values exactly as stored (no spreadsheet
// neutralising: Neo4j reads these), lists and labels separated by ";".
// The nodes get the labels the service gives them (Entity and the kind
// labels), the relationships the properties it reads (evidence_rank
// included), so the imported database serves as it is.
func newAdminWriter(w *bufio.Writer, second func() (*bufio.Writer, error), keys graph.PropertyKeys) *table {
	open := func(w *bufio.Writer) rowWriter { return csv.NewWriter(w) }
	t := &table{open: open, second: second, nodes: open(w),
		nodeKeys: slices.Sorted(maps.Keys(keys.Node)), edgeKeys: slices.Sorted(maps.Keys(keys.Edge))}
	t.nodeHead = []string{"id:ID", ":LABEL", "name", "aliases:string[]", "sources:string[]"}
	for _, k := range t.nodeKeys {
		t.nodeHead = append(t.nodeHead, k+keys.Node[k].AdminHeader())
	}
	t.edgeHead = []string{":START_ID", ":END_ID", ":TYPE", "id", "key", "evidence", "evidence_rank:long", "since:date", "until:date", "sources:string[]"}
	for _, k := range t.edgeKeys {
		t.edgeHead = append(t.edgeHead, k+keys.Edge[k].AdminHeader())
	}
	t.nodeRow = func(e graph.Entity) []string {
		return []string{e.ID, strings.Join(graph.Labels(e.Kinds), arrayDelimiter), e.Name,
			strings.Join(e.Aliases, arrayDelimiter), strings.Join(e.Sources, arrayDelimiter)}
	}
	t.edgeRow = func(r graph.Relationship) []string {
		return []string{r.From, r.To, string(r.Type), r.ID, r.Key, string(r.Evidence),
			strconv.Itoa(r.Evidence.Rank()), optDate(r.Since), optDate(r.Until), strings.Join(r.Sources, arrayDelimiter)}
	}
	return t
}
