package cypher

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/cypherguard"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
	"github.com/scamgraph/scamgraph/queries"
)

// RunReadOnly runs a user's Cypher statement behind three layers:
//
//  1. cypherguard.Check refuses, before Neo4j sees it, anything that names a
//     write or admin clause, LOAD CSV, USE, a transaction batch, a query
//     prefix, the credentials' label or a procedure or function outside
//     the allow-lists.
//  2. EXPLAIN (plans, never runs) must report a read-only statement, and
//     its plan must hold no write, LOAD CSV or transaction operator and no
//     procedure outside cypherguard.AllowedProcedures.
//  3. The statement runs in a READ-mode transaction with a server-side
//     timeout, which is rolled back, never committed; rows stop at
//     MaxRows and at graph.MaxCypherResultBytes.
//
// Everything refused is CodeInvalid with field "query"; Neo4j's client
// errors (syntax, types, missing parameters) too, with its message.
func (db *Runner) RunReadOnly(ctx context.Context, q graph.CypherQuery) (graph.CypherResult, error) {
	return db.runReadOnly(ctx, q, guardLayers{precheck: true, plan: true})
}

// guardLayers switch the first two layers; only tests turn them off, to
// show that each layer holds on its own.
type guardLayers struct{ precheck, plan bool }

func (db *Runner) runReadOnly(ctx context.Context, q graph.CypherQuery, layers guardLayers) (graph.CypherResult, error) {
	q = q.Normalized()
	text := q.Text
	if layers.precheck {
		var err error
		if text, err = cypherguard.Check(q.Text); err != nil {
			return graph.CypherResult{}, err
		}
	} else if strings.TrimSpace(text) == "" {
		return graph.CypherResult{}, cypherguard.Invalid("is empty")
	}
	params, err := cypherParams(q.Params)
	if err != nil {
		return graph.CypherResult{}, err
	}
	// The server enforces q.Timeout; the context is the client's backstop
	// should the server not answer.
	ctx, cancel := context.WithTimeout(ctx, q.Timeout+2*time.Second)
	defer cancel()

	sess := db.Session(ctx, neo4j.AccessModeRead)
	defer sess.Close(context.WithoutCancel(ctx))
	meta := map[string]any{"app": "scamgraph", "endpoint": "cypher"}
	if p, ok := graph.PrincipalFrom(ctx); ok {
		meta["key_id"] = p.KeyID
	}
	tx, err := sess.BeginTransaction(ctx, neo4j.WithTxTimeout(q.Timeout), neo4j.WithTxMetadata(meta))
	if err != nil {
		return graph.CypherResult{}, fmt.Errorf("run cypher: %w", classifyUserCypher(err, false))
	}
	// Never committed: whatever happens, the transaction is rolled back.
	defer tx.Close(context.WithoutCancel(ctx))

	if layers.plan {
		plan, err := tx.Run(ctx, "EXPLAIN "+text, params)
		if err != nil {
			return graph.CypherResult{}, fmt.Errorf("explain cypher: %w", classifyUserCypher(err, true))
		}
		sum, err := plan.Consume(ctx)
		if err != nil {
			return graph.CypherResult{}, fmt.Errorf("explain cypher: %w", classifyUserCypher(err, true))
		}
		if err := CheckPlan(sum.StatementType(), sum.Plan()); err != nil {
			return graph.CypherResult{}, err
		}
	}

	res, err := tx.Run(ctx, text, params)
	if err != nil {
		return graph.CypherResult{}, fmt.Errorf("run cypher: %w", classifyUserCypher(err, false))
	}
	cols, err := res.Keys()
	if err != nil {
		return graph.CypherResult{}, fmt.Errorf("run cypher: %w", classifyUserCypher(err, false))
	}
	out := graph.CypherResult{Columns: cols, Rows: [][]json.RawMessage{}}
	var raw [][]any
	for res.Next(ctx) {
		if len(raw) == q.MaxRows {
			out.Truncated = true
			break
		}
		raw = append(raw, res.Record().Values)
	}
	if err := res.Err(); err != nil {
		return graph.CypherResult{}, fmt.Errorf("run cypher: %w", classifyUserCypher(err, false))
	}

	conv := newCypherConverter()
	for _, row := range raw {
		for _, v := range row {
			conv.collect(v)
		}
	}
	if missing := conv.missingEndpoints(); len(missing) > 0 {
		if err := conv.resolve(ctx, tx, missing); err != nil {
			return graph.CypherResult{}, err
		}
	}
	size := 0
	for _, row := range raw {
		cells := make([]json.RawMessage, len(row))
		rowSize := 0
		for i, v := range row {
			b, err := json.Marshal(conv.value(v))
			if err != nil {
				return graph.CypherResult{}, fmt.Errorf("run cypher: encode %s: %w", cols[i], err)
			}
			cells[i] = b
			rowSize += len(b)
		}
		if size+rowSize > graph.MaxCypherResultBytes {
			out.Truncated = true
			break
		}
		size += rowSize
		out.Rows = append(out.Rows, cells)
	}
	if err := tx.Rollback(context.WithoutCancel(ctx)); err != nil {
		return graph.CypherResult{}, fmt.Errorf("run cypher: end transaction: %w", core.Classify(err))
	}
	return out, nil
}

