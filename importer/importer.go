// Package importer loads investigation reports, written as NDJSON or CSV
// import files (docs/import-format.md), into the graph through the
// graph.ImportStore interface.
//
// An import validates every record of every file before it writes anything.
// It then streams the files again, three times: sources first (so that every
// other entity can be linked to them), then the other entities, then the
// relationships, each in batches of one transaction. Memory stays flat: only
// a hash of each defined id is kept, and the ids referenced before they are
// defined.
package importer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/scamgraph/scamgraph/graph"
)

// Options tune an import.
type Options struct {
	BatchSize    int  // records per transaction (default 5000)
	SkipBad      bool // import the good records of a file with bad ones
	DryRun       bool // write nothing; report what would change
	MaxLineBytes int  // default DefaultMaxLineBytes
	MaxProblems  int  // problems kept in the report (default 1000); all are counted
	Progress     Progress
	Logger       *slog.Logger
}

// Problem is one bad record: where it is and why it was refused.
type Problem struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Reason) }

// FileReport is what happened to one file.
type FileReport struct {
	RunID         string           `json:"run_id,omitempty"`
	File          string           `json:"file"`
	Format        Format           `json:"format"`
	Checksum      string           `json:"checksum"`
	Bytes         int64            `json:"bytes"`
	Records       int              `json:"records"`
	Rejected      int              `json:"rejected"`
	Entities      graph.WriteStats `json:"entities"`
	Relationships graph.WriteStats `json:"relationships"`
}

// Report is the outcome of an import.
type Report struct {
	DryRun        bool             `json:"dry_run"`
	Files         []FileReport     `json:"files"`
	Records       int              `json:"records"`
	Rejected      int              `json:"rejected"`
	Problems      []Problem        `json:"problems"`
	Entities      graph.WriteStats `json:"entities"`
	Relationships graph.WriteStats `json:"relationships"`
	Written       bool             `json:"written"` // false when bad records stopped the import
	Duration      time.Duration    `json:"duration_ns"`
}

// Changes counts what was (or would be) created or updated.
func (r Report) Changes() int { return r.Entities.Changes() + r.Relationships.Changes() }

// ErrRejected is returned (wrapped) when bad records stopped an import.
var ErrRejected = errors.New("import rejected: the input has bad records")

// Importer imports files into a store.
type Importer struct {
	store graph.ImportStore
	opts  Options
}

// New returns an importer writing to store.
func New(store graph.ImportStore, opts Options) *Importer {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 5000
	}
	if opts.MaxLineBytes <= 0 {
		opts.MaxLineBytes = DefaultMaxLineBytes
	}
	if opts.MaxProblems <= 0 {
		opts.MaxProblems = 1000
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Progress == nil {
		opts.Progress = nopProgress{}
	}
	return &Importer{store: store, opts: opts}
}

// inputFile is one file of an import.
type inputFile struct {
	path   string
	name   string // as reported: the path given, or dir-relative
	format Format
	size   int64
}

// Expand turns files and directories into the list of import files, a
// directory's *.ndjson, *.jsonl and *.csv files in lexical order.
func Expand(paths []string) ([]inputFile, error) {
	var out []inputFile
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, graph.WrapError(graph.CodeInvalid, err, "cannot read %s", p)
		}
		if !st.IsDir() {
			f := FormatOf(p)
			if f == "" {
				return nil, graph.Errorf(graph.CodeInvalid, "file", "%s: unsupported file type (want .ndjson, .jsonl or .csv)", p)
			}
			out = append(out, inputFile{path: p, name: p, format: f, size: st.Size()})
			continue
		}
		var found []inputFile
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			if f := FormatOf(path); f != "" {
				info, err := d.Info()
				if err != nil {
					return err
				}
				found = append(found, inputFile{path: path, name: path, format: f, size: info.Size()})
			}
			return nil
		})
		if err != nil {
			return nil, graph.WrapError(graph.CodeInvalid, err, "cannot read directory %s", p)
		}
		if len(found) == 0 {
			return nil, graph.Errorf(graph.CodeInvalid, "file", "%s: no .ndjson, .jsonl or .csv files", p)
		}
		sort.Slice(found, func(i, j int) bool { return found[i].path < found[j].path })
		out = append(out, found...)
	}
	return out, nil
}

