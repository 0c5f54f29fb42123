// Package matching is graph.Matcher (candidates for a record, duplicate proposals) and the names triage reads, on Neo4j: one part of graph/neo4jdb, which
// composes the parts into the one store the service uses.
package matching

import "github.com/scamgraph/scamgraph/graph/neo4jdb/core"

type conn = core.DB

// Matcher is this part of the store, over the process's one driver.
type Matcher struct {
	*conn
	reader core.EntityReader
}

// New is the Matcher over db, reading stored entities through entities.
func New(db *core.DB, entities core.EntityReader) *Matcher {
	return &Matcher{conn: db, reader: entities}
}