// CheckPlan is the guard's second layer, on EXPLAIN's answer: the
// statement must be read-only and its plan free of operators that write,
// load files, batch transactions or call a procedure not allowed.
func CheckPlan(st neo4j.StatementType, plan neo4j.Plan) error {
	if st != neo4j.StatementTypeReadOnly {
		return cypherguard.Invalid("is not a read-only statement (Neo4j plans it as %s); this endpoint runs read-only queries", statementTypeName(st))
	}
	if plan == nil {
		return cypherguard.Invalid("could not be planned")
	}
	return checkPlanNode(plan)
}

func statementTypeName(st neo4j.StatementType) string {
	switch st {
	case neo4j.StatementTypeReadWrite:
		return "read-write"
	case neo4j.StatementTypeWriteOnly:
		return "write"
	case neo4j.StatementTypeSchemaWrite:
		return "a schema change"
	}
	return "unknown"
}

// deniedOperatorPrefixes start the names of plan operators that change
// data or schema, reach outside the graph or run separate transactions.
var deniedOperatorPrefixes = []string{
	"Create", "Merge", "Delete", "DetachDelete", "Set", "Remove", "Foreach",
	"LoadCSV", "Transaction", "Drop", "Lock", "Show", "Terminate", "Grant",
	"Deny", "Revoke", "Alter", "Rename", "Start", "Stop", "Enable",
	"Deallocate", "Reallocate", "EmptyResult", "Administration",
}

// unanchoredOperatorPrefixes start the names of plan operators that reach
// any node, whatever its label: a scan of all nodes, a lookup by internal
// id. User queries start from a label (MATCH (n:Entity)), so that nodes
// outside the entity graph (the service's credentials, import runs) are
// out of their reach, whatever dynamic or negated label expression, label
// test or property test they try.
var unanchoredOperatorPrefixes = []string{"AllNodesScan", "PartitionedAllNodesScan", "NodeByIdSeek", "NodeByElementIdSeek"}

func checkPlanNode(p neo4j.Plan) error {
	op, _, _ := strings.Cut(p.Operator(), "@")
	for _, d := range unanchoredOperatorPrefixes {
		if strings.HasPrefix(op, d) {
			return cypherguard.Invalid("plans the operator %s, which reaches nodes of any label: start every pattern from a label, as in MATCH (n:Entity), and do not look nodes up by internal id", op)
		}
	}
	for _, d := range deniedOperatorPrefixes {
		if strings.HasPrefix(op, d) {
			return cypherguard.Invalid("plans a %s operator, which this endpoint does not run (read-only queries only)", op)
		}
	}
	if strings.HasPrefix(op, "ProcedureCall") {
		name := procedureFromDetails(p.Arguments())
		if !cypherguard.AllowedProcedures[strings.ToLower(name)] {
			if name == "" {
				name = "(unnamed)"
			}
			return cypherguard.Invalid("calls procedure %s: only %s may be called", name, cypherguard.AllowedProcedureList())
		}
	}
	for _, c := range p.Children() {
		if err := checkPlanNode(c); err != nil {
			return err
		}
	}
	return nil
}

