// Package api is scamgraph's investigator HTTP API: JSON under /v1 over the
// graph interfaces (graph.Reader, graph.Investigator), errors as RFC 9457
// problem details. Its contract is openapi.yaml, served at /openapi.json;
// the server interface and its types are generated from it (openapi.gen.go,
// go generate ./api). It never imports the Neo4j implementation: cmd/ wires
// one in through Config.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/api/audit"
	"github.com/scamgraph/scamgraph/api/guard"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/triage"
)

// Config is what New needs.
type Config struct {
	Reader       graph.Reader
	Investigator graph.Investigator // nil: the named queries answer 503
	Analyst      graph.Analyst      // nil: the analytics routes answer 503
	// Keys authenticates every /v1 request (Authorization: Bearer sg_…).
	// nil: there is nobody to let in, and every /v1 request is refused
	// (503). There is no way to turn authentication off.
	Keys    graph.KeyStore
	Cypher  graph.CypherRunner  // nil: POST /v1/cypher answers 503
	Imports graph.ImportService // nil: the import routes answer 503
	Merges  graph.MergeStore    // nil: the merge and judgement routes answer 503, merged ids 404
	Names   triage.NameSource   // nil: POST /v1/triage answers 503
	Matcher graph.Matcher       // nil: the match routes answer 503
	// Exporter streams GET /v1/export (nil: it answers 503). Exports have
	// the import deadline, Limits.ImportTimeout.
	Exporter graph.Exporter
	Audit    *audit.Logger // nil: no audit log (serve always sets one)
	Logger   *slog.Logger  // nil: slog.Default()
	// Metrics, when set, runs first on every request, around all the rest
	// (internal/metrics' Middleware: request counts and latency by route).
	Metrics gin.HandlerFunc
	// ReadyTimeout bounds /readyz's ping of Neo4j (default 2s).
	ReadyTimeout time.Duration
	// RequestTimeout is every request's deadline, passed down to the
	// database (default 10s). POST /v1/cypher gets at least
	// Limits.CypherTimeout and 5 s more; POST /v1/imports gets
	// Limits.ImportTimeout.
	RequestTimeout time.Duration
	Limits         Limits
	// CORSOrigins are the exact browser origins allowed to call the API
	// cross-origin (none when empty).
	CORSOrigins []string
	// TrustedProxies are the IPs or CIDR ranges whose X-Forwarded-For is
	// believed for the client IP (rate limits, audit log). Empty: none, the
	// client IP is the connection's peer address.
	TrustedProxies []string
	// CheckAnswers, when set, checks every answer against openapi.yaml
	// (kin-openapi's response validation) and reports each mismatch. Tests
	// set it; it buffers every answer, so a server never should.
	CheckAnswers func(method, path string, err error)
}

// Limits are the API's guards; zero values take the defaults.
type Limits struct {
	RateRPS        float64       // requests a second per API key (DefaultRateRPS)
	RateBurst      int           // burst of both buckets (DefaultRateBurst)
	IPRateRPS      float64       // requests a second per client IP, before authentication (DefaultIPRateRPS)
	MaxBodyBytes   int64         // request bodies (DefaultMaxBodyBytes)
	ImportMaxBytes int64         // uploads to POST /v1/imports (DefaultImportMaxBytes)
	ImportTimeout  time.Duration // one upload and import (DefaultImportTimeout)
	CypherTimeout  time.Duration // server-side limit of one statement (graph.DefaultCypherTimeout)
	CypherMaxRows  int           // rows returned at most (graph.DefaultCypherMaxRows)
	// AnalyticsTimeout is the deadline of the /v1/analytics routes
	// (DefaultAnalyticsTimeout; never less than RequestTimeout).
	AnalyticsTimeout time.Duration
}

// Defaults.
const (
	DefaultReadyTimeout   = 2 * time.Second
	DefaultRequestTimeout = 10 * time.Second
	DefaultRateRPS        = 5
	DefaultRateBurst      = 20
	DefaultIPRateRPS      = 20
	DefaultMaxBodyBytes   = 64 << 10
	DefaultImportMaxBytes = 64 << 20
	DefaultImportTimeout  = 10 * time.Minute
	// DefaultAnalyticsTimeout: a projection and its algorithms over a
	// large graph take longer than a read.
	DefaultAnalyticsTimeout = 60 * time.Second
)

func (l Limits) withDefaults() Limits {
	if l.RateRPS <= 0 {
		l.RateRPS = DefaultRateRPS
	}
	if l.RateBurst <= 0 {
		l.RateBurst = DefaultRateBurst
	}
	if l.IPRateRPS <= 0 {
		l.IPRateRPS = DefaultIPRateRPS
	}
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if l.ImportMaxBytes <= 0 {
		l.ImportMaxBytes = DefaultImportMaxBytes
	}
	if l.ImportTimeout <= 0 {
		l.ImportTimeout = DefaultImportTimeout
	}
	if l.AnalyticsTimeout <= 0 {
		l.AnalyticsTimeout = DefaultAnalyticsTimeout
	}
	q := graph.CypherQuery{Timeout: l.CypherTimeout, MaxRows: l.CypherMaxRows}.Normalized()
	l.CypherTimeout, l.CypherMaxRows = q.Timeout, q.MaxRows
	return l
}

