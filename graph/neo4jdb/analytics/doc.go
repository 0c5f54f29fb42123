// Package analytics is graph.Analyst (key players, brokers, communities, similar entities on Graph Data Science), on Neo4j: one part of graph/neo4jdb, which
// composes the parts into the one store the service uses.
package analytics

import "github.com/scamgraph/scamgraph/graph/neo4jdb/core"

type conn = core.DB

// Analyst is this part of the store, over the process's one driver.
type Analyst struct {
	*conn
	reader core.EntityReader
}

// New is the Analyst over db, reading stored entities through entities.
func New(db *core.DB, entities core.EntityReader) *Analyst {
	return &Analyst{conn: db, reader: entities}
}
