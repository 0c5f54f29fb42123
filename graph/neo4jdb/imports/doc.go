// Package imports is graph.Writer (batched, idempotent imports and their runs), on Neo4j: one part of graph/neo4jdb, which
// composes the parts into the one store the service uses.
package imports

import (
	"sync/atomic"

	"github.com/scamgraph/scamgraph/graph/neo4jdb/core"
)

type conn = core.DB

// Importer is this part of the store, over the process's one driver.
type Importer struct {
	*conn
	// lockFirst says, for entity and for relationship batches, whether the
	// last batch written changed most of what it held: the next one then
	// locks what it names at once instead of reading it unlocked first
	// (see WriteEntities). A hint for speed only: either way the plan that
	// is written is made under the locks.
	lockFirst [2]atomic.Bool
}

// New is the Importer over db.
func New(db *core.DB) *Importer { return &Importer{conn: db} }
