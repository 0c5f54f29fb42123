// Package config reads scamgraph's settings from the environment. cmd/
// loads a .env file first (godotenv, which never overrides a variable the
// real environment already sets), so the real environment wins. Every
// variable is documented, with its default, in .env.example.
package config

import (
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is every setting, typed.
type Config struct {
	Neo4jURI      string
	Neo4jUser     string
	Neo4jPassword string
	Neo4jDatabase string
	Neo4jMaxPool  int

	HTTPAddr string
	// MetricsAddr is where GET /metrics is served; "" serves it on
	// HTTPAddr beside the API.
	MetricsAddr       string
	RequestTimeout    time.Duration
	ReadyTimeout      time.Duration
	ShutdownTimeout   time.Duration
	StartupWait       time.Duration
	ReadHeaderTimeout time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration

	ImportBatchSize int

	// API guards.
	RateLimitRPS   float64 // requests a second per API key
	RateLimitBurst int     // bursts, per key and per client IP
	RateLimitIPRPS float64 // requests a second per client IP, before authentication
	MaxBodyBytes   int64   // request bodies (POST /v1/cypher)
	ImportMaxBytes int64   // uploads to POST /v1/imports
	ImportTimeout  time.Duration
	CORSOrigins    []string // exact origins allowed cross-origin; nil: none
	TrustedProxies []string // IPs or CIDRs whose X-Forwarded-For is believed; nil: none
	AuditLog       string   // file the audit log is appended to; "-" is stderr
	CypherTimeout  time.Duration
	CypherMaxRows  int
	// Graph analytics (docs/analytics.md).
	AnalyticsMaxMemory int64         // GDS's estimate a request may need at most, bytes
	AnalyticsTimeout   time.Duration // deadline of the /v1/analytics routes

	LogLevel  slog.Level
	LogFormat string // text or json
}

// Defaults are the values .env.example documents; with them `make run`
// works out of the box against the embedded Neo4j.
var Defaults = map[string]string{
	"NEO4J_URI":                "bolt://127.0.0.1:7687",
	"NEO4J_USER":               "neo4j",
	"NEO4J_PASSWORD":           "scamgraph-dev-password",
	"NEO4J_DATABASE":           "neo4j",
	"NEO4J_MAX_POOL":           "100",
	"HTTP_ADDR":                "127.0.0.1:8080",
	"METRICS_ADDR":             "",
	"HTTP_REQUEST_TIMEOUT":     "10s",
	"HTTP_READY_TIMEOUT":       "2s",
	"HTTP_SHUTDOWN_TIMEOUT":    "15s",
	"HTTP_READ_HEADER_TIMEOUT": "5s",
	"HTTP_WRITE_TIMEOUT":       "30s",
	"HTTP_IDLE_TIMEOUT":        "60s",
	"STARTUP_WAIT":             "60s",
	"IMPORT_BATCH_SIZE":        "5000",
	"IMPORT_MAX_BYTES":         "67108864",
	"IMPORT_TIMEOUT":           "10m",
	"RATE_LIMIT_RPS":           "5",
	"RATE_LIMIT_BURST":         "20",
	"RATE_LIMIT_IP_RPS":        "20",
	"MAX_BODY_BYTES":           "65536",
	"CORS_ORIGINS":             "",
	"TRUSTED_PROXIES":          "",
	"AUDIT_LOG":                ".data/audit.log",
	"CYPHER_TIMEOUT":           "10s",
	"CYPHER_MAX_ROWS":          "1000",
	"ANALYTICS_MAX_MEMORY":     "268435456",
	"ANALYTICS_TIMEOUT":        "60s",
	"LOG_LEVEL":                "info",
	"LOG_FORMAT":               "text",
}

// Error names the setting that is missing or malformed.
type Error struct {
	Var    string
	Value  string
	Reason string
}

func (e *Error) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("config: %s %s", e.Var, e.Reason)
	}
	return fmt.Sprintf("config: %s=%q %s", e.Var, e.Value, e.Reason)
}

