// Package cypher is the guarded read-only Cypher endpoint, on Neo4j: one part of graph/neo4jdb, which
// composes the parts into the one store the service uses.
package cypher

import "github.com/scamgraph/scamgraph/graph/neo4jdb/core"

type conn = core.DB

// Runner is this part of the store, over the process's one driver.
type Runner struct{ *conn }

// New is the Runner over db.
func New(db *core.DB) *Runner { return &Runner{db} }
