package core

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/internal/neo4jtest/testenv"
)

// openInternal connects to the test Neo4j for this package's internal
// tests (internal/neo4jtest imports this package, so they connect through
// testenv).
func openInternal(t *testing.T) *DB {
	t.Helper()
	uri, user, pw := testenv.Bolt(t)
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
			_, err := db.ReadTimed(ctx, slow, nil)
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
			if got := graph.ErrorCode(Classify(tt.err)); got != tt.want {
				t.Fatalf("classify(%v) = %s, want %s", tt.err, got, tt.want)
			}
		})
	}
}

// A driver-side timeout while Neo4j is coming back (found unavailable, and
// not yet answering reads in time for recoveryGrace since) is
// unavailability (503), not a slow query (504): requests that waited out
// their deadline for a Neo4j that was starting or warming up (issue 15,
// the fault test). Once reads have answered for recoveryGrace, or long
// after the last outage (recoveryMax), a timeout is a slow query again.
func TestRecovering(t *testing.T) {
	now := time.Now()
	type event struct {
		ago  time.Duration
		what string // down, ok (a read answered), timeout (a read ran out of time)
	}
	tests := []struct {
		name   string
		events []event // oldest first
		want   bool
	}{
		{name: "never down", want: false},
		{name: "never down, reads answer", events: []event{{time.Minute, "ok"}, {time.Second, "ok"}}, want: false},
		{name: "down a moment ago", events: []event{{time.Second, "down"}}, want: true},
		{name: "down 30 s ago, no read answered since", events: []event{{30 * time.Second, "down"}}, want: true},
		{name: "down 30 s ago, reads answered before it only", events: []event{{40 * time.Second, "ok"}, {30 * time.Second, "down"}}, want: true},
		{name: "down 30 s ago, reads answering for 5 s", events: []event{{30 * time.Second, "down"}, {5 * time.Second, "ok"}, {time.Second, "ok"}}, want: true},
		{name: "down 30 s ago, reads answering for longer than the grace", events: []event{{30 * time.Second, "down"}, {recoveryGrace + time.Second, "ok"}}, want: false},
		{name: "down, answering for 5 s, then a timeout", events: []event{{50 * time.Second, "down"}, {8 * time.Second, "ok"}, {3 * time.Second, "timeout"}}, want: true},
		{name: "down, answering, a timeout, answering for longer than the grace", events: []event{{50 * time.Second, "down"}, {45 * time.Second, "ok"}, {40 * time.Second, "timeout"}, {recoveryGrace + time.Second, "ok"}}, want: false},
		{name: "recovered, then a slow query", events: []event{{50 * time.Second, "down"}, {recoveryGrace + 20*time.Second, "ok"}, {3 * time.Second, "timeout"}}, want: false},
		{name: "down longer ago than recoveryMax, no read answered", events: []event{{recoveryMax + time.Second, "down"}}, want: false},
		{name: "timeouts on a healthy Neo4j", events: []event{{5 * time.Second, "timeout"}, {time.Second, "timeout"}}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var db DB
			for _, e := range tt.events {
				at := now.Add(-e.ago)
				switch e.what {
				case "down":
					db.markDown(at)
				case "ok":
					db.ReadOK(at)
				case "timeout":
					db.readTimedOut(at)
				}
			}
			if got := db.recovering(now); got != tt.want {
				t.Errorf("recovering = %v, want %v", got, tt.want)
			}
		})
	}
}

// A read that runs past its deadline on a Neo4j that answers the probe is
// still unavailability (503) while Neo4j is recovering from an outage, and
// a slow query (504) once reads have answered for recoveryGrace since.
func TestSlowReadWhileRecovering(t *testing.T) {
	db := openInternal(t)
	const slow = "UNWIND range(1, 2000000000) AS x WITH x WHERE x = -1 RETURN count(*) AS n"
	tests := []struct {
		name  string
		setup func(now time.Time)
		want  graph.Code
	}{
		{name: "never down", setup: func(time.Time) {}, want: graph.CodeTimeout},
		{name: "down 30 s ago, no read answered since", setup: func(now time.Time) { db.markDown(now.Add(-30 * time.Second)) },
			want: graph.CodeUnavailable},
		{name: "down 30 s ago, reads answered for 20 s", setup: func(now time.Time) {
			db.markDown(now.Add(-30 * time.Second))
			db.ReadOK(now.Add(-20 * time.Second))
		}, want: graph.CodeTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db.downAt.Store(0)
			db.okSince.Store(0)
			tt.setup(time.Now())
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			_, err := db.ReadTimed(ctx, slow, nil)
			if graph.ErrorCode(err) != tt.want {
				t.Fatalf("error = %v (code %s), want %s", err, graph.ErrorCode(err), tt.want)
			}
		})
	}
}

// TestSchemaStatementsRace: processes applying the schema at once (two
// imports into a fresh database) all succeed, where Neo4j tells the losers
// of its internal race that the rule exists already.
func TestSchemaStatementsRace(t *testing.T) {
	db := openInternal(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for round := range 5 {
		name := fmt.Sprintf("race_test_%d_%d", time.Now().UnixNano(), round)
		stmts := map[string]string{
			"index":      fmt.Sprintf("CREATE INDEX %s IF NOT EXISTS FOR (n:RaceTest) ON (n.x%d)", name, round),
			"constraint": fmt.Sprintf("CREATE CONSTRAINT %s_c IF NOT EXISTS FOR (n:RaceTest) REQUIRE n.y%d IS UNIQUE", name, round),
		}
		for kind, stmt := range stmts {
			t.Run(fmt.Sprintf("%s, round %d", kind, round), func(t *testing.T) {
				errs := make(chan error, 8)
				for range 8 {
					go func() { errs <- db.applySchemaStatement(ctx, stmt) }()
				}
				for range 8 {
					if err := <-errs; err != nil {
						t.Errorf("a concurrent %s failed: %v", kind, err)
					}
				}
			})
		}
		for _, drop := range []string{"DROP INDEX " + name + " IF EXISTS", "DROP CONSTRAINT " + name + "_c IF EXISTS"} {
			if _, err := neo4j.ExecuteQuery(ctx, db.driver, drop, nil, neo4j.EagerResultTransformer); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// Credentials Neo4j refuses fail WaitReady at once, saying so, instead of
// retrying until the start-up deadline (STARTUP_WAIT, two minutes by
// default) as if Neo4j were still starting. The user is one that does not
// exist, so Neo4j's lock-out after failed logins cannot touch the user the
// other tests log in as.
func TestWaitReadyRefusedCredentials(t *testing.T) {
	uri, _, _ := testenv.Bolt(t)
	tests := []struct{ name, user, password string }{
		{"unknown user", "scamgraph-no-such-user", "x"},
		{"unknown user, empty password", "scamgraph-no-such-user-2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(Config{URI: uri, User: tt.user, Password: tt.password})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close(context.Background())
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			start := time.Now()
			err = db.WaitReady(ctx, 250*time.Millisecond)
			if err == nil {
				t.Fatal("WaitReady succeeded with credentials Neo4j refuses")
			}
			if took := time.Since(start); took > 20*time.Second {
				t.Errorf("WaitReady took %s to give up: it waited as for a starting Neo4j", took)
			}
			if ctx.Err() != nil {
				t.Errorf("WaitReady ran to its deadline: %v", err)
			}
			if msg := err.Error(); !strings.Contains(msg, "NEO4J_USER") || !strings.Contains(msg, "NEO4J_PASSWORD") {
				t.Errorf("error %q does not name the settings to check", msg)
			}
		})
	}
}
