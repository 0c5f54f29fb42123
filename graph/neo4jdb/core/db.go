// Package core is what every part of graph/neo4jdb shares: the one driver of
// the process, its error classification and recovery state, the converters
// between driver values and graph types, and the as_of rewriting of the read
// queries. Nothing here is seen outside graph/neo4jdb.
package core

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/queries"
)

// Config says how to reach Neo4j.
type Config struct {
	URI      string // bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s://, neo4j+ssc://
	User     string
	Password string
	Database string // the database every query names; "neo4j" by default
	// MaxPoolSize caps the driver's connection pool (0: the driver's default).
	MaxPoolSize int
	// AcquireTimeout bounds waiting for a pooled connection (0: 10s).
	AcquireTimeout time.Duration
	// ConnectTimeout bounds opening a socket (0: 5s).
	ConnectTimeout time.Duration
	// ObserveQuery, when set, is told of each named read and key query
	// (metrics; see QueryObserver).
	ObserveQuery QueryObserver
	// AnalyticsMaxMemory caps what one analytics request's projection and
	// algorithms may need by GDS's estimate, in bytes (0:
	// graph.DefaultAnalyticsMaxMemory). Beyond it the request is refused.
	AnalyticsMaxMemory int64
}

// DB is one Neo4j driver for the process, with the database it names.
type DB struct {
	driver   neo4j.DriverWithContext
	database string
	onQuery  QueryObserver
	// downAt is when a request last found Neo4j unavailable, okSince
	// since when reads have answered without a timeout after that (unix
	// nanos; 0: never, none). See classifyReq and recovering.
	downAt, okSince atomic.Int64
	// AnalyticsMaxBytes is Config.AnalyticsMaxMemory.
	AnalyticsMaxBytes int64
}

// Open creates the driver. It does not contact the server: call Ping or
// WaitReady for that.
func Open(cfg Config) (*DB, error) {
	if cfg.Database == "" {
		cfg.Database = "neo4j"
	}
	if cfg.AcquireTimeout == 0 {
		cfg.AcquireTimeout = 10 * time.Second
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	drv, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""),
		func(c *config.Config) {
			if cfg.MaxPoolSize > 0 {
				c.MaxConnectionPoolSize = cfg.MaxPoolSize
			}
			c.ConnectionAcquisitionTimeout = cfg.AcquireTimeout
			c.SocketConnectTimeout = cfg.ConnectTimeout
			c.MaxTransactionRetryTime = 15 * time.Second
		})
	if err != nil {
		return nil, graph.WrapError(graph.CodeInvalid, err, "NEO4J_URI %q is not usable", cfg.URI)
	}
	if cfg.AnalyticsMaxMemory <= 0 {
		cfg.AnalyticsMaxMemory = graph.DefaultAnalyticsMaxMemory
	}
	return &DB{driver: drv, database: cfg.Database, onQuery: cfg.ObserveQuery, AnalyticsMaxBytes: cfg.AnalyticsMaxMemory}, nil
}

// Driver is the process's one driver, for the stores that run their own
// transactions.
func (db *DB) Driver() neo4j.DriverWithContext { return db.driver }

// Close closes the driver and its connections.
func (db *DB) Close(ctx context.Context) error { return db.driver.Close(ctx) }

// Database is the database name queries run against.
func (db *DB) Database() string { return db.database }

// Ping runs a trivial read on the database, routed to a reader.
func (db *DB) Ping(ctx context.Context) error {
	_, err := db.Read(ctx, queries.Get("ping"), nil)
	if err != nil {
		return fmt.Errorf("ping neo4j: %w", err)
	}
	return nil
}