// ImportPaths imports files and directories as one unit: every record is
// validated before anything is written, and references may cross files.
func (im *Importer) ImportPaths(ctx context.Context, paths []string) (Report, error) {
	files, err := Expand(paths)
	if err != nil {
		return Report{DryRun: im.opts.DryRun}, err
	}
	return im.importFiles(ctx, files)
}

// ImportFile imports one file, reported under name (an upload's file name).
func (im *Importer) ImportFile(ctx context.Context, path, name string) (Report, error) {
	f := FormatOf(name)
	if f == "" {
		f = FormatOf(path)
	}
	if f == "" {
		return Report{DryRun: im.opts.DryRun}, graph.Errorf(graph.CodeInvalid, "file", "%s: unsupported file type (want .ndjson, .jsonl or .csv)", name)
	}
	st, err := os.Stat(path)
	if err != nil {
		return Report{DryRun: im.opts.DryRun}, graph.WrapError(graph.CodeInvalid, err, "cannot read %s", name)
	}
	return im.importFiles(ctx, []inputFile{{path: path, name: name, format: f, size: st.Size()}})
}

// idSet keeps 64-bit hashes of ids: a few bytes an id, whatever its length.
type idSet map[uint64]struct{}

func hashID(id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()
}

func (s idSet) add(id string)      { s[hashID(id)] = struct{}{} }
func (s idSet) has(id string) bool { _, ok := s[hashID(id)]; return ok }

// refsOf lists the ids a record points at.
func refsOf(rec Record) []string {
	if rec.Entity != nil {
		return rec.Entity.Sources
	}
	return append([]string{rec.Relationship.From, rec.Relationship.To}, rec.Relationship.Sources...)
}

