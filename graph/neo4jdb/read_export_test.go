package neo4jdb

// ReadQueryText returns a read query as it is sent (as_of markers and
// integer placeholders expanded), for tests that PROFILE it.
func ReadQueryText(name string, ints map[string]int) string { return readQuery(name, ints) }
