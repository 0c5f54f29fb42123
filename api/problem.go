package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/graph"
)

// ProblemContentType is the media type of every error answer (RFC 9457).
const ProblemContentType = "application/problem+json"

// Problem (openapi.gen.go, schema Problem) is an RFC 9457 problem detail,
// plus Field: the request parameter the problem concerns, when there is one.

// problemType is the type URI of a domain code's problems.
func problemType(code graph.Code) string { return "urn:scamgraph:problem:" + string(code) }

// statusByCode is the one table mapping domain codes to HTTP statuses.
var statusByCode = map[graph.Code]int{
	graph.CodeInvalid:              http.StatusBadRequest,
	graph.CodeNotFound:             http.StatusNotFound,
	graph.CodeConflict:             http.StatusConflict,
	graph.CodeUnavailable:          http.StatusServiceUnavailable,
	graph.CodeTimeout:              http.StatusGatewayTimeout,
	graph.CodeUnauthorized:         http.StatusUnauthorized,
	graph.CodeForbidden:            http.StatusForbidden,
	graph.CodeTooLarge:             http.StatusRequestEntityTooLarge,
	graph.CodeUnsupportedMediaType: http.StatusUnsupportedMediaType,
	graph.CodeRateLimited:          http.StatusTooManyRequests,
	graph.CodeInternal:             http.StatusInternalServerError,
}

// StatusOf returns the HTTP status for an error's domain code.
func StatusOf(err error) int {
	if s, ok := statusByCode[graph.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// retryAfterSeconds is what 503 and 429 answers tell clients to wait.
const retryAfterSeconds = 5

// ProblemFor builds the problem for err; internal errors get a generic
// detail (the cause goes to the log only).
func ProblemFor(err error, instance string) Problem {
	code := graph.ErrorCode(err)
	if errors.Is(err, context.DeadlineExceeded) && code == graph.CodeInternal {
		code = graph.CodeTimeout
	}
	status, ok := statusByCode[code]
	if !ok {
		code, status = graph.CodeInternal, http.StatusInternalServerError
	}
	p := Problem{Type: problemType(code), Title: http.StatusText(status), Status: status,
		Detail: graph.ErrorMessage(err), Instance: instance, Field: graph.ErrorField(err)}
	if status == http.StatusInternalServerError {
		p.Detail, p.Field = "internal error; the request id in the log is the instance", ""
	}
	return p
}

// writeProblem answers with a problem.
func writeProblem(c *gin.Context, p Problem) { writeProblemBody(c, p, p) }

// writeProblemBody answers with p's status and body, which is p or p
// embedded with extension members (RFC 9457, section 3.2). A Retry-After
// already set (by the rate limiter, which knows the wait) is kept.
func writeProblemBody(c *gin.Context, p Problem, body any) {
	writeProblemTo(c.Writer, p, body)
	c.Abort()
}

// writeProblemTo writes a problem answer to w (see writeProblemBody).
func writeProblemTo(w http.ResponseWriter, p Problem, body any) {
	h := w.Header()
	if (p.Status == http.StatusServiceUnavailable || p.Status == http.StatusTooManyRequests) && h.Get("Retry-After") == "" {
		h.Set("Retry-After", strconv.Itoa(retryAfterSeconds))
	}
	h.Set("Cache-Control", "no-store")
	b, err := json.Marshal(body)
	if err != nil { // problems are strings, ints and our own report types
		b = []byte(`{"type":"about:blank","title":"Internal Server Error","status":500}`)
		p.Status = http.StatusInternalServerError
	}
	h.Set("Content-Type", ProblemContentType)
	w.WriteHeader(p.Status)
	_, _ = w.Write(b)
}

// fail answers with the problem for err and logs what clients do not see.
func (s *server) fail(c *gin.Context, err error) {
	p := ProblemFor(err, c.Request.URL.Path)
	s.log.Log(c.Request.Context(), levelFor(p.Status), "request failed", "path", c.Request.URL.Path,
		"status", p.Status, "code", string(graph.ErrorCode(err)), "error", err.Error())
	writeProblem(c, p)
}

// levelFor is the log level of a failed request: errors for 5xx.
func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelDebug
}

// invalid is a shorthand for a bad-parameter error.
func invalid(field, format string, args ...any) error {
	return graph.Errorf(graph.CodeInvalid, field, format, args...)
}
