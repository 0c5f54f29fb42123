package neo4jdb_test

import (
	"testing"
	"time"

	"github.com/scamgraph/scamgraph/internal/neo4jtest"
)

// TestZZNoProjectionLeft runs last in this package (go test runs a package's tests
// file by file in name order, this file last): no test left a projection behind.
func TestZZNoProjectionLeft(t *testing.T) {
	neo4jtest.Open(t)
	if left := leftProjections(t, 30*time.Second); len(left) > 0 {
		t.Errorf("projections left behind: %v", left)
	}
}
