// Package matching is graph.Matcher (candidates for a record, duplicate proposals) and the names triage reads, on Neo4j: one part of graph/neo4jdb, which
// composes the parts into the one store the service uses.
package matching

import (
	"context"

	"github.com/scamgraph/scamgraph/graph"
	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
)

type conn = core.DB

// Matcher is this part of the store, over the process's one driver.
type Matcher struct {
	*conn
	entities entityReader
}

// entityReader reads one stored entity (the read part of the store): a
// match of a stored entity's duplicates starts from it.
type entityReader interface {
	Entity(ctx context.Context, q graph.EntityQuery) (graph.EntityDetail, error)
}

// New is the Matcher over db, reading stored entities through entities.
func New(db *core.DB, entities entityReader) *Matcher { return &Matcher{conn: db, entities: entities} }
