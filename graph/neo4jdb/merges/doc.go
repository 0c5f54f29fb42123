// Package merges is merges of duplicate entities, their undo and the analysts' judgements, on Neo4j: one part of graph/neo4jdb, which
// composes the parts into the one store the service uses.
package merges

import "github.com/scamgraph/scamgraph/graph/neo4jdb/core"

type conn = core.DB

// Merger is this part of the store, over the process's one driver.
type Merger struct{ *conn }

// New is the Merger over db.
func New(db *core.DB) *Merger { return &Merger{db} }
