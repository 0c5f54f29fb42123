// Package admin is the operator's tools (deletion by id prefix, benchmark helpers), on Neo4j: one part of graph/neo4jdb, which
// composes the parts into the one store the service uses.
package admin

import "github.com/scamgraph/scamgraph/graph/neo4jdb/core"

type conn = core.DB

// Admin is this part of the store, over the process's one driver.
type Admin struct{ *conn }

// New is the Admin over db.
func New(db *core.DB) *Admin { return &Admin{db} }
