package config_test

import (
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/internal/config"
)

// env is a fake environment for Load.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatalf("Load with nothing set: %v", err)
	}
	want := config.Config{
		Neo4jURI:           "bolt://127.0.0.1:7687",
		Neo4jUser:          "neo4j",
		Neo4jPassword:      "scamgraph-dev-password",
		Neo4jDatabase:      "neo4j",
		Neo4jMaxPool:       100,
		HTTPAddr:           "127.0.0.1:8080",
		RequestTimeout:     10 * time.Second,
		ReadyTimeout:       2 * time.Second,
		ShutdownTimeout:    15 * time.Second,
		ReadHeaderTimeout:  5 * time.Second,
		WriteTimeout:       30 * time.Second,
		IdleTimeout:        60 * time.Second,
		StartupWait:        60 * time.Second,
		ImportBatchSize:    5000,
		ImportTimeout:      10 * time.Minute,
		RateLimitRPS:       5,
		RateLimitBurst:     20,
		RateLimitIPRPS:     20,
		MaxBodyBytes:       65536,
		ImportMaxBytes:     64 << 20,
		AuditLog:           ".data/audit.log",
		CypherTimeout:      10 * time.Second,
		CypherMaxRows:      1000,
		AnalyticsMaxMemory: 256 << 20, AnalyticsTimeout: time.Minute,
		LogLevel:  slog.LevelInfo,
		LogFormat: "text",
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Load() =\n%+v\nwant\n%+v", c, want)
	}
}

// Every default must itself be valid, and be what an unset variable gives.
func TestDefaultsAreValid(t *testing.T) {
	got, err := config.Load(env(config.Defaults))
	if err != nil {
		t.Fatalf("Load(Defaults): %v", err)
	}
	unset, _ := config.Load(env(nil))
	if !reflect.DeepEqual(got, unset) {
		t.Errorf("Load(Defaults) = %+v, Load(nothing) = %+v", got, unset)
	}
}

