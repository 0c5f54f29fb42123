// Package read is graph.Reader (search, entities, neighbours, paths, statistics), on Neo4j: one part of graph/neo4jdb, which
// composes the parts into the one store the service uses.
package read

import "github.com/scamgraph/scamgraph/graph/neo4jdb/core"

type conn = core.DB

// Reader is this part of the store, over the process's one driver.
type Reader struct{ *conn }

// New is the Reader over db.
func New(db *core.DB) *Reader { return &Reader{db} }