// procedureFromDetails reads the procedure name from a ProcedureCall
// operator's "Details" argument ("db.labels() :: (label :: STRING)").
func procedureFromDetails(args map[string]any) string {
	d, _ := args["Details"].(string)
	name, _, _ := strings.Cut(d, "(")
	return strings.TrimSpace(name)
}

// classifyUserCypher maps errors of user-written Cypher: Neo4j's client
// errors (syntax, semantics, types, parameters, forbidden procedures,
// arithmetic, arguments) are the user's mistake, CodeInvalid with Neo4j's
// message; so are the failures of a function refusing one of the
// statement's own values that Neo4j 5.26 reports as a database error
// (statementFailed); the rest as classify does. explained says the
// statement ran behind our EXPLAIN prefix, which the message then does not
// show.
func classifyUserCypher(err error, explained bool) error {
	c := core.Classify(err)
	if graph.ErrorCode(c) != graph.CodeInternal {
		return c
	}
	var ne *neo4j.Neo4jError
	if !errors.As(err, &ne) {
		return c
	}
	switch {
	case strings.HasPrefix(ne.Code, "Neo.ClientError."):
		return &graph.Error{Code: graph.CodeInvalid, Field: "query", Message: neo4jMessage(ne, explained), Err: err}
	case ne.Code == statementFailed && core.Neo4jUserText(strings.TrimSpace(ne.Msg)) != "":
		return &graph.Error{Code: graph.CodeInvalid, Field: "query",
			Message: "failed while it ran, on a value it computed: " + neo4jMessage(ne, explained), Err: err}
	}
	return c
}

// statementFailed is the code Neo4j 5.26 gives a statement whose function
// threw on an argument out of its range: substring('abc', -1), left() or
// right() with a negative length, an integer beyond 32 bits where a
// function takes one (substring's start, a list slice's bounds), an
// unknown unit for date.truncate(). The statement is a user's, read-only,
// past the guard: what it computed is the cause, so it is the user's
// mistake (400), when Neo4j's message says what was wrong in words; a
// failure that only names a Java class (a bug in Neo4j) stays internal.
const statementFailed = "Neo.DatabaseError.Statement.ExecutionFailed"

var positionPattern = regexp.MustCompile(`\((?:line (\d+), column (\d+) )?\(offset: (\d+)\)\)`)

// neo4jMessage is Neo4j's message trimmed for users: at most 6 lines and
// 1000 bytes, so a syntax error keeps its caret but nothing long leaks.
// With explained, the "EXPLAIN " prefix is taken out of the quoted query,
// its caret line and the positions.
func neo4jMessage(ne *neo4j.Neo4jError, explained bool) string {
	msg := core.Neo4jUserText(strings.TrimSpace(ne.Msg)) // no Java class names (core/db.go)
	if explained {
		msg = unexplain(msg)
	}
	if lines := strings.Split(msg, "\n"); len(lines) > 6 {
		msg = strings.Join(lines[:6], "\n")
	}
	if len(msg) > 1000 {
		msg = msg[:1000] + "…"
	}
	if msg == "" {
		msg = "Neo4j refused the query (" + ne.Code + ")"
	}
	return msg
}