func TestLoadValues(t *testing.T) {
	cases := []struct {
		name  string
		vars  map[string]string
		check func(c config.Config) string // "" when fine
	}{
		{"NEO4J_URI aura", map[string]string{"NEO4J_URI": "neo4j+s://abcd1234.databases.neo4j.io"}, func(c config.Config) string {
			return want(c.Neo4jURI, "neo4j+s://abcd1234.databases.neo4j.io")
		}},
		{"credentials", map[string]string{"NEO4J_USER": "reader", "NEO4J_PASSWORD": "s3cret-pass", "NEO4J_DATABASE": "scams"}, func(c config.Config) string {
			return want(c.Neo4jUser+"/"+c.Neo4jPassword+"/"+c.Neo4jDatabase, "reader/s3cret-pass/scams")
		}},
		{"blank means default", map[string]string{"NEO4J_USER": "  ", "HTTP_ADDR": ""}, func(c config.Config) string {
			return want(c.Neo4jUser+" "+c.HTTPAddr, "neo4j 127.0.0.1:8080")
		}},
		{"surrounding space trimmed", map[string]string{"HTTP_REQUEST_TIMEOUT": " 3s ", "NEO4J_MAX_POOL": " 7 "}, func(c config.Config) string {
			return want(fmt.Sprint(c.RequestTimeout, c.Neo4jMaxPool), "3s 7")
		}},
		{"HTTP_ADDR all interfaces", map[string]string{"HTTP_ADDR": ":9090"}, func(c config.Config) string {
			return want(c.HTTPAddr, ":9090")
		}},
		{"HTTP_ADDR ipv6", map[string]string{"HTTP_ADDR": "[::1]:8080"}, func(c config.Config) string {
			return want(c.HTTPAddr, "[::1]:8080")
		}},
		{"METRICS_ADDR unset serves metrics on HTTP_ADDR", map[string]string{"METRICS_ADDR": " "}, func(c config.Config) string {
			return want(c.MetricsAddr, "")
		}},
		{"METRICS_ADDR on a port of its own", map[string]string{"METRICS_ADDR": "127.0.0.1:9090"}, func(c config.Config) string {
			return want(c.MetricsAddr+" "+c.HTTPAddr, "127.0.0.1:9090 127.0.0.1:8080")
		}},
		{"durations", map[string]string{
			"HTTP_REQUEST_TIMEOUT": "1m30s", "HTTP_READY_TIMEOUT": "500ms", "HTTP_SHUTDOWN_TIMEOUT": "1s",
			"HTTP_READ_HEADER_TIMEOUT": "2s", "HTTP_WRITE_TIMEOUT": "1h", "HTTP_IDLE_TIMEOUT": "3m", "STARTUP_WAIT": "5s",
		}, func(c config.Config) string {
			return want(fmt.Sprint(c.RequestTimeout, c.ReadyTimeout, c.ShutdownTimeout, c.ReadHeaderTimeout, c.WriteTimeout, c.IdleTimeout, c.StartupWait),
				fmt.Sprint(90*time.Second, 500*time.Millisecond, time.Second, 2*time.Second, time.Hour, 3*time.Minute, 5*time.Second))
		}},
		{"numbers at their bounds", map[string]string{"NEO4J_MAX_POOL": "10000", "IMPORT_BATCH_SIZE": "1"}, func(c config.Config) string {
			return want(fmt.Sprint(c.Neo4jMaxPool, c.ImportBatchSize), "10000 1")
		}},
		{"rate limits", map[string]string{"RATE_LIMIT_RPS": "0.5", "RATE_LIMIT_BURST": "3", "RATE_LIMIT_IP_RPS": "100"}, func(c config.Config) string {
			return want(fmt.Sprint(c.RateLimitRPS, c.RateLimitBurst, c.RateLimitIPRPS), "0.5 3 100")
		}},
		{"body limits", map[string]string{"MAX_BODY_BYTES": "1024", "IMPORT_MAX_BYTES": "1048576", "IMPORT_TIMEOUT": "1h"}, func(c config.Config) string {
			return want(fmt.Sprint(c.MaxBodyBytes, c.ImportMaxBytes, c.ImportTimeout), "1024 1048576 1h0m0s")
		}},
		{"cypher limits at their bounds", map[string]string{"CYPHER_TIMEOUT": "60s", "CYPHER_MAX_ROWS": "10000"}, func(c config.Config) string {
			return want(fmt.Sprint(c.CypherTimeout, c.CypherMaxRows), "1m0s 10000")
		}},
		{"CORS_ORIGINS list", map[string]string{"CORS_ORIGINS": " https://desk.example.org/ ,http://localhost:3000"}, func(c config.Config) string {
			return want(strings.Join(c.CORSOrigins, " "), "https://desk.example.org http://localhost:3000")
		}},
		{"CORS_ORIGINS empty is none", map[string]string{"CORS_ORIGINS": ""}, func(c config.Config) string {
			return want(fmt.Sprint(len(c.CORSOrigins)), "0")
		}},
		{"TRUSTED_PROXIES ips and ranges", map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1,::1"}, func(c config.Config) string {
			return want(strings.Join(c.TrustedProxies, " "), "10.0.0.0/8 127.0.0.1 ::1")
		}},
		{"AUDIT_LOG stderr", map[string]string{"AUDIT_LOG": "-"}, func(c config.Config) string {
			return want(c.AuditLog, "-")
		}},
		{"AUDIT_LOG path", map[string]string{"AUDIT_LOG": "/var/log/scamgraph/audit.log"}, func(c config.Config) string {
			return want(c.AuditLog, "/var/log/scamgraph/audit.log")
		}},
		{"LOG_LEVEL debug", map[string]string{"LOG_LEVEL": "debug"}, func(c config.Config) string {
			return want(c.LogLevel.String(), "DEBUG")
		}},
		{"LOG_LEVEL upper case", map[string]string{"LOG_LEVEL": "WARN"}, func(c config.Config) string {
			return want(c.LogLevel.String(), "WARN")
		}},
		{"LOG_FORMAT json any case", map[string]string{"LOG_FORMAT": "JSON"}, func(c config.Config) string {
			return want(c.LogFormat, "json")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(env(tc.vars))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if msg := tc.check(c); msg != "" {
				t.Error(msg)
			}
		})
	}
}

func want(got, want string) string {
	if got != want {
		return fmt.Sprintf("got %q, want %q", got, want)
	}
	return ""
}

