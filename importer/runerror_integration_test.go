package importer_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb"
	"github.com/scamgraph/scamgraph/importer"
	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// failingWrites is the real store whose relationship writes fail with
// the error given, after the entities were written for real.
type failingWrites struct {
	*neo4jdb.DB
	err error
}

func (f failingWrites) WriteRelationships(context.Context, []graph.Relationship, graph.WriteOptions) ([]graph.ItemResult, error) {
	return nil, f.err
}

// driverText is what the stored run's error must not hold: the driver's
// and Neo4j's words, Java class names, the wrapped cause.
var driverText = regexp.MustCompile(`Neo4jError|Neo\.(?:Client|Database|Transient)Error|ConnectivityError|java\.|Exception|bolt://|127\.0\.0\.1`)

// TestFailedImportRunErrorInOurWords: a run that fails while writing is
// recorded as failed with a message safe to show (GET /v1/imports/{id}
// serves it): what graph.ErrorMessage says, never the driver's or Neo4j's
// text (issue 15).
func TestFailedImportRunErrorInOurWords(t *testing.T) {
	db := neo4jtest.Open(t)
	prefix := neo4jtest.Prefix(t)
	neo4jtest.Cleanup(t, db, prefix)
	raw := errors.New("Neo4jError: Neo.DatabaseError.General.UnknownError (java.lang.IllegalStateException: Cannot invoke \"org.neo4j.kernel.impl.Foo.bar()\" at bolt://127.0.0.1:7687)")
	tests := []struct {
		name string
		err  error
		want string // the stored message
	}{
		{name: "unclassified driver error", err: fmt.Errorf("write relationships: %w", raw), want: "internal error"},
		{name: "unavailable", err: fmt.Errorf("write relationships: %w", graph.WrapError(graph.CodeUnavailable, raw, "the graph database is unavailable")),
			want: "the graph database is unavailable"},
		{name: "timeout", err: graph.WrapError(graph.CodeTimeout, fmt.Errorf("ConnectivityError: %w", context.DeadlineExceeded), "the query ran out of time"),
			want: "the query ran out of time"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := write(t, t.TempDir(), fmt.Sprintf("run-error-%d.ndjson", i), lines(fixture(prefix)...))
			rep, err := importer.New(failingWrites{DB: db, err: tt.err}, importer.Options{}).ImportPaths(ctxT(t), []string{file})
			if err == nil {
				t.Fatal("the import succeeded although its writes failed")
			}
			if len(rep.Files) != 1 || rep.Files[0].RunID == "" {
				t.Fatalf("no run recorded: %+v", rep)
			}
			run, err := db.ImportRun(ctxT(t), rep.Files[0].RunID)
			if err != nil {
				t.Fatal(err)
			}
			if run.Status != "failed" || run.FinishedAt == nil {
				t.Errorf("run %+v, want failed and finished", run)
			}
			if m := driverText.FindString(run.Error); m != "" {
				t.Errorf("the run's error %q holds %q", run.Error, m)
			}
			if !strings.Contains(run.Error, tt.want) {
				t.Errorf("the run's error %q lacks %q", run.Error, tt.want)
			}
		})
	}
}
