// Package audit writes the API's audit trail: one JSON line per request
// saying who (which key) did what (method, route, parameters), with which
// outcome (status, bytes, duration). It never records the Authorization
// header, request bodies or any key; parameters whose names suggest a
// secret have their values masked.
package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scamgraph/scamgraph/graph"
)

// Entry is one line of the audit log.
type Entry struct {
	Time       time.Time           `json:"time"`
	KeyID      string              `json:"key_id"`
	KeyName    string              `json:"key_name"`
	Role       graph.Role          `json:"role"`
	Method     string              `json:"method"`
	Route      string              `json:"route"` // the route pattern, "/v1/entities/:id"; "" when none matched
	Path       string              `json:"path"`
	Query      map[string][]string `json:"query,omitempty"`
	Status     int                 `json:"status"`
	Bytes      int                 `json:"bytes"`
	DurationMS float64             `json:"duration_ms"`
	ClientIP   string              `json:"client_ip"`
	Notes      map[string]any      `json:"notes,omitempty"`
}

// Logger writes entries as JSON lines to one writer, one line at a time.
type Logger struct {
	mu     sync.Mutex
	w      io.Writer
	now    func() time.Time
	errors int
}

// New returns a logger writing to w (a file opened for appending, in
// production).
func New(w io.Writer) *Logger { return &Logger{w: w, now: time.Now} }

// Log writes one entry.
func (l *Logger) Log(e Entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit: encode entry: %w", err)
	}
	b = append(b, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.w.Write(b); err != nil {
		l.errors++
		return fmt.Errorf("audit: write entry: %w", err)
	}
	return nil
}

// Errors is the number of entries that could not be written; a health
// check or metric can watch it.
func (l *Logger) Errors() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.errors
}

// secretWords mark parameter names whose values are masked.
var secretWords = []string{"key", "token", "password", "passwd", "secret", "auth", "credential", "session", "signature"}

// Masked is what a secret parameter's values are replaced with.
const Masked = "****"

// maskQuery copies q with the values of secret-looking parameters masked.
func maskQuery(q url.Values) map[string][]string {
	if len(q) == 0 {
		return nil
	}
	out := make(map[string][]string, len(q))
	for k, vs := range q {
		lk := strings.ToLower(k)
		secret := false
		for _, w := range secretWords {
			if strings.Contains(lk, w) {
				secret = true
				break
			}
		}
		if secret {
			m := make([]string, len(vs))
			for i := range m {
				m[i] = Masked
			}
			out[k] = m
			continue
		}
		out[k] = append([]string(nil), vs...)
	}
	return out
}

const notesKey = "scamgraph.audit.notes"

// Note adds a field to the request's audit entry under "notes" (for
// example the hash of a Cypher statement). Never note secrets.
func Note(c *gin.Context, key string, value any) {
	notes, _ := c.Get(notesKey)
	m, _ := notes.(map[string]any)
	if m == nil {
		m = map[string]any{}
		c.Set(notesKey, m)
	}
	m[key] = value
}

// Middleware logs every request after it is answered. Put it outside Auth
// (before it in the chain) so refused keys are logged too, with no key id.
// A failure to write is counted (Errors), not turned into a failed request.
func Middleware(l *Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := l.now()
		c.Next()
		e := Entry{
			Time:       start.UTC(),
			Method:     c.Request.Method,
			Route:      c.FullPath(),
			Path:       c.Request.URL.Path,
			Query:      maskQuery(c.Request.URL.Query()),
			Status:     c.Writer.Status(),
			Bytes:      max(c.Writer.Size(), 0),
			DurationMS: float64(l.now().Sub(start).Microseconds()) / 1000,
			ClientIP:   c.ClientIP(),
		}
		if p, ok := graph.PrincipalFrom(c.Request.Context()); ok {
			e.KeyID, e.KeyName, e.Role = p.KeyID, p.Name, p.Role
		}
		if notes, ok := c.Get(notesKey); ok {
			e.Notes, _ = notes.(map[string]any)
		}
		_ = l.Log(e)
	}
}