// Load reads the settings through getenv (os.Getenv in production).
// Unset variables take their defaults; set but malformed ones are errors.
func Load(getenv func(string) string) (Config, error) {
	var c Config
	var err error
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return Defaults[name]
	}
	dur := func(name string) time.Duration {
		if err != nil {
			return 0
		}
		v := get(name)
		d, perr := time.ParseDuration(v)
		if perr != nil || d <= 0 {
			err = &Error{Var: name, Value: v, Reason: "is not a positive duration such as 10s or 2m"}
		}
		return d
	}
	rate := func(name string) float64 {
		if err != nil {
			return 0
		}
		v := get(name)
		f, perr := strconv.ParseFloat(v, 64)
		if perr != nil || math.IsNaN(f) || f <= 0 || f > 1e6 {
			err = &Error{Var: name, Value: v, Reason: "is not a positive number of requests a second (at most 1000000), such as 5 or 0.5"}
		}
		return f
	}
	num := func(name string, lo, hi int) int {
		if err != nil {
			return 0
		}
		v := get(name)
		n, perr := strconv.Atoi(v)
		if perr != nil || n < lo || n > hi {
			err = &Error{Var: name, Value: v, Reason: fmt.Sprintf("is not a whole number from %d to %d", lo, hi)}
		}
		return n
	}

	c.Neo4jURI = get("NEO4J_URI")
	if verr := checkNeo4jURI(c.Neo4jURI); verr != nil {
		return c, verr
	}
	c.Neo4jUser = get("NEO4J_USER")
	c.Neo4jPassword = get("NEO4J_PASSWORD")
	c.Neo4jDatabase = get("NEO4J_DATABASE")
	c.Neo4jMaxPool = num("NEO4J_MAX_POOL", 1, 10000)
	addr := func(name, example string) string {
		v := get(name)
		if _, port, serr := net.SplitHostPort(v); err == nil && v != "" {
			if p, perr := strconv.Atoi(port); serr != nil || perr != nil || p < 1 || p > 65535 {
				err = &Error{Var: name, Value: v, Reason: "is not host:port with a port from 1 to 65535, such as " + example}
			}
		}
		return v
	}
	c.HTTPAddr = addr("HTTP_ADDR", "127.0.0.1:8080")
	c.MetricsAddr = addr("METRICS_ADDR", "127.0.0.1:9090")
	if err == nil && c.MetricsAddr != "" && c.MetricsAddr == c.HTTPAddr {
		err = &Error{Var: "METRICS_ADDR", Value: c.MetricsAddr, Reason: "equals HTTP_ADDR: leave it empty to serve /metrics on HTTP_ADDR"}
	}
	c.RequestTimeout = dur("HTTP_REQUEST_TIMEOUT")
	c.ReadyTimeout = dur("HTTP_READY_TIMEOUT")
	c.ShutdownTimeout = dur("HTTP_SHUTDOWN_TIMEOUT")
	c.ReadHeaderTimeout = dur("HTTP_READ_HEADER_TIMEOUT")
	c.WriteTimeout = dur("HTTP_WRITE_TIMEOUT")
	c.IdleTimeout = dur("HTTP_IDLE_TIMEOUT")
	c.StartupWait = dur("STARTUP_WAIT")
	c.ImportBatchSize = num("IMPORT_BATCH_SIZE", 1, 100000)
	c.ImportTimeout = dur("IMPORT_TIMEOUT")
	c.RateLimitRPS = rate("RATE_LIMIT_RPS")
	c.RateLimitBurst = num("RATE_LIMIT_BURST", 1, 1_000_000)
	c.RateLimitIPRPS = rate("RATE_LIMIT_IP_RPS")
	c.MaxBodyBytes = int64(num("MAX_BODY_BYTES", 1024, 64<<20))
	c.ImportMaxBytes = int64(num("IMPORT_MAX_BYTES", 1024, 16<<30))
	c.CypherTimeout = dur("CYPHER_TIMEOUT")
	if err == nil && c.CypherTimeout > maxCypherTimeout {
		err = &Error{Var: "CYPHER_TIMEOUT", Value: get("CYPHER_TIMEOUT"), Reason: "is over the most the Cypher endpoint allows, 60s"}
	}
	c.CypherMaxRows = num("CYPHER_MAX_ROWS", 1, maxCypherRows)
	c.AnalyticsMaxMemory = int64(num("ANALYTICS_MAX_MEMORY", 1<<20, 1<<40))
	c.AnalyticsTimeout = dur("ANALYTICS_TIMEOUT")
	if err != nil {
		return c, err
	}
	c.AuditLog = get("AUDIT_LOG")
	if c.AuditLog == "" {
		c.AuditLog = "-"
	}
	if c.CORSOrigins, err = origins(get("CORS_ORIGINS")); err != nil {
		return c, err
	}
	if c.TrustedProxies, err = proxies(get("TRUSTED_PROXIES")); err != nil {
		return c, err
	}
	lvl := get("LOG_LEVEL")
	if uerr := c.LogLevel.UnmarshalText([]byte(lvl)); uerr != nil {
		return c, &Error{Var: "LOG_LEVEL", Value: lvl, Reason: "is not debug, info, warn or error"}
	}
	c.LogFormat = strings.ToLower(get("LOG_FORMAT"))
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, &Error{Var: "LOG_FORMAT", Value: c.LogFormat, Reason: "is not text or json"}
	}
	return c, nil
}

