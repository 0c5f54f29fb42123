package importer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/scamgraph/scamgraph/graph"
)

// Imports of other tools' records (FtM, ICIJ Offshore Leaks) cannot be
// read one line at a time as our own format is: a relationship may come
// before its ends, and its type depends on what they are (a company
// director is not a person director), and the sources (one per dataset or
// leak) and the sanction authorities are named on many lines but must be
// written once. So such an import first reads its files once more, the
// "index" pass, and keeps only a hash of each id with its kinds, and the
// few synthetic entities (sources, authorities) with what they aggregate.
// Memory grows with the number of ids (a few bytes each, as the
// importer's own id table does), never with the file.

// refIndex is what the index pass learns of an import's FtM and ICIJ files.
type refIndex struct {
	kinds map[uint64]kindMask  // namespaced id (hashed) -> kinds its own record gives it
	synth map[string]*synthRec // synthetic entity id -> where it is written and what it holds
	// sourceDate is the publication date of a source the records give no
	// date for (Options.SourceDate); zero for none.
	sourceDate graph.Date
	// ns prefixes every id the records get (Options.IDNamespace); the
	// index itself keeps them without it.
	ns string
	// ends is each indexed file's last line: its synthetic entities are
	// numbered after it (synthRec).
	ends map[string]int
}

// synthRec is a synthetic entity: a source per dataset or leak, an
// authority named by sanctions. It is emitted once, by the first file that
// names it, before that file's first line (the index pass knows it
// whole), so that the entities citing a dataset source find it written and
// share its write pass (importFiles' sourcesFirst) instead of a pass of
// their own. It is numbered after the file's last line ("last line + 1",
// as the index pass counted them), so that pass after pass the same
// records come at the same lines and a problem with one points past the
// file's rows.
type synthRec struct {
	file   string // the path of the file that emits it
	order  int    // emission order
	entity graph.Entity
	first  string // earliest date seen (YYYY-MM-DD), for sources
	last   string // latest date seen
	err    string // why it cannot be built, reported at its line
}

func newRefIndex(sourceDate graph.Date) *refIndex {
	return &refIndex{kinds: map[uint64]kindMask{}, synth: map[string]*synthRec{}, sourceDate: sourceDate, ends: map[string]int{}}
}

// namespaced wraps fn so that the records it gets carry x.ns before every
// id they hold or cite.
func (x *refIndex) namespaced(fn visit) visit {
	if x.ns == "" {
		return fn
	}
	ns := func(l []string) []string {
		out := make([]string, len(l))
		for i, s := range l {
			out[i] = x.ns + s
		}
		return out
	}
	return func(line int, rec Record, err error) error {
		if e := rec.Entity; e != nil && err == nil {
			c := *e
			c.ID, c.Sources = x.ns+c.ID, ns(c.Sources)
			rec.Entity = &c
		}
		if r := rec.Relationship; r != nil && err == nil {
			c := *r
			c.From, c.To, c.Sources = x.ns+c.From, x.ns+c.To, ns(c.Sources)
			c.ID = graph.RelationshipID(c.From, c.Type, c.To, c.Key)
			rec.Relationship = &c
		}
		return fn(line, rec, err)
	}
}

// addKinds notes the kinds an id's own record gives it.
func (x *refIndex) addKinds(id string, kinds []graph.Kind) {
	h := hashID(id)
	x.kinds[h] |= maskOf(kinds)
}

// kindsOf returns the kinds the input gives id, or false when it is not
// defined in the input (it may be in the graph).
func (x *refIndex) kindsOf(id string) ([]graph.Kind, bool) {
	m, ok := x.kinds[hashID(id)]
	return m.kinds(), ok
}

