// Package importer loads investigation reports, written as NDJSON or CSV
// import files (docs/import-format.md), into the graph through the
// graph.ImportStore interface; FollowTheMoney lines (ftm.go,
// docs/import-ftm.md) and ICIJ Offshore Leaks CSV files (icij.go,
// docs/import-icij.md) are mapped onto the same records and go through the
// same passes, after an index pass of their own (refindex.go).
//
// An import validates every record of every file before it writes anything,
// then checks the good ones against the entities they name as stored (kind,
// endpoint-kind and victim rules, references). It then streams the files
// again, three times: sources first (so that every other entity can be
// linked to them), then the other entities, then the relationships, each in
// batches of one transaction; the store checks the rules again under its
// locks. Memory stays flat: only a hash of each id is kept, with its kinds,
// where it was first defined and what was done with it.
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
	"math"
	"os"
	"path/filepath"
	"slices"
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
	// Role is the caller's role. Roles that may not see victims' personal
	// fields (graph.Role.SeesVictimPersonal) may not write them on victims
	// already in the graph either (docs/security.md, "Imports and victims").
	// Empty means the operator (`scamgraph import`), who may do everything.
	Role graph.Role
	// Format, when set, is the format of every file given by name, whatever
	// its extension (`--format ftm`); FormatICIJ reads a directory's
	// ICIJ Offshore Leaks CSV files (docs/import-icij.md).
	Format Format
	// SourceDate is the publication date of a dataset source whose FtM
	// records carry no first_seen or last_seen date (an Aleph export).
	SourceDate graph.Date
	// IDNamespace prefixes every id an FtM or ICIJ import makes
	// ("<ns>ftm:X", "<ns>source:ftm:<dataset>"), to keep one copy of a dump
	// apart from another (tests load their fixtures under their own).
	IDNamespace string
	// Map maps import ids to the stored ids they stand for (--map FILE,
	// graph.ParseIDMap): their records land on the stored entities.
	Map map[string]string
	// Resolve matches each new entity against the graph (--resolve): a
	// shared strong identifier maps it, other likely matches are reported
	// as Report.Candidates. Matcher scores the candidates (default: the
	// store, when it is a graph.Matcher).
	Resolve bool
	Matcher graph.Matcher
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
	Entities      graph.WriteStats `json:"entities"`      // distinct entities, each counted once
	Relationships graph.WriteStats `json:"relationships"` // distinct relationships, each counted once
	Duplicates    int              `json:"duplicates"`    // records repeating an id given earlier in the import (merged)
	Warnings      []Problem        `json:"warnings"`      // the first duplicates, with their lines
	Written       bool             `json:"written"`       // false when bad records stopped the import
	// Resolved lists the first records whose ids were rewritten to stored
	// entities (merged away, mapped, matched on a strong identifier).
	Resolved []graph.Resolution `json:"resolved"`
	// Candidates are new entities that may be stored ones (--resolve), for review.
	Candidates []graph.ResolveCandidate `json:"candidates"`
	Duration   time.Duration            `json:"duration_ns"`
}

// Changes counts what was (or would be) created or updated.
func (r Report) Changes() int { return r.Entities.Changes() + r.Relationships.Changes() }

// ErrRejected is returned (wrapped) when bad records stopped an import.
var ErrRejected = errors.New("import rejected: the input has bad records")

// Importer imports files into a store.
type Importer struct {
	store graph.ImportStore
	opts  Options
	refs  *refIndex         // what the index pass learnt of FtM and ICIJ files (refindex.go)
	ids   map[string]string // import id -> stored id (see resolveIDs); nil for none
	why   map[string]string // import id -> graph.Resolved...
	// noteResolved records the ids resolveIDs rewrote in a record.
	noteResolved func(file string, line int, ids []string)
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
				return nil, graph.Errorf(graph.CodeInvalid, "file", "%s: unsupported file type (want .ndjson, .jsonl or .csv; .ftm.json or .ftm.jsonl for FollowTheMoney; another name needs the format given)", p)
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
	files, err := expandAs(paths, im.opts.Format)
	if err != nil {
		return Report{DryRun: im.opts.DryRun}, err
	}
	return im.importFiles(ctx, files)
}

