package graph

import (
	"context"
	"time"
)

// ImportOptions are the choices of one import, as the CLI's flags.
type ImportOptions struct {
	SkipBad bool   // import the good records of a file with bad ones
	DryRun  bool   // write nothing; report what would change
	Format  string // ndjson, csv or ftm whatever the name says; "" for the name's
	Resolve bool   // match new entities against the graph (see importer.Options.Resolve)
}

// ImportProblem is one refused record: where it is and why.
type ImportProblem struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// ImportFileReport is what happened to one file of an import.
type ImportFileReport struct {
	RunID         string     `json:"run_id,omitempty"` // empty in a dry run or when nothing was written
	File          string     `json:"file"`
	Format        string     `json:"format"`
	Checksum      string     `json:"checksum"` // sha256 of the file's bytes, hex
	Bytes         int64      `json:"bytes"`
	Records       int        `json:"records"`
	Rejected      int        `json:"rejected"`
	Entities      WriteStats `json:"entities"`
	Relationships WriteStats `json:"relationships"`
}

// ImportReport is the outcome of an import: the importer's report, in
// terms the API can show without importing the importer.
type ImportReport struct {
	DryRun        bool               `json:"dry_run"`
	Written       bool               `json:"written"` // false in a dry run and when bad records stopped the import
	Files         []ImportFileReport `json:"files"`
	Records       int                `json:"records"`
	Rejected      int                `json:"rejected"`
	Problems      []ImportProblem    `json:"problems"`      // the first ones; Rejected counts them all
	Entities      WriteStats         `json:"entities"`      // distinct entities, each counted once
	Relationships WriteStats         `json:"relationships"` // distinct relationships, each counted once
	Duplicates    int                `json:"duplicates"`    // records repeating an id given earlier in the file (merged)
	Warnings      []ImportProblem    `json:"warnings"`      // the first duplicates, with their lines
	RunIDs        []string           `json:"run_ids"`       // the stored runs (one per file); empty in a dry run
	Resolved      []Resolution       `json:"resolved"`      // records whose ids were rewritten to stored entities
	Candidates    []ResolveCandidate `json:"candidates"`    // with Resolve: new entities that may be stored ones
	DurationMS    float64            `json:"duration_ms"`
}

// ImportService imports one uploaded file with exactly the validation and
// writes of `scamgraph import`, and reads back stored runs.
type ImportService interface {
	// Import imports the file at path, reported under name (whose
	// extension, .ndjson, .jsonl, .csv or .ftm.json, says the format unless
	// opts.Format does). When bad
	// records stop the import (no SkipBad), it returns the report, with
	// Written false and the problems, and an error of CodeInvalid. Other
	// failures return what was done so far and their own error.
	Import(ctx context.Context, path, name string, opts ImportOptions) (ImportReport, error)
	// Run returns a stored import run (CodeNotFound when there is none).
	Run(ctx context.Context, id string) (ImportRun, error)
}

// ImportDuration converts a duration to the report's milliseconds.
func ImportDuration(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// WriteOptions are the choices of one batch write to an ImportStore.
type WriteOptions struct {
	DryRun bool // write nothing; report what would change
	// Role is the writer's role; empty means the operator, who may do
	// everything. See CheckEntityWrite for what it decides.
	Role Role
	// Own reports whether the running import itself created the entity
	// with this id (its fields are then the writer's own). Nil means none.
	Own func(id string) bool
	// Planned returns the kinds the running import gives the entity id (nil
	// when it gives none). In a dry run, whose entities are not written,
	// relationships are checked against them as if they were.
	Planned func(id string) []Kind
}

// SeesPersonal reports whether the writer may see (and so write) victims'
// personal fields: the operator, analysts and admins.
func (o WriteOptions) SeesPersonal() bool { return o.Role == "" || o.Role.SeesVictimPersonal() }

func (o WriteOptions) own(id string) bool { return o.Own != nil && o.Own(id) }

// Guarded reports whether a writer with these options must not touch the
// hidden fields of the entity id: it is in the graph, is (or becomes) a
// victim, was not created by this import, and the writer may not see
// victims' personal fields.
func (o WriteOptions) Guarded(id string, existed, victim bool) bool {
	return existed && victim && !o.SeesPersonal() && !o.own(id)
}

// Outcome is what a batch write did (or would do) with one record.
type Outcome uint8

// The outcomes, ordered: over several records of one id, the greatest wins
// (an entity created by one record and updated by the next was created).
const (
	OutcomeUnchanged Outcome = iota + 1
	OutcomeUpdated
	OutcomeCreated
	OutcomeRefused // the record broke a rule against the stored graph; see ItemResult.Err
)

// ItemResult is the outcome of one record of a batch write.
type ItemResult struct {
	Outcome Outcome
	Err     error // why it was refused; nil otherwise
}

// Tally counts outcomes into stats (refusals are not counted).
func (s *WriteStats) Tally(o Outcome) {
	switch o {
	case OutcomeCreated:
		s.Created++
	case OutcomeUpdated:
		s.Updated++
	case OutcomeUnchanged:
		s.Unchanged++
	}
}