func TestNeo4jURISchemes(t *testing.T) {
	for _, scheme := range []string{"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"} {
		t.Run(scheme, func(t *testing.T) {
			uri := scheme + "://db.example.org:7687"
			c, err := config.Load(env(map[string]string{"NEO4J_URI": uri}))
			if err != nil {
				t.Fatalf("Load rejects %s: %v", uri, err)
			}
			if c.Neo4jURI != uri {
				t.Errorf("Neo4jURI = %q, want %q", c.Neo4jURI, uri)
			}
		})
	}
}

// A malformed variable is an error of type *config.Error that names it.
func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name, variable, value string
	}{
		{"NEO4J_URI http scheme", "NEO4J_URI", "http://127.0.0.1:7474"},
		{"NEO4J_URI bolt+routing (4.x)", "NEO4J_URI", "bolt+routing://127.0.0.1:7687"},
		{"NEO4J_URI no scheme", "NEO4J_URI", "127.0.0.1:7687"},
		{"NEO4J_URI no host", "NEO4J_URI", "bolt://"},
		{"NEO4J_URI unparsable", "NEO4J_URI", "bolt://[::1"},
		{"NEO4J_URI with credentials", "NEO4J_URI", "bolt://neo4j:hunter22@db:7687"},
		{"NEO4J_MAX_POOL zero", "NEO4J_MAX_POOL", "0"},
		{"NEO4J_MAX_POOL too big", "NEO4J_MAX_POOL", "10001"},
		{"NEO4J_MAX_POOL not a number", "NEO4J_MAX_POOL", "lots"},
		{"HTTP_ADDR no port", "HTTP_ADDR", "127.0.0.1"},
		{"HTTP_ADDR url", "HTTP_ADDR", "http://127.0.0.1:8080"},
		{"HTTP_ADDR empty port", "HTTP_ADDR", "127.0.0.1:"},
		{"HTTP_ADDR port out of range", "HTTP_ADDR", "127.0.0.1:99999"},
		{"METRICS_ADDR no port", "METRICS_ADDR", "127.0.0.1"},
		{"METRICS_ADDR port out of range", "METRICS_ADDR", "127.0.0.1:0"},
		{"METRICS_ADDR equal to HTTP_ADDR", "METRICS_ADDR", "127.0.0.1:8080"},
		{"HTTP_REQUEST_TIMEOUT no unit", "HTTP_REQUEST_TIMEOUT", "10"},
		{"HTTP_REQUEST_TIMEOUT negative", "HTTP_REQUEST_TIMEOUT", "-1s"},
		{"HTTP_REQUEST_TIMEOUT zero", "HTTP_REQUEST_TIMEOUT", "0s"},
		{"HTTP_READY_TIMEOUT", "HTTP_READY_TIMEOUT", "soon"},
		{"HTTP_SHUTDOWN_TIMEOUT", "HTTP_SHUTDOWN_TIMEOUT", "15 s"},
		{"HTTP_READ_HEADER_TIMEOUT", "HTTP_READ_HEADER_TIMEOUT", "5sec"},
		{"HTTP_WRITE_TIMEOUT", "HTTP_WRITE_TIMEOUT", "1d"},
		{"HTTP_IDLE_TIMEOUT", "HTTP_IDLE_TIMEOUT", "x"},
		{"STARTUP_WAIT", "STARTUP_WAIT", "60"},
		{"IMPORT_BATCH_SIZE zero", "IMPORT_BATCH_SIZE", "0"},
		{"IMPORT_BATCH_SIZE too big", "IMPORT_BATCH_SIZE", "100001"},
		{"IMPORT_BATCH_SIZE fraction", "IMPORT_BATCH_SIZE", "1.5"},
		{"RATE_LIMIT_RPS zero", "RATE_LIMIT_RPS", "0"},
		{"RATE_LIMIT_RPS negative", "RATE_LIMIT_RPS", "-5"},
		{"RATE_LIMIT_RPS not a number", "RATE_LIMIT_RPS", "fast"},
		{"RATE_LIMIT_RPS NaN", "RATE_LIMIT_RPS", "NaN"},
		{"RATE_LIMIT_BURST zero", "RATE_LIMIT_BURST", "0"},
		{"RATE_LIMIT_BURST fraction", "RATE_LIMIT_BURST", "2.5"},
		{"RATE_LIMIT_IP_RPS zero", "RATE_LIMIT_IP_RPS", "0"},
		{"MAX_BODY_BYTES too small", "MAX_BODY_BYTES", "10"},
		{"MAX_BODY_BYTES unit", "MAX_BODY_BYTES", "64KiB"},
		{"IMPORT_MAX_BYTES negative", "IMPORT_MAX_BYTES", "-1"},
		{"IMPORT_TIMEOUT no unit", "IMPORT_TIMEOUT", "600"},
		{"CYPHER_TIMEOUT no unit", "CYPHER_TIMEOUT", "10"},
		{"CYPHER_TIMEOUT over 60s", "CYPHER_TIMEOUT", "2m"},
		{"CYPHER_MAX_ROWS zero", "CYPHER_MAX_ROWS", "0"},
		{"CYPHER_MAX_ROWS over 10000", "CYPHER_MAX_ROWS", "10001"},
		{"CORS_ORIGINS wildcard", "CORS_ORIGINS", "*"},
		{"CORS_ORIGINS no scheme", "CORS_ORIGINS", "desk.example.org"},
		{"CORS_ORIGINS path", "CORS_ORIGINS", "https://desk.example.org/app"},
		{"CORS_ORIGINS subdomain wildcard", "CORS_ORIGINS", "https://*.example.org"},
		{"TRUSTED_PROXIES host name", "TRUSTED_PROXIES", "proxy.internal"},
		{"TRUSTED_PROXIES bad range", "TRUSTED_PROXIES", "10.0.0.0/33"},
		{"LOG_LEVEL", "LOG_LEVEL", "verbose"},
		{"LOG_FORMAT", "LOG_FORMAT", "xml"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Load(env(map[string]string{tc.variable: tc.value}))
			if err == nil {
				t.Fatalf("Load accepted %s=%q", tc.variable, tc.value)
			}
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is %T, want *config.Error", err, err)
			}
			if ce.Var != tc.variable {
				t.Errorf("Error.Var = %q, want %q", ce.Var, tc.variable)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.variable) {
				t.Errorf("message %q does not name %s", msg, tc.variable)
			}
			if strings.Contains(tc.value, "hunter22") {
				// A password in the URI is never echoed back.
				if strings.Contains(msg, "hunter22") {
					t.Errorf("message %q leaks the password", msg)
				}
				return
			}
			if !strings.Contains(strings.ToLower(msg), strings.ToLower(tc.value)) {
				t.Errorf("message %q does not quote the bad value %q", msg, tc.value)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	cases := []struct {
		name string
		err  config.Error
		want string
	}{
		{"with value", config.Error{Var: "LOG_LEVEL", Value: "loud", Reason: "is not debug, info, warn or error"},
			`config: LOG_LEVEL="loud" is not debug, info, warn or error`},
		{"without value", config.Error{Var: "NEO4J_USER", Reason: "must not be empty"},
			"config: NEO4J_USER must not be empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRedacted(t *testing.T) {
	cases := []struct {
		name     string
		password string
		want     string
	}{
		{"password masked", "correct-horse-battery", "****"},
		{"empty stays empty", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(env(nil))
			if err != nil {
				t.Fatal(err)
			}
			c.Neo4jPassword = tc.password
			attrs := c.Redacted()
			if len(attrs)%2 != 0 {
				t.Fatalf("Redacted() has %d elements, want key/value pairs", len(attrs))
			}
			found := false
			for i := 0; i < len(attrs); i += 2 {
				key, _ := attrs[i].(string)
				val := fmt.Sprint(attrs[i+1])
				if tc.password != "" && strings.Contains(val, tc.password) {
					t.Errorf("%s = %q leaks the password", key, val)
				}
				if key == "neo4j_password" {
					found = true
					if val != tc.want {
						t.Errorf("neo4j_password = %q, want %q", val, tc.want)
					}
				}
			}
			if !found {
				t.Error("no neo4j_password attribute")
			}
			if tc.password != "" {
				// What actually reaches a log.
				var sb strings.Builder
				slog.New(slog.NewTextHandler(&sb, nil)).Info("config", attrs...)
				if strings.Contains(sb.String(), tc.password) {
					t.Errorf("log line %q leaks the password", sb.String())
				}
			}
		})
	}
}