// noteSynth records that file names the synthetic entity e: the first file
// emits it; sources, aliases and kinds are unions; dates widen first/last.
func (x *refIndex) noteSynth(file string, e graph.Entity, first, last string) *synthRec {
	s, ok := x.synth[e.ID]
	if !ok {
		s = &synthRec{file: file, order: len(x.synth), entity: e}
		x.synth[e.ID] = s
	} else {
		s.entity.Sources = graph.NormalizeStrings(append(s.entity.Sources, e.Sources...))
		s.entity.Aliases = graph.NormalizeStrings(append(s.entity.Aliases, e.Aliases...))
		for k, v := range e.Properties {
			if _, set := s.entity.Properties[k]; !set {
				s.entity.Properties[k] = v
			}
		}
	}
	if first != "" && (s.first == "" || first < s.first) {
		s.first = first
	}
	if last == "" {
		last = first
	}
	if last > s.last {
		s.last = last
	}
	return s
}

// synthFor lists, in order, the synthetic entities file emits: the
// sources first (the authorities cite them), then in the order the file
// named them.
func (x *refIndex) synthFor(file string) []*synthRec {
	var out []*synthRec
	for _, s := range x.synth {
		if s.file == file {
			out = append(out, s)
		}
	}
	isSource := func(s *synthRec) int {
		if s.entity.HasKind(graph.KindSource) {
			return 0
		}
		return 1
	}
	slices.SortFunc(out, func(a, b *synthRec) int {
		if d := isSource(a) - isSource(b); d != 0 {
			return d
		}
		return a.order - b.order
	})
	return out
}

// emitSynth hands file's synthetic entities to fn, numbered after the
// file's last line as the index pass counted them; the scanners call it
// before the file's first row (synthRec). A source takes its first/last
// dates: published is the earliest, unless none is known, when the
// import's SourceDate stands in.
func (x *refIndex) emitSynth(file string, fn visit) error {
	for i, s := range x.synthFor(file) {
		line := x.ends[file] + 1 + i
		e := s.entity
		e.Properties = maps2(e.Properties)
		if e.HasKind(graph.KindSource) {
			switch {
			case s.first != "":
				e.Properties["published"] = graph.DateValue(mustDate(s.first))
				if strings.HasPrefix(e.ID, "source:ftm:") {
					e.Properties["first_seen"] = graph.StringValue(s.first)
					e.Properties["last_seen"] = graph.StringValue(s.last)
				}
			case !x.sourceDate.IsZero():
				e.Properties["published"] = graph.DateValue(x.sourceDate)
			default:
				if err := fn(line, Record{}, fmt.Errorf("published: source %q: the records give no date (first_seen, last_seen); give one with --source-date", e.ID)); err != nil {
					return err
				}
				continue
			}
		}
		if s.err != "" {
			if err := fn(line, Record{}, errors.New(s.err)); err != nil {
				return err
			}
			continue
		}
		rec, err := entityRecord(e)
		if err != nil {
			err = fmt.Errorf("%s (synthetic entity %q)", err, e.ID)
		}
		if err := fn(line, rec, err); err != nil {
			return err
		}
	}
	return nil
}

