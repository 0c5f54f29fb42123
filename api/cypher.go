package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/audit"
	"github.com/scamgraph/scamgraph/internal/guard"
)

// CypherRequest is the body of POST /v1/cypher.
type CypherRequest struct {
	Query  string         `json:"query"`
	Params map[string]any `json:"params,omitempty"`
}

// ParseCypherRequest reads a POST /v1/cypher body: one JSON object with
// "query" (required) and "params" (optional; numbers stay json.Number, so
// the runner passes integral ones as integers). A read cut off by the body
// limit is CodeTooLarge; anything else wrong is CodeInvalid.
func ParseCypherRequest(body io.Reader) (CypherRequest, error) {
	var req CypherRequest
	if body == nil {
		return req, invalid("body", `is empty; send {"query": "MATCH …", "params": {…}}`)
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		if tl := guard.TooLarge(err); graph.ErrorCode(tl) == graph.CodeTooLarge {
			return req, tl
		}
		return req, graph.WrapError(graph.CodeInvalid, err, "the request body could not be read")
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return req, invalid("body", `is empty; send {"query": "MATCH …", "params": {…}}`)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &ute) && ute.Field != "":
			return req, invalid(ute.Field, "has the wrong type (want %s)", map[string]string{"query": "a string", "params": "an object"}[ute.Field])
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return req, invalid("body", "%s (want query and params)", strings.TrimPrefix(err.Error(), "json: "))
		}
		return req, invalid("body", `is not a JSON object {"query": "…", "params": {…}}: %s`, strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return req, invalid("body", "holds more than one JSON value")
	}
	if strings.TrimSpace(req.Query) == "" {
		return req, invalid("query", "is required: a read-only Cypher statement")
	}
	return req, nil
}

// runCypher is POST /v1/cypher: one read-only statement through the
// guarded runner (graph.CypherRunner). Refusals are 400 on "query".
func (s *server) runCypher(c *gin.Context) {
	req, err := ParseCypherRequest(c.Request.Body)
	if err != nil {
		s.fail(c, err)
		return
	}
	if s.cypher == nil {
		s.fail(c, graph.Errorf(graph.CodeUnavailable, "", "the Cypher endpoint is not available on this server"))
		return
	}
	sum := sha256.Sum256([]byte(req.Query))
	audit.Note(c, "cypher_sha256", hex.EncodeToString(sum[:]))
	extendConnDeadlines(c, s.timeoutFor(c))
	res, err := s.cypher.RunReadOnly(c.Request.Context(), graph.CypherQuery{
		Text: req.Query, Params: req.Params, Timeout: s.cfg.Limits.CypherTimeout, MaxRows: s.cfg.Limits.CypherMaxRows,
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	if res.Columns == nil {
		res.Columns = []string{}
	}
	if res.Rows == nil {
		res.Rows = [][]json.RawMessage{}
	}
	c.PureJSON(http.StatusOK, res)
}
