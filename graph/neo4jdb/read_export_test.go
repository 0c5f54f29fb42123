package neo4jdb

import "github.com/scamgraph/scamgraph/graph/neo4jdb/core"

// ReadQueryText returns a read query as it is sent (as_of markers and
// integer placeholders expanded), for tests that PROFILE it.
func ReadQueryText(name string, ints map[string]int) string { return core.ReadQuery(name, ints) }