// The Cypher endpoint's own bounds (graph.MaxCypherTimeout and
// graph.MaxCypherMaxRows; config does not import graph).
const (
	maxCypherTimeout = 60 * time.Second
	maxCypherRows    = 10000
)

// origins parses CORS_ORIGINS: comma-separated origins, each a scheme and
// a host with an optional port ("https://desk.example.org"), no path, no
// wildcard.
func origins(raw string) ([]string, error) {
	var out []string
	for _, o := range splitList(raw) {
		o = strings.TrimRight(o, "/")
		u, perr := url.Parse(o)
		if perr != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "" ||
			u.RawQuery != "" || u.Fragment != "" || u.User != nil || strings.Contains(o, "*") {
			return nil, &Error{Var: "CORS_ORIGINS", Value: raw,
				Reason: fmt.Sprintf("holds %q, which is not an origin such as https://desk.example.org (comma-separated, no wildcards, no paths)", o)}
		}
		out = append(out, u.Scheme+"://"+u.Host)
	}
	return out, nil
}

// proxies parses TRUSTED_PROXIES: comma-separated IP addresses or CIDR
// ranges.
func proxies(raw string) ([]string, error) {
	var out []string
	for _, p := range splitList(raw) {
		if net.ParseIP(p) == nil {
			if _, _, cerr := net.ParseCIDR(p); cerr != nil {
				return nil, &Error{Var: "TRUSTED_PROXIES", Value: raw,
					Reason: fmt.Sprintf("holds %q, which is not an IP address or CIDR range such as 10.0.0.0/8", p)}
			}
		}
		out = append(out, p)
	}
	return out, nil
}

func splitList(raw string) []string {
	var out []string
	for _, s := range strings.Split(raw, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func checkNeo4jURI(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return &Error{Var: "NEO4J_URI", Value: raw, Reason: "is not a URI such as bolt://127.0.0.1:7687 or neo4j+s://xxxx.databases.neo4j.io"}
	}
	if u.User != nil {
		return &Error{Var: "NEO4J_URI", Value: u.Redacted(), Reason: "must not hold credentials: put them in NEO4J_USER and NEO4J_PASSWORD"}
	}
	switch u.Scheme {
	case "bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc":
		return nil
	}
	return &Error{Var: "NEO4J_URI", Value: raw, Reason: "has an unsupported scheme (want bolt, bolt+s, bolt+ssc, neo4j, neo4j+s or neo4j+ssc)"}
}

// Redacted returns the settings as log attributes with secrets masked.
func (c Config) Redacted() []any {
	return []any{
		"neo4j_uri", c.Neo4jURI, "neo4j_user", c.Neo4jUser, "neo4j_password", mask(c.Neo4jPassword),
		"neo4j_database", c.Neo4jDatabase, "http_addr", c.HTTPAddr, "metrics_addr", c.MetricsAddr,
		"request_timeout", c.RequestTimeout.String(), "log_level", c.LogLevel.String(),
		"audit_log", c.AuditLog, "cors_origins", strings.Join(c.CORSOrigins, ","),
		"trusted_proxies", strings.Join(c.TrustedProxies, ","),
		"rate_limit_rps", c.RateLimitRPS, "rate_limit_ip_rps", c.RateLimitIPRPS,
	}
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return "****"
}