func (im *Importer) importFiles(ctx context.Context, files []inputFile) (Report, error) {
	start := time.Now()
	rep := Report{DryRun: im.opts.DryRun, Problems: []Problem{}}
	var total int64
	for _, f := range files {
		total += f.size
	}
	// Four passes over the input: validate, sources, entities, relationships.
	im.opts.Progress.Start(total * 4)
	defer im.opts.Progress.Done()

	// Pass 1: parse and validate every record; learn the ids defined.
	defined := idSet{}
	pending := map[string]bool{} // referenced before (or without) being defined
	reports := make([]FileReport, len(files))
	bad := make([]map[int]bool, len(files))
	addProblem := func(i, line int, reason string) {
		if !bad[i][line] {
			bad[i][line] = true
			reports[i].Rejected++
			rep.Rejected++
		}
		if len(rep.Problems) < im.opts.MaxProblems {
			rep.Problems = append(rep.Problems, Problem{File: files[i].name, Line: line, Reason: reason})
		}
	}
	// Sources can share the entities' write pass when no entity cites a
	// source defined further on; phases skip files that hold none of
	// their records.
	sourcesFirst := true
	entityForward := map[string]bool{}
	type kinds struct{ sources, entities, rels int }
	has := make([]kinds, len(files))
	for i, f := range files {
		bad[i] = map[int]bool{}
		reports[i] = FileReport{File: f.name, Format: f.format}
		sum, n, err := im.scanFile(ctx, f, "validate", func(line int, rec Record, err error) error {
			reports[i].Records++
			rep.Records++
			if err != nil {
				addProblem(i, line, err.Error())
				return nil
			}
			switch {
			case rec.Relationship != nil:
				has[i].rels++
			case rec.Entity.HasKind(graph.KindSource):
				has[i].sources++
			default:
				has[i].entities++
			}
			if rec.Entity != nil {
				defined.add(rec.Entity.ID)
				delete(pending, rec.Entity.ID)
				if entityForward[rec.Entity.ID] {
					sourcesFirst = false
				}
			}
			for _, ref := range refsOf(rec) {
				if !defined.has(ref) {
					pending[ref] = true
					if rec.Entity != nil {
						entityForward[ref] = true
					}
				}
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
		reports[i].Checksum, reports[i].Bytes = sum, n
	}
	// References defined later in the input are resolved; the rest must
	// already be in the graph.
	var unresolved []string
	for ref := range pending {
		if !defined.has(ref) {
			unresolved = append(unresolved, ref)
		}
	}
	missing := map[string]bool{}
	for i := 0; i < len(unresolved); i += im.opts.BatchSize {
		chunk := unresolved[i:min(i+im.opts.BatchSize, len(unresolved))]
		exist, err := im.store.ExistingIDs(ctx, chunk)
		if err != nil {
			return rep, fmt.Errorf("check references: %w", err)
		}
		for _, id := range chunk {
			if !exist[id] {
				missing[id] = true
			}
		}
	}
	if len(missing) > 0 {
		for i, f := range files {
			if _, _, err := im.scanFile(ctx, f, "", func(line int, rec Record, err error) error {
				if err != nil {
					return nil
				}
				for _, ref := range refsOf(rec) {
					if missing[ref] {
						addProblem(i, line, fmt.Sprintf("references %q, which is neither in the input nor in the graph", ref))
						break
					}
				}
				return nil
			}); err != nil {
				return rep, err
			}
		}
	}
	rep.Files = reports
	if rep.Rejected > 0 && !im.opts.SkipBad {
		rep.Duration = time.Since(start)
		return rep, fmt.Errorf("%w: %d of %d records refused; nothing was written (use --skip-bad to import the good ones)",
			ErrRejected, rep.Rejected, rep.Records)
	}

	// Passes 2-4: write. Each file's run is recorded in the graph.
	runs := make([]graph.ImportRun, len(files))
	if !im.opts.DryRun {
		for i, f := range files {
			runs[i] = graph.ImportRun{ID: newRunID(), File: f.name, Checksum: reports[i].Checksum, Format: string(f.format),
				Status: "running", Records: reports[i].Records, Rejected: reports[i].Rejected, StartedAt: time.Now().UTC()}
			reports[i].RunID = runs[i].ID
			if err := im.store.SaveImportRun(ctx, runs[i]); err != nil {
				return rep, fmt.Errorf("record import run: %w", err)
			}
		}
	}
	fail := func(err error) (Report, error) {
		rep.Files = reports
		for i := range reports {
			rep.Entities.Add(reports[i].Entities)
			rep.Relationships.Add(reports[i].Relationships)
		}
		for i := range runs {
			if runs[i].ID == "" {
				continue
			}
			runs[i].Status, runs[i].Error = "failed", err.Error()
			now := time.Now().UTC()
			runs[i].FinishedAt = &now
			runs[i].Entities, runs[i].Relationships = reports[i].Entities, reports[i].Relationships
			// Best effort with a fresh context: the run's own may be done.
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			if serr := im.store.SaveImportRun(sctx, runs[i]); serr != nil {
				im.opts.Logger.Warn("record failed import run", "run", runs[i].ID, "err", serr)
			}
			cancel()
		}
		rep.Duration = time.Since(start)
		return rep, err
	}
	type phase struct {
		name string
		keep func(Record) bool
		in   func(kinds) bool
	}
	phases := []phase{
		{"sources", func(r Record) bool { return r.Entity != nil && r.Entity.HasKind(graph.KindSource) }, func(k kinds) bool { return k.sources > 0 }},
		{"entities", func(r Record) bool { return r.Entity != nil && !r.Entity.HasKind(graph.KindSource) }, func(k kinds) bool { return k.entities > 0 }},
		{"relationships", func(r Record) bool { return r.Relationship != nil }, func(k kinds) bool { return k.rels > 0 }},
	}
	if sourcesFirst {
		phases = append([]phase{{"entities", func(r Record) bool { return r.Entity != nil },
			func(k kinds) bool { return k.sources+k.entities > 0 }}}, phases[2:]...)
	}
	for _, ph := range phases {
		for i, f := range files {
			if !ph.in(has[i]) {
				continue
			}
			if err := im.writeFile(ctx, f, ph.name, ph.keep, bad[i], reports[i].Checksum, &reports[i]); err != nil {
				return fail(fmt.Errorf("import %s (%s): %w", f.name, ph.name, err))
			}
		}
	}
	for i := range files {
		rep.Entities.Add(reports[i].Entities)
		rep.Relationships.Add(reports[i].Relationships)
		if runs[i].ID == "" {
			continue
		}
		now := time.Now().UTC()
		runs[i].Status, runs[i].FinishedAt = "succeeded", &now
		runs[i].Entities, runs[i].Relationships = reports[i].Entities, reports[i].Relationships
		if err := im.store.SaveImportRun(ctx, runs[i]); err != nil {
			return fail(fmt.Errorf("record import run: %w", err))
		}
	}
	rep.Files = reports
	rep.Written = !im.opts.DryRun
	rep.Duration = time.Since(start)
	return rep, nil
}

// writeFile streams one file and writes the records kept by keep, in
// batches, skipping the lines found bad.
func (im *Importer) writeFile(ctx context.Context, f inputFile, phase string, keep func(Record) bool,
	bad map[int]bool, checksum string, fr *FileReport) error {
	var ents []graph.Entity
	var rels []graph.Relationship
	flush := func() error {
		if len(ents) > 0 {
			t0 := time.Now()
			st, err := im.store.UpsertEntities(ctx, ents, im.opts.DryRun)
			if err != nil {
				return err
			}
			im.opts.Logger.Debug("entity batch", "file", f.name, "records", len(ents), "created", st.Created,
				"updated", st.Updated, "unchanged", st.Unchanged, "ms", time.Since(t0).Milliseconds())
			fr.Entities.Add(st)
			im.opts.Progress.Records(len(ents))
			ents = ents[:0]
		}
		if len(rels) > 0 {
			t0 := time.Now()
			st, err := im.store.UpsertRelationships(ctx, rels, im.opts.DryRun)
			if err != nil {
				return err
			}
			im.opts.Logger.Debug("relationship batch", "file", f.name, "records", len(rels), "created", st.Created,
				"updated", st.Updated, "unchanged", st.Unchanged, "ms", time.Since(t0).Milliseconds())
			fr.Relationships.Add(st)
			im.opts.Progress.Records(len(rels))
			rels = rels[:0]
		}
		return nil
	}
	sum, _, err := im.scanFile(ctx, f, phase, func(line int, rec Record, err error) error {
		if err != nil || bad[line] || !keep(rec) {
			return nil
		}
		if rec.Entity != nil {
			ents = append(ents, *rec.Entity)
		} else {
			rels = append(rels, *rec.Relationship)
		}
		if len(ents)+len(rels) >= im.opts.BatchSize {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	if sum != checksum {
		return graph.Errorf(graph.CodeConflict, "file", "%s changed while it was being imported; run the import again", f.name)
	}
	return nil
}

// scanFile opens f and calls fn for each record; it returns the file's
// sha256 and size.
func (im *Importer) scanFile(ctx context.Context, f inputFile, phase string, fn visit) (string, int64, error) {
	fh, err := os.Open(f.path)
	if err != nil {
		return "", 0, graph.WrapError(graph.CodeInvalid, err, "cannot open %s", f.name)
	}
	defer fh.Close()
	if phase != "" {
		im.opts.Progress.Phase(phase, f.name)
	}
	var onAdd func(int)
	if phase != "" {
		onAdd = im.opts.Progress.Bytes
	}
	cr := newCounting(fh, onAdd)
	wrapped := func(line int, rec Record, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		return fn(line, rec, err)
	}
	switch f.format {
	case FormatCSV:
		err = scanCSV(cr, im.opts.MaxLineBytes, wrapped)
	default:
		err = scanNDJSON(cr, im.opts.MaxLineBytes, wrapped)
	}
	if err != nil {
		return "", cr.n, err
	}
	// Drain what a parser left unread so the checksum covers the whole file.
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return "", cr.n, fmt.Errorf("read %s: %w", f.name, err)
	}
	return hex.EncodeToString(cr.sum.Sum(nil)), cr.n, nil
}

func newRunID() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return fmt.Sprintf("run-%d", time.Now().UnixNano())
	}
	return "run-" + time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:4])
}
