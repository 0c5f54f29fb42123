package graph

import (
	"context"
	"time"
)

// WriteStats counts what a batch write did (or, in a dry run, would do).
type WriteStats struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Add accumulates o into s.
func (s *WriteStats) Add(o WriteStats) {
	s.Created += o.Created
	s.Updated += o.Updated
	s.Unchanged += o.Unchanged
}

// Changes is the number of created and updated items.
func (s WriteStats) Changes() int { return s.Created + s.Updated }

// ImportRun is the record of one import of one file, kept in the graph.
type ImportRun struct {
	ID            string     `json:"id"`
	File          string     `json:"file"`
	Checksum      string     `json:"checksum"` // sha256 of the file's bytes, hex
	Format        string     `json:"format"`   // ndjson or csv
	DryRun        bool       `json:"dry_run"`
	Status        string     `json:"status"` // running, succeeded, rejected, failed
	Records       int        `json:"records"`
	Rejected      int        `json:"rejected"`
	Entities      WriteStats `json:"entities"`
	Relationships WriteStats `json:"relationships"`
	StartedAt     time.Time  `json:"started_at"`
	FinishedAt    *time.Time `json:"finished_at,omitempty"`
	Error         string     `json:"error,omitempty"`
}

// ImportStore is what the importer needs from storage. Implementations
// write each batch in one transaction and must be idempotent: writing the
// same batch twice leaves the graph as after the first write.
type ImportStore interface {
	// StoredEntities returns the entities among ids that are in the graph,
	// as much as the import rules need: id, kinds and name, every field of
	// victims.
	StoredEntities(ctx context.Context, ids []string) (map[string]Entity, error)
	// WriteEntities merges a batch of entities (see MergeEntity) and links
	// each to its sources with MENTIONED_IN, atomically per entity against
	// concurrent writers. It refuses the records that break a rule against
	// the stored graph (CheckEntityWrite) and returns one result per
	// record. With opts.DryRun it writes nothing and reports what it would do.
	WriteEntities(ctx context.Context, batch []Entity, opts WriteOptions) ([]ItemResult, error)
	// WriteRelationships merges a batch of relationships (see
	// MergeRelationship), atomically per relationship, refusing those that
	// break a rule (CheckRelationshipWrite, an end not in the graph).
	WriteRelationships(ctx context.Context, batch []Relationship, opts WriteOptions) ([]ItemResult, error)
	// SaveImportRun creates or updates the record of a run.
	SaveImportRun(ctx context.Context, run ImportRun) error
	// ImportRun returns a past run by id (CodeNotFound when there is none).
	ImportRun(ctx context.Context, id string) (ImportRun, error)
}