type server struct {
	reader   graph.Reader
	inv      graph.Investigator
	analyst  graph.Analyst
	cypher   graph.CypherRunner
	imports  graph.ImportService
	exporter graph.Exporter
	merges   graph.MergeStore
	names    *triage.Cache
	matcher  graph.Matcher
	keys     graph.KeyStore
	log      *slog.Logger
	cfg      Config
}

// Routes with their own deadlines (timeoutFor), as gin patterns.
const (
	routeCypher = "/v1/cypher"
	// routeAnalytics prefixes the analytics routes (their own deadline).
	routeAnalytics = "/v1/analytics/"
	routeImports   = "/v1/imports"
)

// New builds the API's gin engine. Middleware, outermost first: recover,
// security headers, access log, deadline, CORS, audit; then, per route as
// openapi.yaml states it (see chain): the per-IP rate limit,
// authentication, the per-key rate limit and the role; the body's limit and
// media type; the request against the document. The handlers are the
// generated strict server's (StrictServerInterface).
func New(cfg Config) *gin.Engine {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.ReadyTimeout <= 0 {
		cfg.ReadyTimeout = DefaultReadyTimeout
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	cfg.Limits = cfg.Limits.withDefaults()
	s := &server{reader: cfg.Reader, inv: cfg.Investigator, analyst: cfg.Analyst, cypher: cfg.Cypher, imports: cfg.Imports, exporter: cfg.Exporter,
		merges: cfg.Merges, matcher: cfg.Matcher, log: cfg.Logger, cfg: cfg}
	if cfg.Names != nil {
		s.names = triage.NewCache(cfg.Names)
	}
	s.keys = noKeys{}
	if cfg.Keys != nil {
		// Successful key checks are remembered briefly so a request does
		// not cost a Neo4j round trip for its key (docs/security.md).
		s.keys = guard.CacheKeys(cfg.Keys, guard.DefaultKeyCacheTTL)
	} else {
		cfg.Logger.Warn("no API key store configured: every /v1 request will be refused")
	}

	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.ContextWithFallback = true // handlers get a *gin.Context as their context: its deadline and principal are the request's
	e.HandleMethodNotAllowed = true
	e.UseRawPath = true         // ids may hold an escaped slash (%2F)
	e.UnescapePathValues = true // and reach the handlers unescaped
	e.RedirectTrailingSlash = false
	e.RedirectFixedPath = false
	// gin trusts every proxy by default, which would let any client pick
	// its IP (and so its rate-limit bucket and audit-log address) with
	// X-Forwarded-For.
	var proxies []string
	if len(cfg.TrustedProxies) > 0 {
		proxies = cfg.TrustedProxies
	}
	if err := e.SetTrustedProxies(proxies); err != nil {
		cfg.Logger.Error("bad trusted proxies; trusting none", "err", err)
		_ = e.SetTrustedProxies(nil)
	}
	mw := []gin.HandlerFunc{s.recoverer, securityHeaders, s.accessLog}
	if cfg.CheckAnswers != nil {
		mw = append(mw, checkAnswers(cfg.CheckAnswers))
	}
	mw = append(mw, s.headerLimit, s.deadline, guard.CORS(cfg.CORSOrigins, s.fail))
	if cfg.Metrics != nil {
		mw = append([]gin.HandlerFunc{cfg.Metrics}, mw...)
	}
	if cfg.Audit != nil {
		mw = append(mw, audit.Middleware(cfg.Audit))
	}
	e.Use(mw...)
	e.NoRoute(func(c *gin.Context) {
		writeProblem(c, Problem{Type: "about:blank", Title: http.StatusText(http.StatusNotFound),
			Status: http.StatusNotFound, Detail: "no such endpoint; see /openapi.json", Instance: c.Request.URL.Path})
	})
	e.NoMethod(func(c *gin.Context) {
		writeProblem(c, Problem{Type: "about:blank", Title: http.StatusText(http.StatusMethodNotAllowed),
			Status: http.StatusMethodNotAllowed, Detail: fmt.Sprintf("%s is not allowed here", c.Request.Method),
			Instance: c.Request.URL.Path})
	})

	r := &contractRouter{IRouter: e, s: s}
	RegisterHandlersWithOptions(r, NewStrictHandlerWithOptions(s, nil, StrictGinServerOptions{
		RequestErrorHandlerFunc: func(c *gin.Context, err error) {
			s.fail(c, graph.WrapError(graph.CodeInvalid, err, "body: is not what the document describes"))
		},
		HandlerErrorFunc: s.fail,
		ResponseErrorHandlerFunc: func(c *gin.Context, err error) {
			s.fail(c, graph.WrapError(graph.CodeInternal, err, "writing the answer"))
		},
	}), GinServerOptions{ErrorHandler: s.bindError})
	if len(r.errs) > 0 {
		panic(errors.Join(r.errs...)) // a generated route not in the document: TestContractLoads fails first
	}
	return e
}

var bindParam = regexp.MustCompile(`parameter ([A-Za-z_]+)`)

// bindError answers a parameter the generated code could not bind although
// the document's validation let it pass (an impossible date, say).
func (s *server) bindError(c *gin.Context, err error, _ int) {
	field := "query"
	if m := bindParam.FindStringSubmatch(err.Error()); m != nil {
		field = m[1]
	}
	s.fail(c, graph.Errorf(graph.CodeInvalid, field, "is not a valid value"))
}

// securityHeaders are on every answer: no MIME sniffing, and nothing kept
// in a cache but the document (answers name the people searched for).
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if c.Request.URL.Path == "/openapi.json" {
		h.Set("Cache-Control", "public, max-age=300")
	} else {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// MaxHeaderBytes bounds a request's header lines (names, values, the
// request line); beyond it the answer is 431, as a problem. The http.Server
// must allow more (serve sets 16 times this, 1 MiB), or Go's own plain-text
// 431 answers first.
const MaxHeaderBytes = 64 << 10

func (s *server) headerLimit(c *gin.Context) {
	n := len(c.Request.Method) + len(c.Request.RequestURI) + 12
	for k, vs := range c.Request.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	if n > MaxHeaderBytes {
		writeProblem(c, Problem{Type: problemType(graph.CodeTooLarge), Title: http.StatusText(http.StatusRequestHeaderFieldsTooLarge),
			Status: http.StatusRequestHeaderFieldsTooLarge, Detail: fmt.Sprintf("the request's headers are over %d bytes", MaxHeaderBytes),
			Instance: c.Request.URL.Path})
		return
	}
	c.Next()
}

// noKeys is the key store of a server configured without one: it lets
// nobody in.
type noKeys struct{}

func (noKeys) CreateKey(context.Context, string, graph.Role) (string, graph.APIKey, error) {
	return "", graph.APIKey{}, errNoKeys
}
func (noKeys) ListKeys(context.Context) ([]graph.APIKey, error) { return nil, errNoKeys }
func (noKeys) RevokeKey(context.Context, string) error          { return errNoKeys }
func (noKeys) Authenticate(context.Context, string) (graph.Principal, error) {
	return graph.Principal{}, errNoKeys
}

var errNoKeys = graph.Errorf(graph.CodeUnavailable, "", "this server has no API key store configured")

// recoverer turns a panic into a 500 problem; the stack goes to the log.
func (s *server) recoverer(c *gin.Context) {
	defer func() {
		rec := recover()
		if rec == nil {
			return
		}
		if rec == http.ErrAbortHandler {
			panic(rec)
		}
		s.log.ErrorContext(c.Request.Context(), "panic", "path", c.Request.URL.Path,
			"panic", fmt.Sprint(rec), "stack", string(debug.Stack()))
		if !c.Writer.Written() {
			writeProblem(c, ProblemFor(fmt.Errorf("panic: %v", rec), c.Request.URL.Path))
		}
		c.Abort()
	}()
	c.Next()
}

// accessLog logs one line per request: method, path (never the query
// string, which may name the people searched for), status, duration.
func (s *server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request",
		slog.String("method", c.Request.Method),
		slog.String("path", c.Request.URL.Path),
		slog.String("route", c.FullPath()),
		slog.Int("status", c.Writer.Status()),
		slog.Int("bytes", c.Writer.Size()),
		slog.Duration("duration", time.Since(start)))
}

// deadline gives the request's context the RequestTimeout deadline, which
// flows to the driver (and, as a transaction timeout, to the server). The
// Cypher and import routes get their own, longer bounds (timeoutFor).
func (s *server) deadline(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.timeoutFor(c))
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// timeoutFor is the deadline of a request to c's route.
func (s *server) timeoutFor(c *gin.Context) time.Duration {
	switch {
	case c.Request.Method == http.MethodPost && c.FullPath() == routeImports,
		c.Request.Method == http.MethodGet && c.FullPath() == routeExport:
		return s.cfg.Limits.ImportTimeout
	case c.Request.Method == http.MethodPost && c.FullPath() == routeCypher:
		return max(s.cfg.RequestTimeout, s.cfg.Limits.CypherTimeout+5*time.Second)
	case strings.HasPrefix(c.FullPath(), routeAnalytics):
		return max(s.cfg.RequestTimeout, s.cfg.Limits.AnalyticsTimeout)
	}
	return s.cfg.RequestTimeout
}

// extendConnDeadlines lets a request with a body outlast the http.Server's
// ReadTimeout and WriteTimeout, to its route's deadline (an upload and
// import may take minutes). Writers that cannot (test recorders) are left
// alone.
func (s *server) extendConnDeadlines(c *gin.Context) {
	rc := http.NewResponseController(c.Writer)
	t := time.Now().Add(s.timeoutFor(c))
	_ = rc.SetReadDeadline(t)
	_ = rc.SetWriteDeadline(t)
	c.Next()
}
