// Package investigate is graph.Investigator (the named investigation queries), on Neo4j: one part of graph/neo4jdb, which
// composes the parts into the one store the service uses.
package investigate

import "github.com/scamgraph/scamgraph/graph/neo4jdb/core"

type conn = core.DB

// Investigator is this part of the store, over the process's one driver.
type Investigator struct{ *conn }

// New is the Investigator over db.
func New(db *core.DB) *Investigator { return &Investigator{db} }
