package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/api/guard"
	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/config"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

func TestKeysUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int // 0: success
		out  string
	}{
		{"help", []string{"help"}, 0, "Authorization: Bearer"},
		{"help says when a revoked key stops working", []string{"help"}, 0, "within " + guard.DefaultKeyCacheTTL.String()},
		{"flag help", []string{"create", "--help"}, 0, ""},
		{"no subcommand", nil, 2, ""},
		{"unknown subcommand", []string{"delete"}, 2, ""},
		{"create without role", []string{"create", "--name", "x"}, 2, ""},
		{"create with bad role", []string{"create", "--role", "root", "--name", "x"}, 2, ""},
		{"create without name", []string{"create", "--role", "reader"}, 2, ""},
		{"create with stray argument", []string{"create", "--role", "reader", "--name", "AFP", "desk"}, 2, ""},
		{"revoke without id", []string{"revoke"}, 2, ""},
		{"revoke bad id", []string{"revoke", "sg_secret"}, 2, ""},
		{"list with argument", []string{"list", "x"}, 2, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			// No Neo4j is configured: usage errors must come before connecting.
			err := keysCmd(context.Background(), config.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)), tc.args, &stdout, &stderr)
			code := 0
			var ee *exitError
			if errors.As(err, &ee) {
				code = ee.code
			} else if err != nil {
				code = 1
			}
			if code != tc.code {
				t.Fatalf("exit %d, want %d (%v)", code, tc.code, err)
			}
			if !strings.Contains(stdout.String(), tc.out) {
				t.Errorf("stdout %q lacks %q", stdout.String(), tc.out)
			}
		})
	}
}

func TestKeysCommands(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	t.Cleanup(func() { _, _ = db.DeleteKeysByNamePrefix(context.Background(), prefix) })
	nc := neo4jtest.Config(t)
	cfg := config.Config{Neo4jURI: nc.URI, Neo4jUser: nc.User, Neo4jPassword: nc.Password, Neo4jDatabase: nc.Database,
		Neo4jMaxPool: 5, StartupWait: 30 * time.Second}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	run := func(t *testing.T, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if err := keysCmd(context.Background(), cfg, logger, args, &stdout, &stderr); err != nil {
			t.Fatalf("keys %v: %v (stderr %s)", args, err, stderr.String())
		}
		return stdout.String()
	}

	out := run(t, "create", "--role", "analyst", "--name", prefix+"desk")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	plain := lines[len(lines)-1]
	if graph.CheckKeyFormat(plain) != nil || !strings.Contains(lines[len(lines)-2], "only time") {
		t.Fatalf("create printed %q", out)
	}
	p, err := db.Authenticate(context.Background(), plain)
	if err != nil || p.Role != graph.RoleAnalyst {
		t.Fatalf("printed key does not authenticate: %+v %v", p, err)
	}

	t.Run("list", func(t *testing.T) {
		out := run(t, "list")
		if !strings.Contains(out, p.KeyID) || !strings.Contains(out, prefix+"desk") || strings.Contains(out, plain) {
			t.Errorf("list = %q", out)
		}
	})
	t.Run("list json", func(t *testing.T) {
		var keys []graph.APIKey
		if err := json.Unmarshal([]byte(run(t, "list", "--json")), &keys); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, k := range keys {
			found = found || (k.ID == p.KeyID && k.Role == graph.RoleAnalyst)
		}
		if !found {
			t.Errorf("key %s not in %+v", p.KeyID, keys)
		}
	})
	t.Run("revoke", func(t *testing.T) {
		// Running servers remember a good key for guard.DefaultKeyCacheTTL:
		// the message must say so, not "refused from now on" (issue 15).
		window := "within " + guard.DefaultKeyCacheTTL.String()
		if out := run(t, "revoke", p.KeyID); !strings.Contains(out, "Revoked") || !strings.Contains(out, window) ||
			strings.Contains(out, "from now on") {
			t.Errorf("revoke = %q, want it to say running servers refuse the key %s", out, window)
		}
		if _, err := db.Authenticate(context.Background(), plain); graph.ErrorCode(err) != graph.CodeUnauthorized {
			t.Errorf("revoked key still works: %v", err)
		}
		if out := run(t, "list"); !strings.Contains(out, "revoked") {
			t.Errorf("list after revoke = %q", out)
		}
	})
}
