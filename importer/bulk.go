package importer

// The bulk path for first loads (docs/import-bulk.md): the same passes as
// a transactional import (validate, check, then sources, entities and
// relationships in order), over a store that is an empty graph and keeps
// what it is given in spill files instead of writing to Neo4j. Finish then
// folds the records of each id the way the Neo4j store merges them
// (graph.MergeEntity, graph.MergeRelationship, in the order given), adds
// the MENTIONED_IN links entity-upsert makes, and writes the CSV files
// `neo4j-admin database import full` reads, with the options to read them
// (import.args) and our schema (schema.cypher, one statement a line).

import (
	"bufio"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/queries"
)

// BulkResult is what a bulk load wrote.
type BulkResult struct {
	Dir           string   `json:"dir"`           // the neo4j-admin files
	Args          string   `json:"args"`          // Dir/import.args: neo4j-admin's options, one a line
	Schema        string   `json:"schema"`        // Dir/schema.cypher
	Files         []string `json:"files"`         // the CSV files, in Dir
	Nodes         int      `json:"nodes"`         // entities and import runs
	Relationships int      `json:"relationships"` // typed relationships and MENTIONED_IN
	Multiline     bool     `json:"multiline"`     // some value holds a line break (--multiline-fields)
}

// ErrBulkDirNotEmpty is returned when the directory for the files holds files.
var ErrBulkDirNotEmpty = errors.New("the bulk directory is not empty")