// WaitReady pings until Neo4j answers or ctx ends.
func (db *DB) WaitReady(ctx context.Context, every time.Duration) error {
	refused := 0
	for {
		err := db.Ping(ctx)
		if err == nil {
			return nil
		}
		// Neo4j that answers with a refusal of the credentials is up: waiting
		// does not help. Three in a row, in case a starting server refuses
		// before its users are in place.
		if refused++; !credentialsRefused(err) {
			refused = 0
		}
		if refused >= 3 {
			return fmt.Errorf("neo4j refuses the credentials: check NEO4J_USER and NEO4J_PASSWORD: %w", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for neo4j: %w (last error: %v)", ctx.Err(), err)
		case <-time.After(every):
		}
	}
}

// credentialsRefused reports whether err is Neo4j refusing the login (or
// locking the user out after refusals).
func credentialsRefused(err error) bool {
	var ne *neo4j.Neo4jError
	return errors.As(err, &ne) && loginRefused(ne)
}

// loginRefused: the codes of a refused login, for Classify and WaitReady.
func loginRefused(ne *neo4j.Neo4jError) bool {
	return ne.Code == "Neo.ClientError.Security.Unauthorized" || ne.Code == "Neo.ClientError.Security.AuthenticationRateLimit"
}

// ApplySchema runs the ordered, idempotent schema statements and waits for
// the indexes to come online.
func (db *DB) ApplySchema(ctx context.Context) error {
	stmts, err := queries.Schema()
	if err != nil {
		return fmt.Errorf("load schema: %w", err)
	}
	for _, s := range stmts {
		if err := db.applySchemaStatement(ctx, s); err != nil {
			return fmt.Errorf("apply schema statement %q: %w", FirstLine(s), Classify(err))
		}
	}
	if _, err := neo4j.ExecuteQuery(ctx, db.driver, "CALL db.awaitIndexes(300)", nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(db.database)); err != nil {
		return fmt.Errorf("await indexes: %w", Classify(err))
	}
	return nil
}

// applySchemaStatement runs one idempotent schema statement (CREATE ...
// IF NOT EXISTS). Two processes applying the schema to a fresh database at
// once (two imports, an import and serve) race inside Neo4j: the one that
// loses is told the rule exists already (EquivalentSchemaRuleAlreadyExists,
// or IndexAlreadyExists / ConstraintAlreadyExists), although IF NOT EXISTS
// asked for exactly that outcome. Those answers are success.
// A statement with $after is a migration in batches: it runs again, one
// transaction a time, from the last id the previous run returned (last),
// until last is null.
func (db *DB) applySchemaStatement(ctx context.Context, s string) error {
	var err error
	if strings.Contains(s, "$after") {
		after := ""
		for {
			var res *neo4j.EagerResult
			res, err = neo4j.ExecuteQuery(ctx, db.driver, s, map[string]any{"after": after}, neo4j.EagerResultTransformer,
				neo4j.ExecuteQueryWithDatabase(db.database))
			if err != nil || len(res.Records) == 0 {
				break
			}
			last, isNil, gerr := neo4j.GetRecordValue[string](res.Records[0], "last")
			if gerr != nil {
				return gerr
			}
			if isNil {
				break
			}
			after = last
		}
	} else {
		_, err = neo4j.ExecuteQuery(ctx, db.driver, s, nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(db.database))
	}
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) && slices.Contains([]string{
		"Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
		"Neo.ClientError.Schema.IndexAlreadyExists",
		"Neo.ClientError.Schema.ConstraintAlreadyExists",
	}, ne.Code) {
		return nil
	}
	return err
}

// Read runs one Read query, routed to readers, against the named database.
func (db *DB) Read(ctx context.Context, cypher string, params map[string]any) (_ *neo4j.EagerResult, err error) {
	defer db.Observe(cypher, time.Now(), &err)
	res, err := neo4j.ExecuteQuery(ctx, db.driver, cypher, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(db.database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, db.ClassifyReq(ctx, err)
	}
	// Not readOK: read serves pings and key lookups, which answer long
	// before the graph's reads do on a Neo4j that is warming up.
	return res, nil
}

// Session opens a Session on the named database.
func (db *DB) Session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionWithContext {
	return db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.database, AccessMode: mode})
}

// probeTimeout bounds the ping that tells a slow query from a database
// that is not answering.
const probeTimeout = 500 * time.Millisecond

