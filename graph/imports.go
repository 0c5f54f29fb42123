package graph

import (
	"context"
	"time"
)

// ImportOptions are the choices of one import, as the CLI's flags.
type ImportOptions struct {
	SkipBad bool // import the good records of a file with bad ones
	DryRun  bool // write nothing; report what would change
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
	Problems      []ImportProblem    `json:"problems"` // the first ones; Rejected counts them all
	Entities      WriteStats         `json:"entities"`
	Relationships WriteStats         `json:"relationships"`
	RunIDs        []string           `json:"run_ids"` // the stored runs (one per file); empty in a dry run
	DurationMS    float64            `json:"duration_ms"`
}

// ImportService imports one uploaded file with exactly the validation and
// writes of `scamgraph import`, and reads back stored runs.
type ImportService interface {
	// Import imports the file at path, reported under name (whose
	// extension, .ndjson, .jsonl or .csv, says the format). When bad
	// records stop the import (no SkipBad), it returns the report, with
	// Written false and the problems, and an error of CodeInvalid. Other
	// failures return what was done so far and their own error.
	Import(ctx context.Context, path, name string, opts ImportOptions) (ImportReport, error)
	// Run returns a stored import run (CodeNotFound when there is none).
	Run(ctx context.Context, id string) (ImportRun, error)
}

// ImportDuration converts a duration to the report's milliseconds.
func ImportDuration(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
