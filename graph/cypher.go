package graph

import (
	"context"
	"encoding/json"
	"time"
)

// Limits of the read-only Cypher endpoint.
const (
	MaxCypherTextLen      = 10 * 1024 // bytes of query text
	DefaultCypherTimeout  = 10 * time.Second
	MaxCypherTimeout      = 60 * time.Second
	DefaultCypherMaxRows  = 1000
	MaxCypherMaxRows      = 10000
	MaxCypherParams       = 100
	MaxCypherResultBytes  = 16 << 20 // the rows' JSON, summed; past it the result is truncated
	MaxCypherParamsLength = 64 << 10 // bytes of the parameters' JSON
)

// CypherQuery is a user's Cypher statement for the guarded read-only
// runner. Params come from JSON (strings, float64 or json.Number, bool,
// nil, []any, map[string]any); integral numbers are passed as integers.
type CypherQuery struct {
	Text    string
	Params  map[string]any
	Timeout time.Duration // 0: DefaultCypherTimeout; capped at MaxCypherTimeout
	MaxRows int           // 0: DefaultCypherMaxRows; capped at MaxCypherMaxRows
}

// Normalized returns q with Timeout and MaxRows defaulted and capped.
func (q CypherQuery) Normalized() CypherQuery {
	if q.Timeout <= 0 {
		q.Timeout = DefaultCypherTimeout
	}
	if q.Timeout > MaxCypherTimeout {
		q.Timeout = MaxCypherTimeout
	}
	if q.MaxRows <= 0 {
		q.MaxRows = DefaultCypherMaxRows
	}
	if q.MaxRows > MaxCypherMaxRows {
		q.MaxRows = MaxCypherMaxRows
	}
	return q
}

// CypherResult is the answer to a CypherQuery: column names and rows of
// JSON values. Nodes are {"id","labels","properties"} (id is the entity id;
// nodes that are not entities show no properties), relationships are
// {"type","from","to","properties"} with entity ids as endpoints, paths are
// {"nodes":[...],"relationships":[...]}, temporal values are ISO 8601
// strings and points {"srid","x","y"[,"z"]}. Truncated says MaxRows or
// MaxCypherResultBytes cut the rows short.
type CypherResult struct {
	Columns   []string            `json:"columns"`
	Rows      [][]json.RawMessage `json:"rows"`
	Truncated bool                `json:"truncated"`
}

// CypherRunner runs user-written Cypher that must only read. Anything that
// could write, reach outside the database or call a procedure not on the
// allow-list is refused with CodeInvalid (field "query") before it runs.
type CypherRunner interface {
	RunReadOnly(ctx context.Context, q CypherQuery) (CypherResult, error)
}
