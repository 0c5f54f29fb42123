package neo4jdb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
)

// openInternal connects to the test Neo4j for this package's internal
// tests (internal/neo4jtest imports this package, so they connect by
// hand); like neo4jtest.Config it fails under CI when none is configured.
func openInternal(t *testing.T) *DB {
	t.Helper()
	uri := os.Getenv("NEO4J_TEST_URI")
	if uri == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("NEO4J_TEST_URI is not set: run the tests with `make test`, which starts Neo4j")
		}
		t.Skip("NEO4J_TEST_URI is not set")
	}
	user, pw := os.Getenv("NEO4J_TEST_USER"), os.Getenv("NEO4J_TEST_PASSWORD")
	if user == "" {
		user = "neo4j"
	}
	if pw == "" {
		pw = "scamgraph-dev-password"
	}
	db, err := Open(Config{URI: uri, User: user, Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := db.WaitReady(ctx, 250*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	return db
}

// A read that runs past the request's deadline is a timeout (504), not
// "database unavailable" (503): the database is up, the query too slow
// (issue 15, item 6).
func TestSlowReadIsTimeout(t *testing.T) {
	db := openInternal(t)
	const slow = "UNWIND range(1, 2000000000) AS x WITH x WHERE x = -1 RETURN count(*) AS n"
	for _, d := range []time.Duration{300 * time.Millisecond, time.Second, 3 * time.Second} {
		t.Run(d.String(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), d)
			defer cancel()
			start := time.Now()
			_, err := db.readTimed(ctx, slow, nil)
			if graph.ErrorCode(err) != graph.CodeTimeout {
				t.Fatalf("after %s: error = %v (code %s), want timeout", time.Since(start).Round(time.Millisecond), err, graph.ErrorCode(err))
			}
		})
	}
}

// classify sees through the driver's wrappers: a retry limit hides the last
// error, a connectivity error hides the context's deadline.
func TestClassifyWrapped(t *testing.T) {
	memory := &neo4j.Neo4jError{Code: "Neo.TransientError.General.MemoryPoolOutOfMemoryError", Msg: "The allocation of an extra 2.0 MiB would use more than the limit"}
	timedOut := &neo4j.Neo4jError{Code: "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration", Msg: "timed out"}
	down := &neo4j.Neo4jError{Code: "Neo.TransientError.General.DatabaseUnavailable", Msg: "down"}
	tests := []struct {
		name string
		err  error
		want graph.Code
	}{
		{"retries ended on memory", &neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{memory, memory}}, graph.CodeTooLarge},
		{"retries ended on a server timeout", &neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{timedOut}}, graph.CodeTimeout},
		{"retries ended on an unavailable database", &neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{down}}, graph.CodeUnavailable},
		{"retries with no error", &neo4j.TransactionExecutionLimit{Cause: "timeout"}, graph.CodeUnavailable},
		{"connection cut by the deadline", &neo4j.ConnectivityError{Inner: context.DeadlineExceeded}, graph.CodeTimeout},
		{"connection cut by the deadline, wrapped", fmt.Errorf("run: %w", &neo4j.ConnectivityError{Inner: fmt.Errorf("read: %w", context.DeadlineExceeded)}), graph.CodeTimeout},
		{"connection refused", &neo4j.ConnectivityError{Inner: errors.New("dial tcp: connection refused")}, graph.CodeUnavailable},
		{"memory", memory, graph.CodeTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := graph.ErrorCode(classify(tt.err)); got != tt.want {
				t.Fatalf("classify(%v) = %s, want %s", tt.err, got, tt.want)
			}
		})
	}
}

// A driver-side timeout soon after a request found Neo4j unavailable is
// unavailability (503), not a slow query (504): requests that waited out
// their deadline for a Neo4j that was starting (issue 15, the fault test).
func TestDownRecently(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name   string
		downAt time.Time // zero: never down
		want   bool
	}{
		{name: "never down", want: false},
		{name: "down a moment ago", downAt: now.Add(-time.Second), want: true},
		{name: "down just inside the grace", downAt: now.Add(-recoveryGrace + time.Millisecond), want: true},
		{name: "down longer ago than the grace", downAt: now.Add(-recoveryGrace - time.Second), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var db DB
			if !tt.downAt.IsZero() {
				db.downAt.Store(tt.downAt.UnixNano())
			}
			if got := db.downRecently(now); got != tt.want {
				t.Errorf("downRecently = %v, want %v", got, tt.want)
			}
		})
	}
}
