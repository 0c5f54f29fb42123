package cypher

import (
	"context"

	"github.com/scamgraph/scamgraph/graph"
)

// RunWithLayers runs q with the precheck and the plan check switched as
// given, so tests can show that each layer of the guard holds on its own.
func (db *Runner) RunWithLayers(ctx context.Context, q graph.CypherQuery, precheck, plan bool) (graph.CypherResult, error) {
	return db.runReadOnly(ctx, q, guardLayers{precheck: precheck, plan: plan})
}
