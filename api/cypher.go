package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/api/audit"
	"github.com/scamgraph/scamgraph/graph"
)

// CypherBody is the body of POST /v1/cypher (schema CypherRequest): numbers
// in params stay json.Number, so the runner passes integral ones as
// integers. The document's validation has already checked its shape.
type CypherBody struct {
	Query  string         `json:"query"`
	Params map[string]any `json:"params,omitempty"`
}

// UnmarshalJSON decodes with UseNumber.
func (b *CypherBody) UnmarshalJSON(data []byte) error {
	type plain CypherBody
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var p plain
	if err := dec.Decode(&p); err != nil {
		return err
	}
	*b = CypherBody(p)
	return nil
}

// Cypher is POST /v1/cypher: one read-only statement through the guarded
// runner (graph.CypherRunner). Refusals are 400 on "query".
func (s *server) Cypher(ctx context.Context, r CypherRequestObject) (CypherResponseObject, error) {
	if r.Body == nil || strings.TrimSpace(r.Body.Query) == "" {
		return nil, invalid("query", "is required: a read-only Cypher statement")
	}
	if s.cypher == nil {
		return nil, graph.Errorf(graph.CodeUnavailable, "", "the Cypher endpoint is not available on this server")
	}
	sum := sha256.Sum256([]byte(r.Body.Query))
	note(ctx, "cypher_sha256", hex.EncodeToString(sum[:]))
	res, err := s.cypher.RunReadOnly(ctx, graph.CypherQuery{
		Text: r.Body.Query, Params: r.Body.Params, Timeout: s.cfg.Limits.CypherTimeout, MaxRows: s.cfg.Limits.CypherMaxRows,
	})
	if err != nil {
		return nil, err
	}
	if res.Columns == nil {
		res.Columns = []string{}
	}
	if res.Rows == nil {
		res.Rows = [][]json.RawMessage{}
	}
	return Cypher200JSONResponse(res), nil
}

// note adds a field to the request's audit record (the handlers' context
// is the request's *gin.Context).
func note(ctx context.Context, key string, value any) {
	if c, ok := ctx.(*gin.Context); ok {
		audit.Note(c, key, value)
	}
}
