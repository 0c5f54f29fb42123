package api

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/audit"
	"github.com/scamgraph/scamgraph/internal/guard"
)

// ImportRequest is what POST /v1/imports reads from its query string; the
// file itself is the raw request body.
type ImportRequest struct {
	Name string // the file's name, reported in problems and the run; its extension is the format
	Opts graph.ImportOptions
}

// MaxImportNameLen bounds the name of an uploaded file.
const MaxImportNameLen = 200

// importExts are the file types the importer reads (importer.FormatOf).
var importExts = []string{".ndjson", ".jsonl", ".csv"}

// ParseImportParams reads POST /v1/imports's query: name (required, a
// plain file name ending .ndjson, .jsonl or .csv), skip_bad and dry_run
// (true or false).
func ParseImportParams(v url.Values) (ImportRequest, error) {
	p, err := newParams(v, []string{"name", "skip_bad", "dry_run"})
	if err != nil {
		return ImportRequest{}, err
	}
	var r ImportRequest
	r.Name = p.str("name")
	ext := strings.ToLower(filepath.Ext(r.Name))
	switch {
	case r.Name == "":
		return r, invalid("name", "is required: the file's name, such as report.ndjson or report.csv (its extension says the format)")
	case !utf8.ValidString(r.Name) || len(r.Name) > MaxImportNameLen:
		return r, invalid("name", "must be valid UTF-8 of at most %d bytes", MaxImportNameLen)
	case strings.ContainsAny(r.Name, `/\`) || r.Name == "." || r.Name == ".." ||
		strings.ContainsFunc(r.Name, func(c rune) bool { return c < 0x20 || c == 0x7f }):
		return r, invalid("name", "%q is not a plain file name (no directories, no control characters)", clip(r.Name))
	case !containsStr(importExts, ext):
		return r, invalid("name", "%q has an unsupported extension (want .ndjson, .jsonl or .csv)", clip(r.Name))
	}
	if r.Opts.SkipBad, err = p.boolean("skip_bad"); err != nil {
		return r, err
	}
	if r.Opts.DryRun, err = p.boolean("dry_run"); err != nil {
		return r, err
	}
	return r, nil
}

// ParseImportRunID checks the id of GET /v1/imports/{id}: "run-" and
// letters, digits and dashes, as the importer makes them.
func ParseImportRunID(id string) (string, error) {
	rest, ok := strings.CutPrefix(id, "run-")
	if !ok || rest == "" || len(id) > 64 || strings.ContainsFunc(rest, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')
	}) {
		return "", invalid("id", "%q is not an import run id (want run- and letters, digits, dashes, as run_ids in an import's report)", clip(id))
	}
	return id, nil
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ImportProblemBody is the problem of a failed import: the problem and,
// as the extension member "report", what the import found (the rejected
// records as file:line problems) or did before it failed.
type ImportProblemBody struct {
	Problem
	Report graph.ImportReport `json:"report"`
}

// importFile is POST /v1/imports: the raw body is the file. It is spooled
// to a temporary file (never held in memory), imported with the CLI's
// validation and writes, and removed.
func (s *server) importFile(c *gin.Context) {
	req, err := ParseImportParams(c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	if s.imports == nil {
		s.fail(c, graph.Errorf(graph.CodeUnavailable, "", "imports are not available on this server"))
		return
	}
	extendConnDeadlines(c, s.timeoutFor(c))
	path, err := spool(c.Request.Body, filepath.Ext(req.Name))
	if path != "" {
		defer os.Remove(path)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	audit.Note(c, "import_name", req.Name)
	rep, err := s.imports.Import(c.Request.Context(), path, req.Name, req.Opts)
	if len(rep.RunIDs) > 0 {
		audit.Note(c, "import_runs", rep.RunIDs)
	}
	if err != nil {
		p := ProblemFor(err, c.Request.URL.Path)
		if graph.ErrorCode(err) == graph.CodeInvalid && rep.Rejected > 0 && !rep.Written {
			p.Status, p.Title, p.Field = http.StatusUnprocessableEntity, http.StatusText(http.StatusUnprocessableEntity), "body"
		}
		s.log.Log(c.Request.Context(), levelFor(p.Status), "import failed", "status", p.Status, "error", err.Error())
		fixReport(&rep)
		writeProblemBody(c, p, ImportProblemBody{Problem: p, Report: rep})
		return
	}
	fixReport(&rep)
	if rep.Written && len(rep.RunIDs) > 0 {
		c.Header("Location", "/v1/imports/"+rep.RunIDs[0])
		c.PureJSON(http.StatusCreated, rep)
		return
	}
	c.PureJSON(http.StatusOK, rep)
}

// importRun is GET /v1/imports/{id}: a stored run.
func (s *server) importRun(c *gin.Context) {
	if err := ParseNoParams(c.Request.URL.Query()); err != nil {
		s.fail(c, err)
		return
	}
	id, err := ParseImportRunID(c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if s.imports == nil {
		s.fail(c, graph.Errorf(graph.CodeUnavailable, "", "imports are not available on this server"))
		return
	}
	run, err := s.imports.Run(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.PureJSON(http.StatusOK, run)
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
}
