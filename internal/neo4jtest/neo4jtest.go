// Package neo4jtest connects integration tests to the real Neo4j that
// `make test` starts (embedded Neo4j Community on a free loopback port).
//
// Tests find it through NEO4J_TEST_URI, NEO4J_TEST_USER and
// NEO4J_TEST_PASSWORD. Without NEO4J_TEST_URI a test is skipped when run by
// hand, and fails when CI is set: integration tests never skip in CI.
package neo4jtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/internal/neo4jtest/testenv"
)

// Config returns the connection settings for the test Neo4j, skipping (or,
// in CI, failing) the test when none is configured.
func Config(t testing.TB) neo4jdb.Config {
	t.Helper()
	uri, user, pw := testenv.Bolt(t)
	return neo4jdb.Config{URI: uri, User: user, Password: pw, Database: "neo4j"}
}

// Open connects to the test Neo4j, waits until it answers, applies the
// schema and closes the driver when the test ends.
func Open(t testing.TB) *neo4jdb.DB {
	t.Helper()
	db, err := neo4jdb.Open(Config(t))
	if err != nil {
		t.Fatalf("open neo4j: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := db.WaitReady(ctx, 250*time.Millisecond); err != nil {
		t.Fatalf("neo4j not ready: %v", err)
	}
	if err := db.ApplySchema(ctx); err != nil {
		t.Fatalf("apply schema: %v", err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	return db
}

// Prefix returns a unique id prefix for a test's own entities, such as
// "t3f9a1c2e:", so tests that share the database never see each other's data.
func Prefix(t testing.TB) string {
	t.Helper()
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("random prefix: %v", err)
	}
	return "t" + hex.EncodeToString(b) + ":"
}

// Cleanup deletes the test's entities (ids starting with prefix) when the
// test ends.
func Cleanup(t testing.TB, db *neo4jdb.DB, prefix string) {
	t.Helper()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if _, err := db.DeleteByIDPrefix(ctx, prefix); err != nil {
			t.Errorf("clean up %s: %v", prefix, err)
		}
	})
}
