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
)

// Config is what New needs.
type Config struct {
	Reader       graph.Reader
	Investigator graph.Investigator // nil: the named queries answer 503
	Logger       *slog.Logger       // nil: slog.Default()
	// ReadyTimeout bounds /readyz's ping of Neo4j (default 2s).
	ReadyTimeout time.Duration
	// RequestTimeout is every request's deadline, passed down to the
	// database (default 10s).
	RequestTimeout time.Duration
}

// Defaults.
const (
	DefaultReadyTimeout   = 2 * time.Second
	DefaultRequestTimeout = 10 * time.Second
)

type server struct {
	reader graph.Reader
	inv    graph.Investigator
	log    *slog.Logger
	cfg    Config
}

// New builds the API's gin engine.
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
	s := &server{reader: cfg.Reader, inv: cfg.Investigator, log: cfg.Logger, cfg: cfg}

	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.UseRawPath = true         // ids may hold an escaped slash (%2F)
	e.UnescapePathValues = true // and reach the handlers unescaped
	e.RedirectTrailingSlash = false
	e.RedirectFixedPath = false
	e.Use(s.recoverer, s.accessLog, s.deadline)
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

	v1 := e.Group("/v1")
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
	return e
}

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
// flows to the driver (and, as a transaction timeout, to the server).
func (s *server) deadline(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.RequestTimeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}
