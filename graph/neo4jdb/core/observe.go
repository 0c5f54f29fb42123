package core

import (
	"strings"
	"time"

	"github.com/scamgraph/scamgraph/queries"
)

// QueryObserver is told of every named query the request path runs (reads
// and key writes; see Config.ObserveQuery): the query's name, how long it
// took with the driver's retries, and its error as returned to the caller
// (nil, or classified: graph.ErrorCode tells its kind). It must be cheap
// and safe for concurrent use.
type QueryObserver func(name string, d time.Duration, err error)

// OtherQuery is the name reported for a statement that is not one of
// queries/*.cypher (none on the request path today).
const OtherQuery = "other"

// Observe reports the query that started at start with *err, when an
// observer is configured. Deferred, it sees the error the function returns.
func (db *DB) Observe(cypher string, start time.Time, err *error) {
	if db.onQuery != nil {
		db.onQuery(QueryName(cypher), time.Since(start), *err)
	}
}

// QueryName is the name a queries/*.cypher text declares on its first
// line ("// name: read-neighbors"), which survives the placeholder
// expansion of readQuery. Anything else, or a name that is not an embedded
// query, is OtherQuery, so the names form a fixed set.
func QueryName(cypher string) string {
	line, _, _ := strings.Cut(cypher, "\n")
	name, ok := strings.CutPrefix(strings.TrimSpace(line), "// name:")
	if !ok {
		return OtherQuery
	}
	name = strings.TrimSpace(name)
	if _, ok := queries.Lookup(name); !ok {
		return OtherQuery
	}
	return name
}
