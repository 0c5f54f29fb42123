// Package config reads scamgraph's settings from the environment. cmd/
// loads a .env file first (godotenv, which never overrides a variable the
// real environment already sets), so the real environment wins. Every
// variable is documented, with its default, in .env.example.
package config

import (
	"fmt"
	"log/slog"
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

	HTTPAddr          string
	RequestTimeout    time.Duration
	ReadyTimeout      time.Duration
	ShutdownTimeout   time.Duration
	StartupWait       time.Duration
	ReadHeaderTimeout time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration

	ImportBatchSize int

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
	"HTTP_REQUEST_TIMEOUT":     "10s",
	"HTTP_READY_TIMEOUT":       "2s",
	"HTTP_SHUTDOWN_TIMEOUT":    "15s",
	"HTTP_READ_HEADER_TIMEOUT": "5s",
	"HTTP_WRITE_TIMEOUT":       "30s",
	"HTTP_IDLE_TIMEOUT":        "60s",
	"STARTUP_WAIT":             "60s",
	"IMPORT_BATCH_SIZE":        "1000",
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
	c.HTTPAddr = get("HTTP_ADDR")
	if _, port, serr := net.SplitHostPort(c.HTTPAddr); err == nil {
		if p, perr := strconv.Atoi(port); serr != nil || perr != nil || p < 1 || p > 65535 {
			err = &Error{Var: "HTTP_ADDR", Value: c.HTTPAddr, Reason: "is not host:port with a port from 1 to 65535, such as 127.0.0.1:8080"}
		}
	}
	c.RequestTimeout = dur("HTTP_REQUEST_TIMEOUT")
	c.ReadyTimeout = dur("HTTP_READY_TIMEOUT")
	c.ShutdownTimeout = dur("HTTP_SHUTDOWN_TIMEOUT")
	c.ReadHeaderTimeout = dur("HTTP_READ_HEADER_TIMEOUT")
	c.WriteTimeout = dur("HTTP_WRITE_TIMEOUT")
	c.IdleTimeout = dur("HTTP_IDLE_TIMEOUT")
	c.StartupWait = dur("STARTUP_WAIT")
	c.ImportBatchSize = num("IMPORT_BATCH_SIZE", 1, 100000)
	if err != nil {
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
		"neo4j_database", c.Neo4jDatabase, "http_addr", c.HTTPAddr,
		"request_timeout", c.RequestTimeout.String(), "log_level", c.LogLevel.String(),
	}
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return "****"
}
