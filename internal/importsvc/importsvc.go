// Package importsvc adapts the importer to graph.ImportService: what serve
// mounts under POST /v1/imports (cmd/internal/wiring) and the browser tests
// (web/browsertest) use.
package importsvc

import (
	"context"
	"errors"
	"log/slog"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/metrics"
)

// ImportService adapts the importer to graph.ImportService for the API
// (api/ and importer/ never import each other): POST /v1/imports runs the
// very validation and writes of `scamgraph import FILE`.
type ImportService struct {
	store     graph.ImportStore
	batchSize int
	logger    *slog.Logger
	metrics   *metrics.Metrics
}

// New imports into store in batches of batchSize; with m, it
// counts each upload's records and rejects there.
func New(store graph.ImportStore, batchSize int, logger *slog.Logger, m *metrics.Metrics) *ImportService {
	return &ImportService{store: store, batchSize: batchSize, logger: logger, metrics: m}
}

// Import implements graph.ImportService.
func (s *ImportService) Import(ctx context.Context, path, name string, opts graph.ImportOptions) (graph.ImportReport, error) {
	// The caller's role decides what it may write on victims already in
	// the graph (docs/security.md, "Imports and victims"). An empty role
	// would mean the operator: over HTTP there is always a principal.
	role := graph.RoleFrom(ctx)
	if !role.Valid() {
		return graph.ImportReport{}, graph.Errorf(graph.CodeUnauthorized, "", "an import needs an authenticated caller")
	}
	im := importer.New(s.store, importer.Options{
		BatchSize: s.batchSize, SkipBad: opts.SkipBad, DryRun: opts.DryRun, Resolve: opts.Resolve, Logger: s.logger, Role: role,
		Format: importer.Format(opts.Format),
	})
	rep, err := im.ImportFile(ctx, path, name)
	if s.metrics != nil {
		s.metrics.Imported(rep.Records, rep.Rejected)
	}
	out := convertReport(rep)
	if errors.Is(err, importer.ErrRejected) {
		// importer.ErrRejected is no *graph.Error; bad records are bad input.
		return out, graph.WrapError(graph.CodeInvalid, err, "%d of %d records refused; nothing was written (skip_bad=true imports the good ones)",
			rep.Rejected, rep.Records)
	}
	return out, err
}

// Run implements graph.ImportService.
func (s *ImportService) Run(ctx context.Context, id string) (graph.ImportRun, error) {
	return s.store.ImportRun(ctx, id)
}

// convertReport copies an importer.Report into the API's terms.
func convertReport(rep importer.Report) graph.ImportReport {
	out := graph.ImportReport{
		DryRun: rep.DryRun, Written: rep.Written, Records: rep.Records, Rejected: rep.Rejected,
		Entities: rep.Entities, Relationships: rep.Relationships,
		Files: make([]graph.ImportFileReport, 0, len(rep.Files)), Problems: make([]graph.ImportProblem, 0, len(rep.Problems)),
		RunIDs: []string{}, DurationMS: graph.ImportDuration(rep.Duration),
		Duplicates: rep.Duplicates, Warnings: make([]graph.ImportProblem, 0, len(rep.Warnings)),
		Resolved: append([]graph.Resolution{}, rep.Resolved...), Candidates: append([]graph.ResolveCandidate{}, rep.Candidates...),
	}
	for _, f := range rep.Files {
		out.Files = append(out.Files, graph.ImportFileReport{
			RunID: f.RunID, File: f.File, Format: string(f.Format), Checksum: f.Checksum, Bytes: f.Bytes,
			Records: f.Records, Rejected: f.Rejected, Entities: f.Entities, Relationships: f.Relationships,
		})
		if f.RunID != "" {
			out.RunIDs = append(out.RunIDs, f.RunID)
		}
	}
	for _, p := range rep.Problems {
		out.Problems = append(out.Problems, graph.ImportProblem{File: p.File, Line: p.Line, Reason: p.Reason})
	}
	for _, p := range rep.Warnings {
		out.Warnings = append(out.Warnings, graph.ImportProblem{File: p.File, Line: p.Line, Reason: p.Reason})
	}
	return out
}