// ClassifyReq is classify for the request path: it tells a Neo4j that is
// down, starting or warming up (CodeUnavailable: 503 with Retry-After, the
// client should retry) from a query that is too slow for a healthy Neo4j
// (CodeTimeout: 504).
//
// The driver, retrying a connection that fails while the deadline
// expires, returns a bare context.DeadlineExceeded, and a Neo4j that
// accepts connections while it starts, or answers while its caches and
// compiled code are cold, lets reads run past their deadline (the driver's
// ConnectivityError, or Neo4j's own transaction timeout) although it
// answers a trivial query quickly. So a timeout is unavailability:
//
//   - while Neo4j is recovering (see recovering): found unavailable, and
//     reads have not yet answered in time for recoveryGrace since;
//   - when, after the caller's deadline ran out, a trivial query with a
//     fresh, short deadline (the probe) gets no answer either.
//
// Otherwise it is a slow query (504); Neo4j's own transaction timeout
// needs no probe: the database answered.
func (db *DB) ClassifyReq(ctx context.Context, err error) error {
	c := Classify(err)
	switch graph.ErrorCode(c) {
	case graph.CodeUnavailable:
		db.markDown(time.Now())
		return c
	case graph.CodeTimeout:
	default:
		return c
	}
	if db.recovering(time.Now()) {
		db.readTimedOut(time.Now())
		return graph.WrapError(graph.CodeUnavailable, err, "the graph database is restarting")
	}
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) {
		return c
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), probeTimeout)
	defer cancel()
	if _, perr := neo4j.ExecuteQuery(pctx, db.driver, queries.Get("ping"), nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(db.database), neo4j.ExecuteQueryWithReadersRouting()); perr != nil {
		db.markDown(time.Now())
		return graph.WrapError(graph.CodeUnavailable, err, "the graph database is not answering")
	}
	return c
}

const (
	// recoveryGrace is how long, after an outage, reads must answer
	// without running out of time before a timeout is a slow query again.
	recoveryGrace = 10 * time.Second
	// recoveryMax bounds the recovery: this long after Neo4j was last
	// found unavailable, a timeout is a slow query even if no read has
	// answered since (a Neo4j up but too slow for every read).
	recoveryMax = 2 * time.Minute
)

// markDown notes that a request found Neo4j unavailable at now; reads
// that answered before do not count towards its recovery.
func (db *DB) markDown(now time.Time) {
	db.downAt.Store(now.UnixNano())
	db.okSince.Store(0)
}

// ReadOK notes that a graph read answered at now.
func (db *DB) ReadOK(now time.Time) { db.okSince.CompareAndSwap(0, now.UnixNano()) }

// readTimedOut notes that a read ran out of time while Neo4j recovers: its
// recovery starts again from the next read that answers.
func (db *DB) readTimedOut(now time.Time) {
	if db.recovering(now) {
		db.okSince.Store(0)
	}
}

// recovering says whether Neo4j, found unavailable less than recoveryMax
// ago, has not yet answered reads for recoveryGrace since.
func (db *DB) recovering(now time.Time) bool {
	down := db.downAt.Load()
	if down == 0 || now.Sub(time.Unix(0, down)) >= recoveryMax {
		return false
	}
	ok := db.okSince.Load()
	return ok == 0 || now.Sub(time.Unix(0, ok)) < recoveryGrace
}

// Classify maps driver errors to domain codes: connectivity to
// CodeUnavailable, deadlines to CodeTimeout, Cypher client errors about
// input to CodeInvalid; anything else stays internal.
func Classify(err error) error {
	if err == nil {
		return nil
	}
	var ge *graph.Error
	if errors.As(err, &ge) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return graph.WrapError(graph.CodeTimeout, err, "the query ran out of time")
	}
	if errors.Is(err, context.Canceled) {
		return graph.WrapError(graph.CodeTimeout, err, "the request was cancelled")
	}
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) {
		switch {
		case ne.Code == "Neo.ClientError.Transaction.TransactionTimedOut" ||
			ne.Code == "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration":
			return graph.WrapError(graph.CodeTimeout, err, "the query ran out of time")
		case ne.Code == "Neo.TransientError.General.DatabaseUnavailable" ||
			ne.Code == "Neo.ClientError.Cluster.NotALeader" ||
			ne.Code == "Neo.TransientError.Database.DatabaseUnavailable":
			return graph.WrapError(graph.CodeUnavailable, err, "the graph database is unavailable")
		case loginRefused(ne):
			return graph.WrapError(graph.CodeUnavailable, err, "the service cannot authenticate to the graph database")
		case ne.Code == "Neo.TransientError.General.MemoryPoolOutOfMemoryError" ||
			ne.Code == "Neo.TransientError.General.TransactionMemoryLimit":
			return graph.WrapError(graph.CodeTooLarge, err, "the query needs more memory than a transaction may use")
		}
		return err
	}
	var ce *neo4j.ConnectivityError
	var ue *neo4j.UsageError
	var te *neo4j.TransactionExecutionLimit
	var oe *net.OpError
	// The driver's wrappers do not unwrap: a retry limit keeps its attempts'
	// errors (the last one says why: out of memory, a server timeout), a
	// connectivity error the deadline that cut the connection.
	if errors.As(err, &te) && len(te.Errors) > 0 {
		var last *graph.Error
		if errors.As(Classify(te.Errors[len(te.Errors)-1]), &last) {
			return &graph.Error{Code: last.Code, Field: last.Field, Message: last.Message, Err: err}
		}
	}
	if errors.As(err, &ce) && ce.Inner != nil {
		switch {
		case errors.Is(ce.Inner, context.DeadlineExceeded):
			return graph.WrapError(graph.CodeTimeout, err, "the query ran out of time")
		case errors.Is(ce.Inner, context.Canceled):
			return graph.WrapError(graph.CodeTimeout, err, "the request was cancelled")
		}
	}
	switch {
	case errors.As(err, &ce), errors.As(err, &oe), neo4j.IsRetryable(err):
		return graph.WrapError(graph.CodeUnavailable, err, "the graph database is unavailable")
	case errors.As(err, &te):
		return graph.WrapError(graph.CodeUnavailable, err, "the graph database did not accept the transaction in time")
	case errors.As(err, &ue):
		return err
	}
	return err
}

func FirstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}

var (
	// procedureFailure is Neo4j's wrapping of an exception a procedure threw.
	procedureFailure = regexp.MustCompile("(?s)^Failed to invoke procedure `([^`]+)`: Caused by: ([\\w$.]+): (.*)$")
	// causedBy is an exception's class introducing its cause.
	causedBy = regexp.MustCompile(`Caused by: (?:[\w$]+\.)*[\w$]+: ?`)
	// stackFrame is a line of a Java stack trace.
	stackFrame = regexp.MustCompile(`^\s*(?:at [\w$./<>-]+\(.*\)|\.\.\. \d+ more)\s*$`)
	// javaName is a qualified Java class name or an exception's name.
	javaName = regexp.MustCompile(`\b(?:java|javax|jdk|sun|scala|org|com)\.(?:[\w$]+[./])+[\w$]+|\b\w*Exception\b`)
	// javaValue is a Java boxed type Neo4j shows for a value (Long(1)), or
	// a Java runtime's or function's message about a value, in our words.
	javaValue = strings.NewReplacer("Long(", "Integer(", "Double(", "Float(", "long overflow", "integer overflow",
		"/ by zero", "division by zero",
		"Cannot handle negative start index nor negative length", "substring(), left() and right() take no negative start or length",
		"negative length", "left() and right() take no negative length",
		"Unsupported unit: ", "unknown unit of time: ")
)

// Neo4jUserText puts Neo4j's message for a client error in our words: no
// Java class or exception name, no stack frame, no Lucene parser listing
// of what it expected. A procedure's exception becomes "procedure X
// failed: detail", a Lucene ParseException "the full-text query is not
// valid Lucene syntax: detail"; a sentence that still names a Java class
// is dropped. The result may be empty (then say something generic).
func Neo4jUserText(msg string) string {
	if m := procedureFailure.FindStringSubmatch(msg); m != nil {
		proc, class, detail := m[1], m[2], m[3]
		if strings.HasSuffix(class, ".ParseException") && strings.Contains(class, "lucene") {
			msg = "the full-text query is not valid Lucene syntax: " + FirstLine(detail)
		} else {
			msg = "procedure " + proc + " failed: " + detail
		}
	}
	msg = causedBy.ReplaceAllString(msg, "")
	lines := strings.Split(msg, "\n")
	kept := lines[:0]
	for _, l := range lines {
		if stackFrame.MatchString(l) {
			continue
		}
		sentences := strings.Split(l, ". ")
		ok := slices.DeleteFunc(slices.Clone(sentences), javaName.MatchString)
		if len(ok) == 0 {
			continue
		}
		l = strings.Join(ok, ". ")
		if len(ok) < len(sentences) && !strings.HasSuffix(l, ".") {
			l += "."
		}
		kept = append(kept, l)
	}
	return strings.TrimSpace(javaValue.Replace(strings.Join(kept, "\n")))
}
