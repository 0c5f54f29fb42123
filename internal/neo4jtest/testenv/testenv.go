// Package testenv says which Neo4j the integration tests use, from the
// environment make test sets (NEO4J_TEST_URI, NEO4J_TEST_USER,
// NEO4J_TEST_PASSWORD). It imports nothing of scamgraph's, so the internal
// tests of graph/neo4jdb's own packages can use it as well as neo4jtest.
package testenv

import (
	"os"
	"testing"
)

// Bolt is the test Neo4j's URI, user and password. Without a URI the test
// fails under CI (integration tests must not skip there) and skips
// elsewhere.
func Bolt(t testing.TB) (uri, user, password string) {
	t.Helper()
	uri = os.Getenv("NEO4J_TEST_URI")
	if uri == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("NEO4J_TEST_URI is not set: run the tests with `make test`, which starts Neo4j")
		}
		t.Skip("NEO4J_TEST_URI is not set: run `make test` to start Neo4j for integration tests")
	}
	user = os.Getenv("NEO4J_TEST_USER")
	if user == "" {
		user = "neo4j"
	}
	password = os.Getenv("NEO4J_TEST_PASSWORD")
	if password == "" {
		password = "scamgraph-dev-password"
	}
	return uri, user, password
}
