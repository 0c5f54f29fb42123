package api

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/api/guard"
	"github.com/scamgraph/scamgraph/graph"
)

// ImportProblemBody is the problem of a failed import (schema
// ImportProblem): the problem and, as the extension member "report", what
// the import found (the rejected records as file:line problems) or did
// before it failed.
type ImportProblemBody struct {
	Problem
	Report graph.ImportReport `json:"report"`
}

// importAnswer is every answer of POST /v1/imports: the report, with 201
// and Location when it was written, or a problem carrying it.
type importAnswer struct {
	problem *Problem
	report  graph.ImportReport
}

func (a importAnswer) VisitImportResponse(w http.ResponseWriter) error {
	fixReport(&a.report)
	if a.problem != nil {
		writeProblemTo(w, *a.problem, ImportProblemBody{Problem: *a.problem, Report: a.report})
		return nil
	}
	if a.report.Written && len(a.report.RunIDs) > 0 {
		w.Header().Set("Location", "/v1/imports/"+a.report.RunIDs[0])
		return writeJSONStatus(w, http.StatusCreated, a.report)
	}
	return writeJSON(w, a.report)
}

// Import is POST /v1/imports: the raw body is the file (name, skip_bad and
// dry_run in the query, checked by the document). It is spooled to a
// temporary file (never held in memory), imported with the CLI's
// validation and writes, and removed.
func (s *server) Import(ctx context.Context, r ImportRequestObject) (ImportResponseObject, error) {
	if s.imports == nil {
		return nil, graph.Errorf(graph.CodeUnavailable, "", "imports are not available on this server")
	}
	name := r.Params.Name
	path, err := spool(r.Body, filepath.Ext(name))
	if path != "" {
		defer os.Remove(path)
	}
	if err != nil {
		return nil, err
	}
	note(ctx, "import_name", name)
	rep, err := s.imports.Import(ctx, path, name, graph.ImportOptions{SkipBad: r.Params.SkipBad, DryRun: r.Params.DryRun,
		Format: importFormat(ctx, r.Params.Format), Resolve: r.Params.Resolve})
	if len(rep.RunIDs) > 0 {
		note(ctx, "import_runs", rep.RunIDs)
	}
	if err != nil {
		p := ProblemFor(err, routeImports)
		if graph.ErrorCode(err) == graph.CodeInvalid && rep.Rejected > 0 && !rep.Written {
			p.Status, p.Title, p.Field = http.StatusUnprocessableEntity, http.StatusText(http.StatusUnprocessableEntity), "body"
		}
		s.log.Log(ctx, levelFor(p.Status), "import failed", "status", p.Status, "error", err.Error())
		return importAnswer{problem: &p, report: rep}, nil
	}
	return importAnswer{report: rep}, nil
}

// ftmMediaType is the Content-Type that says an upload is FollowTheMoney.
const ftmMediaType = "application/vnd.ftm+json"

// importFormat is the upload's format: the format parameter, else ftm for
// a Content-Type of application/vnd.ftm+json, else "" (the name says).
func importFormat(ctx context.Context, p ImportParamsFormat) string {
	if p != "" {
		return string(p)
	}
	if c, ok := ctx.(*gin.Context); ok {
		if mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type")); err == nil && mt == ftmMediaType {
			return "ftm"
		}
	}
	return ""
}

// ImportRun is GET /v1/imports/{id}: a stored run.
func (s *server) ImportRun(ctx context.Context, r ImportRunRequestObject) (ImportRunResponseObject, error) {
	if s.imports == nil {
		return nil, graph.Errorf(graph.CodeUnavailable, "", "imports are not available on this server")
	}
	run, err := s.imports.Run(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	return ImportRun200JSONResponse(run), nil
}

// spool copies an upload to a new temporary file (0600) and returns its
// path; the caller removes it, also when err is set. An upload over the
// body limit is CodeTooLarge; an empty one CodeInvalid.
func spool(body io.Reader, ext string) (string, error) {
	if body == nil {
		return "", invalid("body", "is empty; send the file as the request body")
	}
	f, err := os.CreateTemp("", "scamgraph-upload-*"+ext)
	if err != nil {
		return "", graph.WrapError(graph.CodeInternal, err, "cannot store the upload")
	}
	n, cerr := io.Copy(f, body)
	if err := f.Close(); err != nil && cerr == nil {
		cerr = graph.WrapError(graph.CodeInternal, err, "cannot store the upload")
	}
	switch {
	case cerr != nil:
		if tl := guard.TooLarge(cerr); graph.ErrorCode(tl) == graph.CodeTooLarge {
			return f.Name(), tl
		}
		var ge *graph.Error
		if errors.As(cerr, &ge) {
			return f.Name(), cerr
		}
		return f.Name(), graph.WrapError(graph.CodeInvalid, cerr, "the upload was cut short")
	case n == 0:
		return f.Name(), invalid("body", "is empty; send the file as the request body")
	}
	return f.Name(), nil
}

// fixReport gives a report empty lists rather than null.
func fixReport(r *graph.ImportReport) {
	if r.Files == nil {
		r.Files = []graph.ImportFileReport{}
	}
	if r.Problems == nil {
		r.Problems = []graph.ImportProblem{}
	}
	if r.RunIDs == nil {
		r.RunIDs = []string{}
	}
	if r.Resolved == nil {
		r.Resolved = []graph.Resolution{}
	}
	if r.Candidates == nil {
		r.Candidates = []graph.ResolveCandidate{}
	}
}
