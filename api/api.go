// Package api is scamgraph's investigator HTTP API: JSON under /v1 over the
// graph interfaces (graph.Reader, graph.Investigator), errors as RFC 9457
// problem details, an OpenAPI document at /openapi.json. It never imports
// the Neo4j implementation: cmd/ wires one in through Config.
package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/audit"
	"github.com/scamgraph/scamgraph/internal/guard"
)

// Config is what New needs.
type Config struct {
	Reader       graph.Reader
	Investigator graph.Investigator // nil: the named queries answer 503
	// Keys authenticates every /v1 request (Authorization: Bearer sg_…).
	// nil: there is nobody to let in, and every /v1 request is refused
	// (503). There is no way to turn authentication off.
	Keys    graph.KeyStore
	Cypher  graph.CypherRunner  // nil: POST /v1/cypher answers 503
	Imports graph.ImportService // nil: the import routes answer 503
	Audit   *audit.Logger       // nil: no audit log (serve always sets one)
	Logger  *slog.Logger        // nil: slog.Default()
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
	// Web, when set, answers GET and HEAD of / and /explorer/* (the
	// investigator explorer, package web); nil: those paths are 404s.
	Web http.Handler
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
	q := graph.CypherQuery{Timeout: l.CypherTimeout, MaxRows: l.CypherMaxRows}.Normalized()
	l.CypherTimeout, l.CypherMaxRows = q.Timeout, q.MaxRows
	return l
}

type server struct {
	reader  graph.Reader
	inv     graph.Investigator
	cypher  graph.CypherRunner
	imports graph.ImportService
	log     *slog.Logger
	cfg     Config
}

// Routes with their own deadlines (timeoutFor), as gin patterns.
const (
	routeCypher  = "/v1/cypher"
	routeImports = "/v1/imports"
)

// New builds the API's gin engine. Middleware, outermost first: recover,
// access log, deadline, CORS, audit; then on /v1: the per-IP rate limit,
// authentication, the per-key rate limit and the role each route needs.
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
	s := &server{reader: cfg.Reader, inv: cfg.Investigator, cypher: cfg.Cypher, imports: cfg.Imports, log: cfg.Logger, cfg: cfg}

	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
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
	mw := []gin.HandlerFunc{s.recoverer, s.accessLog, s.deadline, guard.CORS(cfg.CORSOrigins)}
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

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/openapi.json", s.openapi)
	if cfg.Web != nil {
		for _, p := range []string{"/", "/explorer/*file"} {
			e.GET(p, gin.WrapH(cfg.Web))
			e.HEAD(p, gin.WrapH(cfg.Web))
		}
	}

	var keys graph.KeyStore = noKeys{}
	if cfg.Keys != nil {
		// Successful key checks are remembered briefly so a request does
		// not cost a Neo4j round trip for its key (docs/security.md).
		keys = guard.CacheKeys(cfg.Keys, guard.DefaultKeyCacheTTL)
	} else {
		cfg.Logger.Warn("no API key store configured: every /v1 request will be refused")
	}
	l := cfg.Limits
	v1 := e.Group("/v1",
		guard.RateLimit(l.IPRateRPS, l.RateBurst, s.fail), // no principal yet: per client IP
		guard.Auth(keys, s.fail),
		guard.RateLimit(l.RateRPS, l.RateBurst, s.fail), // per key
		guard.Require(graph.RoleReader, s.fail))
	v1.GET("/search", s.search)
	v1.GET("/entities/:id", s.entity)
	v1.GET("/entities/:id/neighbors", s.neighbors)
	v1.GET("/paths", s.paths)
	v1.GET("/stats", s.stats)

	v1.GET("/queries", s.listQueries)
	v1.GET("/queries/prosecuted-compound-links", s.prosecutedLinks)
	v1.GET("/queries/official-links", s.officialLinks)
	v1.GET("/queries/compound-network/:id", s.compoundNetwork)
	v1.GET("/queries/victims-by-nationality", s.victimsByNationality)
	v1.GET("/queries/timeline/:id", s.timeline)
	v1.GET("/queries/ownership-chains/:id", s.ownershipChains)

	v1.POST("/cypher", guard.Require(graph.RoleAnalyst, s.fail),
		guard.BodyLimit(l.MaxBodyBytes, s.fail), s.runCypher)
	v1.POST("/imports", guard.Require(graph.RoleImporter, s.fail),
		guard.BodyLimit(l.ImportMaxBytes, s.fail), s.importFile)
	v1.GET("/imports/:id", guard.Require(graph.RoleImporter, s.fail), s.importRun)
	return e
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
	case c.Request.Method == http.MethodPost && c.FullPath() == routeImports:
		return s.cfg.Limits.ImportTimeout
	case c.Request.Method == http.MethodPost && c.FullPath() == routeCypher:
		return max(s.cfg.RequestTimeout, s.cfg.Limits.CypherTimeout+5*time.Second)
	}
	return s.cfg.RequestTimeout
}

// extendConnDeadlines lets one request outlast the http.Server's
// ReadTimeout and WriteTimeout (an upload and import may take minutes).
// Writers that cannot (test recorders) are left alone.
func extendConnDeadlines(c *gin.Context, d time.Duration) {
	rc := http.NewResponseController(c.Writer)
	t := time.Now().Add(d)
	_ = rc.SetReadDeadline(t)
	_ = rc.SetWriteDeadline(t)
}