// cypherParams converts JSON-decoded parameters to driver values:
// integral numbers become integers (LIMIT $n needs one), others floats.
func cypherParams(in map[string]any) (map[string]any, error) {
	if len(in) > graph.MaxCypherParams {
		return nil, graph.Errorf(graph.CodeInvalid, "params", "has more than %d parameters", graph.MaxCypherParams)
	}
	// The parameters are inputs a query may copy and grow; the text guard's
	// memory rules (cypherguard) assume them bounded.
	if b, err := json.Marshal(in); err != nil {
		return nil, graph.Errorf(graph.CodeInvalid, "params", "cannot be encoded: %s", err)
	} else if len(b) > graph.MaxCypherParamsLength {
		return nil, graph.Errorf(graph.CodeInvalid, "params", "are %d bytes of JSON, more than the %d the parameters may hold", len(b), graph.MaxCypherParamsLength)
	}
	out := make(map[string]any, len(in))
	for k, v := range in {
		if k == "" {
			return nil, graph.Errorf(graph.CodeInvalid, "params", "has a parameter with an empty name")
		}
		cv, err := cypherParam(v, 0)
		if err != nil {
			return nil, graph.Errorf(graph.CodeInvalid, "params."+k, "%s", err)
		}
		out[k] = cv
	}
	return out, nil
}

