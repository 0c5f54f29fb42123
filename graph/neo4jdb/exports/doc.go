// Package exports is the streaming reads behind the exports, on Neo4j: one part of graph/neo4jdb, which
// composes the parts into the one store the service uses.
package exports

import "github.com/scamgraph/scamgraph/graph/neo4jdb/core"

type conn = core.DB

// Exporter is this part of the store, over the process's one driver.
type Exporter struct{ *conn }

// New is the Exporter over db.
func New(db *core.DB) *Exporter { return &Exporter{db} }