// ImportFile imports one file, reported under name (an upload's file name).
func (im *Importer) ImportFile(ctx context.Context, path, name string) (Report, error) {
	f := im.opts.Format
	if f == "" {
		f = FormatOf(name)
	}
	if f == "" {
		f = FormatOf(path)
	}
	if f == "" {
		return Report{DryRun: im.opts.DryRun}, graph.Errorf(graph.CodeInvalid, "file", "%s: unsupported file type (want .ndjson, .jsonl or .csv; .ftm.json or .ftm.jsonl for FollowTheMoney; another name needs the format given)", name)
	}
	st, err := os.Stat(path)
	if err != nil {
		return Report{DryRun: im.opts.DryRun}, graph.WrapError(graph.CodeInvalid, err, "cannot read %s", name)
	}
	return im.importFiles(ctx, []inputFile{{path: path, name: name, format: f, size: st.Size()}})
}

func hashID(id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()
}

// kindMask is a set of kinds, one bit each.
type kindMask uint16

func maskOf(kinds []graph.Kind) kindMask {
	var m kindMask
	for i, k := range graph.AllKinds() {
		if slices.Contains(kinds, k) {
			m |= 1 << i
		}
	}
	return m
}

func (m kindMask) kinds() []graph.Kind {
	var out []graph.Kind
	for i, k := range graph.AllKinds() {
		if m&(1<<i) != 0 {
			out = append(out, k)
		}
	}
	return out
}

// mixesSource reports whether the kinds hold source and another kind.
func (m kindMask) mixesSource() bool {
	src := maskOf([]graph.Kind{graph.KindSource})
	return m&src != 0 && m&^src != 0
}

// seen is what an import keeps of one id of its input: a few bytes,
// whatever the id's length (ids are kept as 64-bit hashes). The fields are
// ordered to pack into 16 bytes.
type seen struct {
	kinds   kindMask      // the kinds the input gives it
	file    uint16        // where it is first defined
	line    uint32        //
	inFile  uint16        // 1 + the file whose counts fileOut is, 0 for none
	out     graph.Outcome // what the import did with it (the greatest over its records)
	fileOut graph.Outcome // what that file's records did with it
	stored  storedRef     // what the check pass read of it in the graph
}

// idTable maps hashed ids to what the import knows of them.
type idTable map[uint64]seen

func (t idTable) has(id string) bool { _, ok := t[hashID(id)]; return ok }

// note records that a record of file fi had outcome out for id, keeping
// total and file (that file's counts) at one count per distinct id, for
// its greatest outcome: an entity created by one record and updated by the
// next is counted once, as created. A file's records come one file after
// another in each phase, so fileOut only has to follow the current file.
func (t idTable) note(id string, fi int, out graph.Outcome, total, file *graph.WriteStats) {
	h := hashID(id)
	s := t[h]
	if out > s.out {
		recount(total, s.out, out)
		s.out = out
	}
	if s.inFile != uint16(fi+1) {
		s.inFile, s.fileOut = uint16(fi+1), 0
	}
	if out > s.fileOut {
		recount(file, s.fileOut, out)
		s.fileOut = out
	}
	t[h] = s
}

// recount moves one count of st from outcome from (none when 0) to to.
func recount(st *graph.WriteStats, from, to graph.Outcome) {
	var minus graph.WriteStats
	minus.Tally(from)
	st.Created -= minus.Created
	st.Updated -= minus.Updated
	st.Unchanged -= minus.Unchanged
	st.Tally(to)
}

// refsOf lists the ids a record points at.
func refsOf(rec Record) []string {
	if rec.Entity != nil {
		return rec.Entity.Sources
	}
	return append([]string{rec.Relationship.From, rec.Relationship.To}, rec.Relationship.Sources...)
}