func cypherParam(v any, depth int) (any, error) {
	if depth > 16 {
		return nil, errors.New("is nested more than 16 levels deep")
	}
	switch x := v.(type) {
	case nil, string, bool, int64:
		return x, nil
	case int:
		return int64(x), nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) <= 1<<53 {
			return int64(x), nil
		}
		return x, nil
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, nil
		}
		f, err := x.Float64()
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", x.String())
		}
		return f, nil
	case []any:
		out := make([]any, len(x))
		for i, y := range x {
			cy, err := cypherParam(y, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = cy
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, y := range x {
			cy, err := cypherParam(y, depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = cy
		}
		return out, nil
	}
	return nil, fmt.Errorf("has an unsupported type %T (want JSON values)", v)
}

// cypherConverter turns driver values into JSON-ready values. Nodes are
// named by their entity id; relationships by their endpoints' entity ids,
// which for a relationship returned without its nodes are looked up.
type cypherConverter struct {
	ids       map[string]any  // element id -> entity id (string) or nil
	endpoints map[string]bool // element ids of relationship endpoints
}

func newCypherConverter() *cypherConverter {
	return &cypherConverter{ids: map[string]any{}, endpoints: map[string]bool{}}
}

func entityIDOf(n dbtype.Node) any {
	for _, l := range n.Labels {
		if l == graph.EntityLabel {
			if id, ok := n.Props["id"].(string); ok {
				return id
			}
		}
	}
	return nil
}

func (c *cypherConverter) collect(v any) {
	switch x := v.(type) {
	case dbtype.Node:
		c.ids[x.ElementId] = entityIDOf(x)
	case dbtype.Relationship:
		c.endpoints[x.StartElementId] = true
		c.endpoints[x.EndElementId] = true
	case dbtype.Path:
		for _, n := range x.Nodes {
			c.collect(n)
		}
		for _, r := range x.Relationships {
			c.collect(r)
		}
	case []any:
		for _, y := range x {
			c.collect(y)
		}
	case map[string]any:
		for _, y := range x {
			c.collect(y)
		}
	}
}

func (c *cypherConverter) missingEndpoints() []string {
	var out []string
	for id := range c.endpoints {
		if _, ok := c.ids[id]; !ok {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// resolve looks up the entity ids of relationship endpoints, in the same
// transaction, so they match the rows.
func (c *cypherConverter) resolve(ctx context.Context, tx neo4j.ExplicitTransaction, elementIDs []string) error {
	const page = 1000
	for start := 0; start < len(elementIDs); start += page {
		batch := elementIDs[start:min(start+page, len(elementIDs))]
		res, err := tx.Run(ctx, queries.Get("cypher-element-ids"), map[string]any{"element_ids": batch})
		if err != nil {
			return fmt.Errorf("resolve relationship endpoints: %w", core.Classify(err))
		}
		recs, err := res.Collect(ctx)
		if err != nil {
			return fmt.Errorf("resolve relationship endpoints: %w", core.Classify(err))
		}
		for _, rec := range recs {
			eid, _, err := neo4j.GetRecordValue[string](rec, "element_id")
			if err != nil {
				return fmt.Errorf("resolve relationship endpoints: %w", err)
			}
			id, _ := rec.Get("id")
			if s, ok := id.(string); ok {
				c.ids[eid] = s
			} else {
				c.ids[eid] = nil
			}
		}
	}
	return nil
}

func (c *cypherConverter) node(n dbtype.Node) map[string]any {
	labels := append([]string(nil), n.Labels...)
	sort.Strings(labels)
	props := map[string]any{}
	if !hasProtectedLabel(labels) {
		props = c.props(n.Props)
	}
	return map[string]any{"id": entityIDOf(n), "labels": labels, "properties": props}
}

func hasProtectedLabel(labels []string) bool {
	for _, l := range labels {
		if cypherguard.IsProtected(l) {
			return true
		}
	}
	return false
}

func (c *cypherConverter) rel(r dbtype.Relationship) map[string]any {
	return map[string]any{"type": r.Type, "from": c.ids[r.StartElementId], "to": c.ids[r.EndElementId],
		"properties": c.props(r.Props)}
}

func (c *cypherConverter) props(p map[string]any) map[string]any {
	out := make(map[string]any, len(p))
	for k, v := range p {
		out[k] = c.value(v)
	}
	return out
}

// value converts one driver value to a JSON-ready value.
func (c *cypherConverter) value(v any) any {
	switch x := v.(type) {
	case nil, bool, int64, string:
		return x
	case float64:
		switch {
		case math.IsNaN(x):
			return "NaN"
		case math.IsInf(x, 1):
			return "Infinity"
		case math.IsInf(x, -1):
			return "-Infinity"
		}
		return x
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	case []any:
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = c.value(y)
		}
		return out
	case map[string]any:
		return c.props(x)
	case dbtype.Node:
		return c.node(x)
	case dbtype.Relationship:
		return c.rel(x)
	case dbtype.Path:
		nodes := make([]any, len(x.Nodes))
		for i, n := range x.Nodes {
			nodes[i] = c.node(n)
		}
		rels := make([]any, len(x.Relationships))
		for i, r := range x.Relationships {
			rels[i] = c.rel(r)
		}
		return map[string]any{"nodes": nodes, "relationships": rels}
	case dbtype.Date:
		return x.Time().Format("2006-01-02")
	case dbtype.LocalDateTime:
		return x.Time().Format("2006-01-02T15:04:05.999999999")
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case dbtype.LocalTime:
		return x.String()
	case dbtype.Time:
		return x.String()
	case dbtype.Duration:
		return x.String()
	case dbtype.Point2D:
		return map[string]any{"srid": x.SpatialRefId, "x": x.X, "y": x.Y}
	case dbtype.Point3D:
		return map[string]any{"srid": x.SpatialRefId, "x": x.X, "y": x.Y, "z": x.Z}
	}
	return fmt.Sprintf("(unsupported value of type %T)", v)
}

// unexplain removes the "EXPLAIN " the guard put before the user's text
// from a Neo4j error message.
func unexplain(msg string) string {
	const pre = "EXPLAIN "
	lines := strings.Split(msg, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, `"`+pre) {
			lines[i] = `"` + l[1+len(pre):]
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], strings.Repeat(" ", len(pre))) {
				lines[i+1] = lines[i+1][len(pre):]
			}
		}
	}
	msg = strings.Join(lines, "\n")
	return positionPattern.ReplaceAllStringFunc(msg, func(m string) string {
		g := positionPattern.FindStringSubmatch(m)
		off, _ := strconv.Atoi(g[3])
		if off >= len(pre) {
			off -= len(pre)
		}
		if g[1] == "" {
			return fmt.Sprintf("(offset: %d)", off)
		}
		col, _ := strconv.Atoi(g[2])
		if g[1] == "1" && col > len(pre) {
			col -= len(pre)
		}
		return fmt.Sprintf("(line %s, column %d (offset: %d))", g[1], col, off)
	})
}
