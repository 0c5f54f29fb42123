package neo4jdb_test

import (
	"context"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// keyDB opens the test Neo4j and deletes the keys named with the test's
// prefix when the test ends.
func keyDB(t *testing.T) (*neo4jdb.DB, string) {
	t.Helper()
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.DeleteKeysByNamePrefix(ctx, prefix); err != nil {
			t.Errorf("clean up keys %s: %v", prefix, err)
		}
	})
	return db, prefix
}

func TestKeyLifecycle(t *testing.T) {
	db, prefix := keyDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var _ graph.KeyStore = db

	plain, key, err := db.CreateKey(ctx, prefix+"analyst desk", graph.RoleAnalyst)
	if err != nil {
		t.Fatal(err)
	}
	if key.Role != graph.RoleAnalyst || key.Name != prefix+"analyst desk" || key.Prefix != plain[:11] || key.Revoked() ||
		time.Since(key.CreatedAt) > time.Minute {
		t.Errorf("key = %+v", key)
	}
	other, otherKey, err := db.CreateKey(ctx, prefix+"reader", graph.RoleReader)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("authenticate", func(t *testing.T) {
		p, err := db.Authenticate(ctx, plain)
		if err != nil {
			t.Fatal(err)
		}
		if p != (graph.Principal{KeyID: key.ID, Name: key.Name, Role: graph.RoleAnalyst}) {
			t.Errorf("principal = %+v", p)
		}
	})
	t.Run("list shows keys without secrets and records last use", func(t *testing.T) {
		keys, err := db.ListKeys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, k := range keys {
			if k.ID == key.ID {
				found++
				if k.LastUsedAt == nil {
					t.Error("last_used_at not recorded")
				}
			}
			if k.ID == otherKey.ID {
				found++
			}
			if k.Prefix == plain || k.Name == plain {
				t.Error("plaintext stored")
			}
		}
		if found != 2 {
			t.Errorf("found %d of our 2 keys in %d", found, len(keys))
		}
	})
	t.Run("revoke", func(t *testing.T) {
		if err := db.RevokeKey(ctx, key.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeKey(ctx, key.ID); err != nil {
			t.Errorf("second revoke: %v", err)
		}
		if _, err := db.Authenticate(ctx, plain); graph.ErrorCode(err) != graph.CodeUnauthorized {
			t.Errorf("revoked key: %v", err)
		}
		if p, err := db.Authenticate(ctx, other); err != nil || p.Role != graph.RoleReader {
			t.Errorf("other key: %+v %v", p, err)
		}
	})

	unknown, _, _, _, err := graph.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	refusals := []struct {
		name string
		run  func() error
		code graph.Code
	}{
		{"unknown key", func() error { _, err := db.Authenticate(ctx, unknown); return err }, graph.CodeUnauthorized},
		{"malformed key", func() error { _, err := db.Authenticate(ctx, "sg_short"); return err }, graph.CodeUnauthorized},
		{"hash instead of key", func() error { _, err := db.Authenticate(ctx, graph.HashKey(other)); return err }, graph.CodeUnauthorized},
		{"empty key", func() error { _, err := db.Authenticate(ctx, ""); return err }, graph.CodeUnauthorized},
		{"revoke unknown id", func() error { return db.RevokeKey(ctx, "key_0000000000000000") }, graph.CodeNotFound},
		{"revoke malformed id", func() error { return db.RevokeKey(ctx, "x' OR 1=1") }, graph.CodeInvalid},
		{"create with bad role", func() error { _, _, err := db.CreateKey(ctx, prefix+"x", "root"); return err }, graph.CodeInvalid},
		{"create without name", func() error { _, _, err := db.CreateKey(ctx, " ", graph.RoleReader); return err }, graph.CodeInvalid},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(); graph.ErrorCode(err) != tc.code {
				t.Errorf("code %s, want %s: %v", graph.ErrorCode(err), tc.code, err)
			}
		})
	}
}