// Bulk validates paths exactly as a transactional import into an empty
// graph would (opts as for New; DryRun, Resolve and Map are refused: they
// need a graph) and writes the neo4j-admin files into dir (created; it must
// be empty). Bad records refuse the load, reported in the Report as
// file:line: reason, and leave dir empty (unless opts.SkipBad).
func Bulk(ctx context.Context, paths []string, opts Options, dir string) (Report, BulkResult, error) {
	res := BulkResult{Dir: dir}
	switch {
	case opts.DryRun:
		return Report{}, res, graph.Errorf(graph.CodeInvalid, "dry-run", "a bulk load has no dry run: scamgraph import --dry-run validates the same way")
	case opts.Resolve || len(opts.Map) > 0:
		return Report{}, res, graph.Errorf(graph.CodeInvalid, "resolve", "--resolve and --map match against a graph; a bulk load builds a new one")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Report{}, res, fmt.Errorf("bulk: %w", err)
	}
	if ents, err := os.ReadDir(dir); err != nil {
		return Report{}, res, fmt.Errorf("bulk: %w", err)
	} else if len(ents) > 0 {
		return Report{}, res, fmt.Errorf("%w: %s", ErrBulkDirNotEmpty, dir)
	}
	st, err := newBulkStore(dir)
	if err != nil {
		return Report{}, res, err
	}
	clean := func() {
		st.close()
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			_ = os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
	rep, err := New(st, opts).ImportPaths(ctx, paths)
	if err != nil {
		clean()
		return rep, res, err
	}
	if res, err = st.finish(ctx); err != nil {
		clean()
		return rep, res, err
	}
	return rep, res, nil
}

// bulkEntity is what the store knows of one entity id.
type bulkEntity struct {
	kinds   kindMask
	records uint32
}

// bulkStore is a graph.ImportStore over an empty graph that spills what
// it is given (see Bulk).
type bulkStore struct {
	dir        string
	entFile    *os.File
	relFile    *os.File
	entBuf     *bufio.Writer
	relBuf     *bufio.Writer
	entEnc     *gob.Encoder
	relEnc     *gob.Encoder
	ents       map[uint64]bulkEntity
	rels       map[uint64]uint32 // records per relationship id
	runs       []graph.ImportRun
	nodeTypes  map[string]map[graph.ValueType]bool // free property key -> the types it has
	edgeTypes  map[string]map[graph.ValueType]bool
	listText   []string // every list item, to choose a delimiter none holds: see noteText
	delimiters []rune   // candidate array delimiters not yet seen in a list item
	multiline  bool
	started    time.Time
}

// arrayDelimiters are the characters a load may separate list items and
// labels with: the first that no list item holds is used.
var arrayDelimiters = []rune{0x1F, 0x1E, 0x1D, 0x1C, 0xE000, 0xE001, 0xE002, 0xFDD0}

func newBulkStore(dir string) (*bulkStore, error) {
	s := &bulkStore{dir: dir, ents: map[uint64]bulkEntity{}, rels: map[uint64]uint32{},
		nodeTypes: map[string]map[graph.ValueType]bool{}, edgeTypes: map[string]map[graph.ValueType]bool{},
		delimiters: slices.Clone(arrayDelimiters), started: time.Now().UTC()}
	var err error
	if s.entFile, err = os.Create(filepath.Join(dir, ".entities.spill")); err != nil {
		return nil, fmt.Errorf("bulk: %w", err)
	}
	if s.relFile, err = os.Create(filepath.Join(dir, ".relationships.spill")); err != nil {
		s.entFile.Close()
		return nil, fmt.Errorf("bulk: %w", err)
	}
	s.entBuf, s.relBuf = bufio.NewWriterSize(s.entFile, 1<<20), bufio.NewWriterSize(s.relFile, 1<<20)
	s.entEnc, s.relEnc = gob.NewEncoder(s.entBuf), gob.NewEncoder(s.relBuf)
	return s, nil
}

func (s *bulkStore) close() {
	if s.entFile != nil {
		s.entFile.Close()
		s.relFile.Close()
	}
}

var _ graph.ImportStore = (*bulkStore)(nil)

// StoredEntities: the graph is empty.
func (s *bulkStore) StoredEntities(context.Context, []string) (map[string]graph.Entity, error) {
	return map[string]graph.Entity{}, nil
}

// noteText keeps the delimiter candidates no list item holds and notes
// line breaks (which need neo4j-admin's --multiline-fields).
func (s *bulkStore) noteText(list bool, vals ...string) {
	for _, v := range vals {
		if !s.multiline && strings.ContainsAny(v, "\r\n") {
			s.multiline = true
		}
		if list {
			s.delimiters = slices.DeleteFunc(s.delimiters, func(r rune) bool { return strings.ContainsRune(v, r) })
		}
	}
}

func (s *bulkStore) noteProps(types map[string]map[graph.ValueType]bool, props map[string]graph.Value) {
	for k, v := range props {
		if types[k] == nil {
			types[k] = map[graph.ValueType]bool{}
		}
		types[k][storedType(v)] = true
		s.noteText(v.Type == graph.TypeStrings, append([]string{v.S}, v.L...)...)
	}
}

// WriteEntities spills the batch; every record of a new id is created.
func (s *bulkStore) WriteEntities(_ context.Context, batch []graph.Entity, opts graph.WriteOptions) ([]graph.ItemResult, error) {
	out := make([]graph.ItemResult, len(batch))
	for i, e := range batch {
		h := hashID(e.ID)
		info := s.ents[h]
		cur := graph.Entity{ID: e.ID, Kinds: info.kinds.kinds()}
		if _, err := graph.CheckEntityWrite(cur, e, false, ""); err != nil {
			out[i] = graph.ItemResult{Outcome: graph.OutcomeRefused, Err: err}
			continue
		}
		if err := s.entEnc.Encode(&e); err != nil {
			return nil, fmt.Errorf("bulk: spill entities: %w", err)
		}
		info.kinds |= maskOf(graph.KindsFromLabels(graph.Labels(e.Kinds)))
		info.records++
		s.ents[h] = info
		s.noteText(false, e.ID, e.Name)
		s.noteText(true, e.Aliases...)
		s.noteText(true, e.Sources...)
		s.noteProps(s.nodeTypes, e.Properties)
		out[i] = graph.ItemResult{Outcome: graph.OutcomeCreated}
	}
	return out, nil
}

// WriteRelationships refuses what the Neo4j store refuses (an end not
// written, endpoint kinds that do not fit) and spills the rest.
func (s *bulkStore) WriteRelationships(_ context.Context, batch []graph.Relationship, opts graph.WriteOptions) ([]graph.ItemResult, error) {
	out := make([]graph.ItemResult, len(batch))
	for i, r := range batch {
		from, okFrom := s.ents[hashID(r.From)]
		to, okTo := s.ents[hashID(r.To)]
		var err error
		switch {
		case !okFrom:
			err = graph.Errorf(graph.CodeInvalid, "from", "references %q, which is not in the graph", r.From)
		case !okTo:
			err = graph.Errorf(graph.CodeInvalid, "to", "references %q, which is not in the graph", r.To)
		default:
			err = graph.CheckRelationshipWrite(r, from.kinds.kinds(), to.kinds.kinds(), false)
		}
		if err != nil {
			out[i] = graph.ItemResult{Outcome: graph.OutcomeRefused, Err: err}
			continue
		}
		if err := s.relEnc.Encode(&r); err != nil {
			return nil, fmt.Errorf("bulk: spill relationships: %w", err)
		}
		s.rels[hashID(r.ID)]++
		s.noteText(false, r.ID, r.Key)
		s.noteText(true, r.Sources...)
		s.noteProps(s.edgeTypes, r.Properties)
		out[i] = graph.ItemResult{Outcome: graph.OutcomeCreated}
	}
	return out, nil
}

// SaveImportRun keeps the run's latest state; it becomes an :ImportRun node.
func (s *bulkStore) SaveImportRun(_ context.Context, run graph.ImportRun) error {
	for i := range s.runs {
		if s.runs[i].ID == run.ID {
			s.runs[i] = run
			return nil
		}
	}
	s.runs = append(s.runs, run)
	return nil
}

// ImportRun returns a run of this load.
func (s *bulkStore) ImportRun(_ context.Context, id string) (graph.ImportRun, error) {
	for _, r := range s.runs {
		if r.ID == id {
			return r, nil
		}
	}
	return graph.ImportRun{}, graph.Errorf(graph.CodeNotFound, "id", "no import run %q", id)
}

// spillRead decodes every record of a spill file, in the order written.
func spillRead[T any](f *os.File, fn func(T) error) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	dec := gob.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	for {
		var v T
		if err := dec.Decode(&v); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
}

// finish writes the neo4j-admin files from the spills.
func (s *bulkStore) finish(ctx context.Context) (BulkResult, error) {
	res := BulkResult{Dir: s.dir, Args: filepath.Join(s.dir, "import.args"), Schema: filepath.Join(s.dir, "schema.cypher"), Multiline: s.multiline}
	if err := s.entBuf.Flush(); err != nil {
		return res, fmt.Errorf("bulk: spill entities: %w", err)
	}
	if err := s.relBuf.Flush(); err != nil {
		return res, fmt.Errorf("bulk: spill relationships: %w", err)
	}
	defer func() {
		s.close()
		_ = os.Remove(s.entFile.Name())
		_ = os.Remove(s.relFile.Name())
	}()
	if len(s.delimiters) == 0 {
		return res, fmt.Errorf("bulk: every candidate array delimiter (U+001C-U+001F, U+E000-U+E002, U+FDD0) occurs in a list item; use the transactional import")
	}
	delim := string(s.delimiters[0])
	stamp := s.started.Format(time.RFC3339Nano)
	w := &bulkWriter{dir: s.dir, delim: delim, files: map[string]*bulkFile{}}
	defer w.closeAll()

	// Entities: a record of an id given once is written as it comes; the
	// records of repeated ids are folded in memory (only those) and
	// written after.
	nodeCols := columnsOf(s.nodeTypes)
	folded := map[string]graph.Entity{}
	var order []string
	writeEntity := func(e graph.Entity) error {
		if err := w.node(e, nodeCols, stamp); err != nil {
			return err
		}
		for _, sid := range e.Sources {
			if src, ok := s.ents[hashID(sid)]; ok && src.kinds&maskOf([]graph.Kind{graph.KindSource}) != 0 {
				if err := w.mention(e.ID, sid); err != nil {
					return err
				}
			}
		}
		return ctx.Err()
	}
	err := spillRead(s.entFile, func(e graph.Entity) error {
		if s.ents[hashID(e.ID)].records == 1 {
			m, _ := graph.MergeEntity(graph.Entity{ID: e.ID}, e)
			return writeEntity(m)
		}
		cur, ok := folded[e.ID]
		if !ok {
			cur = graph.Entity{ID: e.ID}
			order = append(order, e.ID)
		}
		folded[e.ID], _ = graph.MergeEntity(cur, e)
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("bulk: entities: %w", err)
	}
	for _, id := range order {
		if err := writeEntity(folded[id]); err != nil {
			return res, fmt.Errorf("bulk: entities: %w", err)
		}
	}
	folded = nil

	// Relationships, the same way (the fold starts as the Neo4j store's does).
	edgeCols := columnsOf(s.edgeTypes)
	foldedRels := map[string]graph.Relationship{}
	var relOrder []string
	start := func(in graph.Relationship) graph.Relationship {
		return graph.Relationship{ID: in.ID, Type: in.Type, From: in.From, To: in.To, Key: in.Key, Evidence: in.Evidence}
	}
	err = spillRead(s.relFile, func(r graph.Relationship) error {
		if s.rels[hashID(r.ID)] == 1 {
			m, _ := graph.MergeRelationship(start(r), r)
			if err := w.edge(m, edgeCols, stamp); err != nil {
				return err
			}
			return ctx.Err()
		}
		cur, ok := foldedRels[r.ID]
		if !ok {
			cur = start(r)
			relOrder = append(relOrder, r.ID)
		}
		foldedRels[r.ID], _ = graph.MergeRelationship(cur, r)
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("bulk: relationships: %w", err)
	}
	for _, id := range relOrder {
		if err := w.edge(foldedRels[id], edgeCols, stamp); err != nil {
			return res, fmt.Errorf("bulk: relationships: %w", err)
		}
	}
	for _, run := range s.runs {
		if err := w.run(run); err != nil {
			return res, fmt.Errorf("bulk: import runs: %w", err)
		}
	}
	if err := w.closeAll(); err != nil {
		return res, err
	}
	res.Nodes, res.Relationships = w.nodes, w.edges
	res.Files = w.names()

	// neo4j-admin's options, one a line (picocli reads them as @import.args).
	args := []string{"--array-delimiter=U+" + fmt.Sprintf("%04X", s.delimiters[0]), "--id-type=string"}
	if s.multiline {
		args = append(args, "--multiline-fields=true")
	}
	for _, f := range w.order {
		b := w.files[f]
		if b.node {
			args = append(args, "--nodes="+filepath.Join(s.absDir(), f))
		} else {
			args = append(args, "--relationships="+filepath.Join(s.absDir(), f))
		}
	}
	if err := os.WriteFile(res.Args, []byte(strings.Join(args, "\n")+"\n"), 0o644); err != nil {
		return res, fmt.Errorf("bulk: %w", err)
	}
	stmts, err := queries.Schema()
	if err != nil {
		return res, fmt.Errorf("bulk: schema: %w", err)
	}
	// A statement with $after migrates an older store in batches (the
	// schema applier loops it); a store built here is written whole, with
	// what it adds (the relationship ends), so it is left out.
	stmts = slices.DeleteFunc(stmts, func(st string) bool { return strings.Contains(st, "$after") })
	for i, st := range stmts {
		stmts[i] = strings.Join(strings.Fields(st), " ")
	}
	if err := os.WriteFile(res.Schema, []byte(strings.Join(stmts, "\n")+"\n"), 0o644); err != nil {
		return res, fmt.Errorf("bulk: %w", err)
	}
	return res, nil
}

func (s *bulkStore) absDir() string {
	if d, err := filepath.Abs(s.dir); err == nil {
		return d
	}
	return s.dir
}

// column is one free property column: a key with one of its types.
type column struct {
	key string
	typ graph.ValueType
}

// bulkColumns are the free property columns of one kind of element: keys
// of one type have a column in every file; a key stored with several types
// (an int on one entity, a string on another) gets its column typed per
// file, each element going to the file whose types are its own.
type bulkColumns struct {
	fixed []column
	mixed []string // keys of several types, sorted
}

func columnsOf(types map[string]map[graph.ValueType]bool) bulkColumns {
	var c bulkColumns
	for _, k := range slices.Sorted(maps.Keys(types)) {
		if len(types[k]) == 1 {
			for t := range types[k] {
				c.fixed = append(c.fixed, column{k, t})
			}
		} else {
			c.mixed = append(c.mixed, k)
		}
	}
	return c
}

// storedType is the type a value is stored with: a date that does not
// parse is stored as the string it is (paramValue in graph/neo4jdb).
func storedType(v graph.Value) graph.ValueType {
	if v.Type == graph.TypeDate {
		if _, err := graph.ParseDate(v.S); err != nil {
			return graph.TypeString
		}
	}
	return v.Type
}

// layout is the columns of an element with props: the fixed ones, then the
// mixed keys typed as the element has them (absent ones as strings), and
// a signature that names the layout.
func (c bulkColumns) layout(props map[string]graph.Value) ([]column, string) {
	if len(c.mixed) == 0 {
		return c.fixed, ""
	}
	cols := slices.Clone(c.fixed)
	sig := make([]string, 0, len(c.mixed))
	for _, k := range c.mixed {
		t := graph.TypeString
		if v, ok := props[k]; ok {
			t = storedType(v)
		}
		cols = append(cols, column{k, t})
		sig = append(sig, string(t))
	}
	return cols, strings.Join(sig, ",")
}

// bulkFile is one CSV file being written.
type bulkFile struct {
	f    *os.File
	w    *bufio.Writer
	node bool
}

// bulkWriter writes the CSV files, one per header.
type bulkWriter struct {
	dir          string
	delim        string
	files        map[string]*bulkFile // by file name
	byHead       map[string]string    // header -> file name
	order        []string             // file names, in the order created
	nodes, edges int
	row          []string
}

func (w *bulkWriter) names() []string { return slices.Clone(w.order) }

// file returns the file of prefix and layout signature sig, creating it
// with the header head makes.
func (w *bulkWriter) file(prefix, sig string, head func() []string, node bool) (*bulkFile, error) {
	if w.byHead == nil {
		w.byHead = map[string]string{}
	}
	key := prefix + "\x00" + sig
	if name, ok := w.byHead[key]; ok {
		return w.files[name], nil
	}
	n := 0
	for _, name := range w.order {
		if strings.HasPrefix(name, prefix+"-") {
			n++
		}
	}
	name := fmt.Sprintf("%s-%d.csv", prefix, n+1)
	f, err := os.Create(filepath.Join(w.dir, name))
	if err != nil {
		return nil, fmt.Errorf("bulk: %w", err)
	}
	b := &bulkFile{f: f, w: bufio.NewWriterSize(f, 1<<20), node: node}
	w.files[name], w.byHead[key] = b, name
	w.order = append(w.order, name)
	if _, err := b.w.WriteString(strings.Join(head(), ",") + "\n"); err != nil {
		return nil, fmt.Errorf("bulk: %w", err)
	}
	return b, nil
}

func (w *bulkWriter) closeAll() error {
	var first error
	for _, name := range w.order {
		b := w.files[name]
		if b.f == nil {
			continue
		}
		if err := b.w.Flush(); err != nil && first == nil {
			first = fmt.Errorf("bulk: %w", err)
		}
		if err := b.f.Close(); err != nil && first == nil {
			first = fmt.Errorf("bulk: %w", err)
		}
		b.f = nil
	}
	return first
}

// quote is a CSV string cell: always quoted, so an empty string stays one
// (an unquoted empty cell is no property).
func quote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func (w *bulkWriter) list(l []string) string {
	if len(l) == 0 {
		return ""
	}
	return quote(strings.Join(l, w.delim))
}

// cell is a free property value as neo4j-admin reads a column of its type.
func (w *bulkWriter) cell(v graph.Value) string {
	switch v.Type {
	case graph.TypeInt:
		return strconv.FormatInt(v.I, 10)
	case graph.TypeFloat:
		return strconv.FormatFloat(v.F, 'g', -1, 64)
	case graph.TypeBool:
		return strconv.FormatBool(v.B)
	case graph.TypeStrings:
		return w.list(v.L)
	case graph.TypeDate:
		if d, err := graph.ParseDate(v.S); err == nil {
			return d.String()
		}
	}
	return quote(v.S)
}

func (w *bulkWriter) props(cols []column, props map[string]graph.Value) {
	for _, c := range cols {
		v, ok := props[c.key]
		if !ok || storedType(v) != c.typ {
			w.row = append(w.row, "")
			continue
		}
		w.row = append(w.row, w.cell(v))
	}
}

func (w *bulkWriter) emit(b *bulkFile) error {
	_, err := b.w.WriteString(strings.Join(w.row, ",") + "\n")
	if err != nil {
		return fmt.Errorf("bulk: %w", err)
	}
	return nil
}

func header(fixed []string, cols []column, tail ...string) []string {
	head := slices.Clone(fixed)
	for _, c := range cols {
		head = append(head, c.key+c.typ.AdminHeader())
	}
	return append(head, tail...)
}

// node writes an entity as entity-upsert stores it: its labels, id, name,
// aliases and sources (when any), free properties, created_at and
// updated_at.
func (w *bulkWriter) node(e graph.Entity, cols bulkColumns, stamp string) error {
	lay, sig := cols.layout(e.Properties)
	b, err := w.file("entities", sig, func() []string {
		return header([]string{"id:ID(Entity)", ":LABEL", "name", "aliases:string[]", "sources:string[]"},
			lay, "created_at:datetime", "updated_at:datetime")
	}, true)
	if err != nil {
		return err
	}
	w.row = append(w.row[:0], quote(e.ID), quote(strings.Join(graph.Labels(e.Kinds), w.delim)), quote(e.Name), w.list(e.Aliases), w.list(e.Sources))
	w.props(lay, e.Properties)
	w.row = append(w.row, stamp, stamp)
	w.nodes++
	return w.emit(b)
}

// mention writes the MENTIONED_IN link of an entity to a source it cites.
func (w *bulkWriter) mention(from, source string) error {
	b, err := w.file("mentioned-in", "", func() []string { return []string{":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"} }, false)
	if err != nil {
		return err
	}
	w.row = append(w.row[:0], quote(from), quote(source), "MENTIONED_IN")
	w.edges++
	return w.emit(b)
}

// edge writes a relationship as relationship-upsert stores it.
func (w *bulkWriter) edge(r graph.Relationship, cols bulkColumns, stamp string) error {
	lay, sig := cols.layout(r.Properties)
	b, err := w.file("relationships", sig, func() []string {
		return header([]string{":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "id", "key", "evidence",
			"evidence_rank:long", "since:date", "until:date", "sources:string[]", queries.RelFromKey, queries.RelToKey}, lay, "created_at:datetime", "updated_at:datetime")
	}, false)
	if err != nil {
		return err
	}
	key := ""
	if r.Key != "" {
		key = quote(r.Key)
	}
	date := func(d *graph.Date) string {
		if d == nil {
			return ""
		}
		return d.String()
	}
	w.row = append(w.row[:0], quote(r.From), quote(r.To), string(r.Type), quote(r.ID), key, quote(string(r.Evidence)),
		strconv.Itoa(r.Evidence.Rank()), date(r.Since), date(r.Until), w.list(r.Sources), quote(r.From), quote(r.To))
	w.props(lay, r.Properties)
	w.row = append(w.row, stamp, stamp)
	w.edges++
	return w.emit(b)
}

// run writes an import run as import-run-save stores it.
func (w *bulkWriter) run(run graph.ImportRun) error {
	b, err := w.file("import-runs", "", func() []string {
		return []string{"id:ID(ImportRun)", ":LABEL", "file", "checksum", "format", "dry_run:boolean", "status",
			"records:long", "rejected:long", "entities_created:long", "entities_updated:long", "entities_unchanged:long",
			"relationships_created:long", "relationships_updated:long", "relationships_unchanged:long",
			"started_at:datetime", "finished_at:datetime", "error"}
	}, true)
	if err != nil {
		return err
	}
	n := func(i int) string { return strconv.Itoa(i) }
	finished := ""
	if run.FinishedAt != nil {
		finished = run.FinishedAt.UTC().Format(time.RFC3339Nano)
	}
	w.row = append(w.row[:0], quote(run.ID), "ImportRun", quote(run.File), quote(run.Checksum), quote(run.Format),
		strconv.FormatBool(run.DryRun), quote(run.Status), n(run.Records), n(run.Rejected),
		n(run.Entities.Created), n(run.Entities.Updated), n(run.Entities.Unchanged),
		n(run.Relationships.Created), n(run.Relationships.Updated), n(run.Relationships.Unchanged),
		run.StartedAt.UTC().Format(time.RFC3339Nano), finished, quote(run.Error))
	w.nodes++
	return w.emit(b)
}