func maps2(m map[string]graph.Value) map[string]graph.Value {
	out := make(map[string]graph.Value, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func mustDate(s string) graph.Date {
	d, _ := graph.ParseDate(s)
	return d
}

// entityRecord validates and normalises a built entity as buildEntity does.
func entityRecord(e graph.Entity) (Record, error) {
	e.Kinds = graph.NormalizeKinds(e.Kinds)
	if err := graph.ValidateEntity(e); err != nil {
		return Record{}, err
	}
	e.Aliases = graph.NormalizeStrings(e.Aliases)
	e.Sources = graph.NormalizeStrings(e.Sources)
	return Record{Entity: &e}, nil
}

// relRecord validates and normalises a built relationship.
func relRecord(r graph.Relationship) (Record, error) {
	r.ID = graph.RelationshipID(r.From, r.Type, r.To, r.Key)
	if err := graph.ValidateRelationship(r); err != nil {
		return Record{}, err
	}
	r.Sources = graph.NormalizeStrings(r.Sources)
	return Record{Relationship: &r}, nil
}

// pickType is the first of types whose endpoint kinds fit the ends as the
// input defines them (an end the input does not define fits: the check
// pass decides against the graph); the last type when none fits, for the
// check pass to refuse with its reason.
func (x *refIndex) pickType(types []graph.RelType, from, to string) graph.RelType {
	fk, fok := x.kindsOf(from)
	tk, tok := x.kindsOf(to)
	for _, t := range types {
		ends := graph.EndpointsOf(t)
		if (!fok || graph.EndpointsFit(ends.From, fk)) && (!tok || graph.EndpointsFit(ends.To, tk)) {
			return t
		}
	}
	return types[len(types)-1]
}

// slug turns text into an id part: lower case letters and digits, other
// runs as one '-', at most 80 bytes.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) && r < 128 || unicode.IsDigit(r) && r < 128 {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

// indexFiles runs the index pass over the files that need one and returns
// the index (nil when no file needs one).
func (im *Importer) indexFiles(ctx context.Context, files []inputFile) (*refIndex, error) {
	var x *refIndex
	for _, f := range files {
		if f.format != FormatFTM && f.format != FormatICIJ {
			continue
		}
		if x == nil {
			x = newRefIndex(im.opts.SourceDate)
			x.ns = im.opts.IDNamespace
		}
		if err := im.indexFile(ctx, f, x); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// needsIndex reports whether any file needs the index pass.
func needsIndex(files []inputFile) bool {
	return slices.ContainsFunc(files, func(f inputFile) bool { return f.format == FormatFTM || f.format == FormatICIJ })
}

// indexFile runs the index pass over one file.
func (im *Importer) indexFile(ctx context.Context, f inputFile, x *refIndex) error {
	fh, err := os.Open(f.path)
	if err != nil {
		return graph.WrapError(graph.CodeInvalid, err, "cannot open %s", f.name)
	}
	defer fh.Close()
	im.opts.Progress.Phase("index", f.name)
	cr := newCounting(fh, im.opts.Progress.Bytes)
	// Bad lines are reported by the validate pass; here they only teach nothing.
	ignore := func(int, Record, error) error { return ctx.Err() }
	if f.format == FormatICIJ {
		err = scanICIJ(cr, im.opts.MaxLineBytes, f.path, x, true, ignore)
	} else {
		err = scanFTM(cr, im.opts.MaxLineBytes, f.path, x, true, ignore)
	}
	if err != nil {
		return fmt.Errorf("index %s: %w", f.name, err)
	}
	return nil
}

// expandAs is Expand with a forced format (Options.Format): files given by
// name take it whatever their extension; in a directory, --format ftm
// takes the .json, .jsonl and .ndjson files as FtM and --format icij the
// .csv files as ICIJ's.
func expandAs(paths []string, forced Format) ([]inputFile, error) {
	if forced == "" {
		return Expand(paths)
	}
	var out []inputFile
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, graph.WrapError(graph.CodeInvalid, err, "cannot read %s", p)
		}
		if !st.IsDir() {
			out = append(out, inputFile{path: p, name: p, format: forced, size: st.Size()})
			continue
		}
		exts := map[Format][]string{FormatFTM: {".json", ".jsonl", ".ndjson"}, FormatICIJ: {".csv"},
			FormatNDJSON: {".ndjson", ".jsonl"}, FormatCSV: {".csv"}}[forced]
		var found []inputFile
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || strings.HasPrefix(d.Name(), ".") || !slices.Contains(exts, strings.ToLower(filepath.Ext(path))) {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			found = append(found, inputFile{path: path, name: path, format: forced, size: info.Size()})
			return nil
		})
		if err != nil {
			return nil, graph.WrapError(graph.CodeInvalid, err, "cannot read directory %s", p)
		}
		if len(found) == 0 {
			return nil, graph.Errorf(graph.CodeInvalid, "file", "%s: no %s files for --format %s", p, strings.Join(exts, ", "), forced)
		}
		if forced == FormatICIJ {
			sortICIJ(found)
		} else {
			slices.SortFunc(found, func(a, b inputFile) int { return strings.Compare(a.path, b.path) })
		}
		out = append(out, found...)
	}
	return out, nil
}