func (im *Importer) importFiles(ctx context.Context, files []inputFile) (Report, error) {
	start := time.Now()
	rep := Report{DryRun: im.opts.DryRun, Problems: []Problem{}, Warnings: []Problem{},
		Resolved: []graph.Resolution{}, Candidates: []graph.ResolveCandidate{}}
	var total int64
	for _, f := range files {
		total += f.size
	}
	// Five passes over the input: validate, check, sources, entities, relationships.
	passes := int64(5)
	if needsIndex(files) {
		passes++ // the index pass (refindex.go)
	}
	im.opts.Progress.Start(total * passes)
	defer im.opts.Progress.Done()
	if len(files) > math.MaxUint16 {
		return rep, graph.Errorf(graph.CodeInvalid, "file", "an import takes at most %d files", math.MaxUint16)
	}
	var err error
	if im.refs, err = im.indexFiles(ctx, files); err != nil {
		return rep, err
	}
	// After the index pass: resolving reads FtM and ICIJ files, which need
	// the index to know their references.
	if err := im.prepareIDs(ctx, files, &rep); err != nil {
		return rep, err
	}
	res := &rep.Resolved
	im.noteResolved = func(f string, line int, ids []string) {
		for _, id := range ids {
			if len(*res) < im.opts.MaxProblems {
				*res = append(*res, graph.Resolution{File: f, Line: line, ID: id, To: im.ids[id], Why: im.why[id]})
			}
		}
	}

	// Pass 1: parse and validate every record; learn the ids defined, the
	// kinds the input gives them, and the duplicates; and check the good
	// records against the graph inline, for as long as that can decide
	// them (see checker).
	ents := idTable{}
	rels := idTable{}
	chk := &checker{im: im, ents: ents, refs: storedRefs{ents: ents, outside: map[uint64]storedRef{}}, inline: true}
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
	addDuplicate := func(i, line int, what, id string, first seen) {
		rep.Duplicates++
		if len(rep.Warnings) < im.opts.MaxProblems {
			rep.Warnings = append(rep.Warnings, Problem{File: files[i].name, Line: line,
				Reason: fmt.Sprintf("duplicate %s %q (first at %s:%d): the records are merged", what, id, files[first.file].name, first.line)})
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
			here := seen{file: uint16(i), line: uint32(min(line, math.MaxUint32))}
			if r := rec.Relationship; r != nil {
				h := hashID(r.ID)
				if first, dup := rels[h]; dup {
					addDuplicate(i, line, "relationship", r.ID, first)
				} else {
					rels[h] = here
				}
			} else {
				e := rec.Entity
				h := hashID(e.ID)
				prev, dup := ents[h]
				if dup {
					here = prev
				}
				m := prev.kinds | maskOf(e.Kinds)
				if m.mixesSource() {
					addProblem(i, line, fmt.Sprintf("kinds: %q is %s at %s:%d; a source cannot also be another kind",
						e.ID, graph.KindNames(prev.kinds.kinds()), files[prev.file].name, prev.line))
					return nil
				}
				if dup {
					addDuplicate(i, line, "entity id", e.ID, prev)
				}
				chk.noteKinds(e.ID, prev.kinds, m)
				here.kinds = m
				ents[h] = here
				if entityForward[e.ID] {
					sourcesFirst = false
				}
				for _, ref := range e.Sources {
					if !ents.has(ref) {
						entityForward[ref] = true
					}
				}
			}
			switch {
			case rec.Relationship != nil:
				has[i].rels++
			case rec.Entity.HasKind(graph.KindSource):
				has[i].sources++
			default:
				has[i].entities++
			}
			return chk.add(ctx, i, rec)
		})
		if err != nil {
			return rep, err
		}
		reports[i].Checksum, reports[i].Bytes = sum, n
	}
	decided, err := chk.finish(ctx)
	if err != nil {
		return rep, err
	}
	// Pass 2: check every good record against the graph as it is now:
	// references resolve, and the kind, endpoint and victim rules hold
	// against the stored entities. The store checks them again as it
	// writes, under its locks. When the validate pass could decide every
	// record, its decisions stand and the pass is skipped.
	if decided {
		for _, it := range chk.refused {
			addProblem(it.fi, it.rec.Line, it.reason)
		}
		im.opts.Progress.Bytes(int(min(total, math.MaxInt)))
	} else {
		chk.inline, chk.undone, chk.waiting, chk.refused = false, false, nil, nil
		chk.refuse = addProblem
		for i, f := range files {
			if err := im.checkFile(ctx, f, i, bad[i], chk); err != nil {
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

	// Passes 3-5: write. Each file's run is recorded in the graph.
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
	// Counts of distinct ids, over the import and per file (see idTable.note).
	w := &writeState{ents: ents, rels: rels, rep: &rep, files: reports}
	fail := func(err error) (Report, error) {
		for i := range runs {
			if runs[i].ID == "" {
				continue
			}
			runs[i].Status, runs[i].Error = "failed", graph.ErrorMessage(err) // served to clients: no driver text
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
			refused := func(line int, err error) { addProblem(i, line, err.Error()) }
			if err := im.writeFile(ctx, f, ph.name, ph.keep, bad[i], reports[i].Checksum, w, i, refused); err != nil {
				return fail(fmt.Errorf("import %s (%s): %w", f.name, ph.name, err))
			}
		}
	}
	for i := range files {
		if runs[i].ID == "" {
			continue
		}
		now := time.Now().UTC()
		runs[i].Status, runs[i].FinishedAt = "succeeded", &now
		runs[i].Entities, runs[i].Relationships = reports[i].Entities, reports[i].Relationships
		runs[i].Rejected = reports[i].Rejected
		if err := im.store.SaveImportRun(ctx, runs[i]); err != nil {
			return fail(fmt.Errorf("record import run: %w", err))
		}
	}
	rep.Written = !im.opts.DryRun
	rep.Duration = time.Since(start)
	return rep, nil
}

// writeState is where a write pass notes what it did.
type writeState struct {
	ents, rels idTable
	rep        *Report      // its totals
	files      []FileReport // their counts
}

// storedRef is what the check pass learnt of one id's stored entity.
type storedRef struct {
	known  bool     // looked up
	stored bool     // in the graph
	kinds  kindMask // its kinds there
}

// storedRefs is what the check pass has read of the ids it looked up, so
// that an entity named by many records (a hub at the end of thousands of
// relationships, a source cited everywhere) is read once per import, not
// once per batch. An id of the input keeps it in its idTable entry (no
// more bytes); an id only pointed at, in outside, keyed by its hash.
type storedRefs struct {
	ents    idTable
	outside map[uint64]storedRef
}

func (r storedRefs) get(id string) storedRef {
	h := hashID(id)
	if s, ok := r.ents[h]; ok {
		return s.stored
	}
	return r.outside[h]
}

func (r storedRefs) set(id string, ref storedRef) {
	h := hashID(id)
	if s, ok := r.ents[h]; ok {
		s.stored = ref
		r.ents[h] = s
		return
	}
	r.outside[h] = ref
}

// checker decides good records against the entities they name as they
// are stored now, a batch at a time: references resolve, and the kind,
// endpoint and victim rules hold against the stored entities and the kinds
// the input gives. Each record's own entity is read whole in its batch
// (the rules compare it with the record); an id it only points at is read
// once per import (refs).
//
// The validate pass runs one inline: it decides each batch with the kinds
// the input has given so far, and keeps its refusals aside. A record that
// points at an id neither stored nor defined yet (a forward reference, or
// a missing one) waits for the end of the pass, when the whole input is
// known (at most a batch of them). The decisions stand when no later
// record adds kinds to an id one of them used (noteKinds). Otherwise, or
// when more records wait than a batch holds, the check pass (checkFile)
// decides every record again, with the kinds of the whole input, and the
// inline refusals are dropped.
type checker struct {
	im      *Importer
	ents    idTable
	refs    storedRefs
	batch   []checkItem
	refuse  func(fi, line int, reason string)
	inline  bool        // deciding in the validate pass
	undone  bool        // inline: a decision may change; the check pass decides
	waiting []checkItem // inline: records with a reference not known yet
	refused []checkItem // inline refusals, kept aside
}

type checkItem struct {
	fi     int
	rec    Record
	reason string
}

// add queues a good record of file fi, deciding the batch when it is full.
func (c *checker) add(ctx context.Context, fi int, rec Record) error {
	if c.undone {
		return nil
	}
	c.batch = append(c.batch, checkItem{fi: fi, rec: rec})
	if len(c.batch) >= c.im.opts.BatchSize {
		return c.flush(ctx)
	}
	return nil
}

// noteKinds tells an inline checker that a record of id takes the kinds
// the input gives it from before to after (before is none when the
// record defines id first): a decision that used id's kinds changes when
// they gain one that neither the input nor the graph gave it.
func (c *checker) noteKinds(id string, before, after kindMask) {
	if !c.inline || c.undone {
		return
	}
	h := hashID(id)
	ref, ok := c.ents[h]
	used := ok && ref.stored.known
	if !ok {
		// An id the input had not defined yet was decided on only if
		// stored (the records of one neither stored nor defined wait).
		ref.stored = c.refs.outside[h]
		used = ref.stored.stored
	}
	if used && after&^(before|ref.stored.kinds) != 0 {
		c.undone = true
	}
}

func (c *checker) final(id string) (bool, []graph.Kind) {
	s := c.refs.get(id)
	return s.stored, graph.NormalizeKinds(append(s.kinds.kinds(), c.ents[hashID(id)].kinds.kinds()...))
}

func (c *checker) guarded(id string, existed bool, kinds []graph.Kind) bool {
	return c.im.writeOptions(nil).Guarded(id, existed, slices.Contains(kinds, graph.KindVictim))
}

// finish decides the records that waited for the end of the validate
// pass, and reports whether the inline decisions stand.
func (c *checker) finish(ctx context.Context) (bool, error) {
	if err := c.flush(ctx); err != nil || c.undone {
		return false, err
	}
	c.batch, c.waiting = c.waiting, nil
	if err := c.decide(ctx, true); err != nil || c.undone {
		return false, err
	}
	return true, nil
}

// flush decides the queued records.
func (c *checker) flush(ctx context.Context) error { return c.decide(ctx, false) }

// decide decides the queued records; inline, those with a reference not
// known yet wait, unless final.
func (c *checker) decide(ctx context.Context, final bool) error {
	if len(c.batch) == 0 || c.undone {
		c.batch = c.batch[:0]
		return nil
	}
	var ids []string
	for _, it := range c.batch {
		if it.rec.Entity != nil {
			ids = append(ids, it.rec.Entity.ID)
		}
		for _, ref := range refsOf(it.rec) {
			if !c.refs.get(ref).known {
				ids = append(ids, ref)
			}
		}
	}
	ids = distinct(ids)
	stored, err := c.im.store.StoredEntities(ctx, ids)
	if err != nil {
		return fmt.Errorf("check against the graph: %w", err)
	}
	for _, id := range ids {
		s, ok := stored[id]
		c.refs.set(id, storedRef{known: true, stored: ok, kinds: maskOf(s.Kinds)})
	}
	refuse := func(it checkItem, reason string) {
		if c.inline {
			it.rec, it.reason = Record{Line: it.rec.Line}, reason
			c.refused = append(c.refused, it)
			return
		}
		c.refuse(it.fi, it.rec.Line, reason)
	}
	for _, it := range c.batch {
		rec := it.rec
		if ref := firstMissing(refsOf(rec), c.ents, c.refs); ref != "" {
			if c.inline && !final {
				// It may be defined further on.
				if c.waiting = append(c.waiting, it); len(c.waiting) > c.im.opts.BatchSize {
					c.undone = true
					break
				}
				continue
			}
			refuse(it, fmt.Sprintf("references %q, which is neither in the input nor in the graph", ref))
			continue
		}
		if e := rec.Entity; e != nil {
			existed, kinds := c.final(e.ID)
			s := stored[e.ID]
			cur := graph.Entity{ID: e.ID}
			if existed {
				cur = s
			}
			if _, err := graph.CheckEntityWrite(cur, *e, c.guarded(e.ID, existed, kinds), graph.VisibleName(s)); err != nil {
				refuse(it, err.Error())
			}
			continue
		}
		r := rec.Relationship
		fromExisted, from := c.final(r.From)
		toExisted, to := c.final(r.To)
		if err := graph.CheckRelationshipWrite(*r, from, to, c.guarded(r.From, fromExisted, from) || c.guarded(r.To, toExisted, to)); err != nil {
			refuse(it, err.Error())
		}
	}
	c.batch = c.batch[:0]
	return nil
}

// checkFile streams f and decides its good records (the check pass).
func (im *Importer) checkFile(ctx context.Context, f inputFile, fi int, bad map[int]bool, c *checker) error {
	_, _, err := im.scanFile(ctx, f, "check", func(line int, rec Record, err error) error {
		if err != nil || bad[line] {
			return nil
		}
		return c.add(ctx, fi, rec)
	})
	if err != nil {
		return err
	}
	return c.flush(ctx)
}

// firstMissing is the first of refs neither defined in the input nor
// stored (as the check pass has read them).
func firstMissing(refs []string, ents idTable, stored storedRefs) string {
	for _, ref := range refs {
		if !stored.get(ref).stored && !ents.has(ref) {
			return ref
		}
	}
	return ""
}

func distinct(ids []string) []string {
	slices.Sort(ids)
	return slices.Compact(ids)
}

// writeOptions are the store's options for this import; own tells the
// ids this import created.
func (im *Importer) writeOptions(ents idTable) graph.WriteOptions {
	opts := graph.WriteOptions{DryRun: im.opts.DryRun, Role: im.opts.Role}
	if ents != nil {
		opts.Own = func(id string) bool { return ents[hashID(id)].out == graph.OutcomeCreated }
		opts.Planned = func(id string) []graph.Kind {
			if s, ok := ents[hashID(id)]; ok {
				return s.kinds.kinds()
			}
			return nil
		}
	}
	return opts
}

// writeFile streams one file and writes the records kept by keep, in
// batches, skipping the lines found bad. It notes each record's outcome in
// w (file fi) and hands the records the store refused to refused.
func (im *Importer) writeFile(ctx context.Context, f inputFile, phase string, keep func(Record) bool,
	bad map[int]bool, checksum string, w *writeState, fi int, refused func(line int, err error)) error {
	var ents []graph.Entity
	var rels []graph.Relationship
	var lines []int
	opts := im.writeOptions(w.ents)
	note := func(kind string, n int, res []graph.ItemResult, id func(int) string, t idTable, total, file *graph.WriteStats, t0 time.Time) {
		var st graph.WriteStats
		for j, r := range res {
			if r.Outcome == graph.OutcomeRefused {
				refused(lines[j], r.Err)
				continue
			}
			st.Tally(r.Outcome)
			t.note(id(j), fi, r.Outcome, total, file)
		}
		im.opts.Logger.Debug(kind+" batch", "file", f.name, "records", n, "created", st.Created,
			"updated", st.Updated, "unchanged", st.Unchanged, "ms", time.Since(t0).Milliseconds())
		im.opts.Progress.Records(n)
	}
	flush := func() error {
		if len(ents) > 0 {
			t0 := time.Now()
			res, err := im.store.WriteEntities(ctx, ents, opts)
			if err != nil {
				return err
			}
			note("entity", len(ents), res, func(j int) string { return ents[j].ID }, w.ents, &w.rep.Entities, &w.files[fi].Entities, t0)
			ents = ents[:0]
		}
		if len(rels) > 0 {
			t0 := time.Now()
			res, err := im.store.WriteRelationships(ctx, rels, opts)
			if err != nil {
				return err
			}
			note("relationship", len(rels), res, func(j int) string { return rels[j].ID }, w.rels, &w.rep.Relationships, &w.files[fi].Relationships, t0)
			rels = rels[:0]
		}
		lines = lines[:0]
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
		lines = append(lines, line)
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
		if err == nil && im.ids != nil {
			if ids := resolveIDs(&rec, im.ids); len(ids) > 0 && phase == "validate" && im.noteResolved != nil {
				im.noteResolved(f.name, line, ids)
			}
		}
		return fn(line, rec, err)
	}
	switch f.format {
	case FormatCSV:
		err = scanCSV(cr, im.opts.MaxLineBytes, wrapped)
	case FormatFTM:
		err = scanFTM(cr, im.opts.MaxLineBytes, f.path, im.refs, false, wrapped)
	case FormatICIJ:
		err = scanICIJ(cr, im.opts.MaxLineBytes, f.path, im.refs, false, wrapped)
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
