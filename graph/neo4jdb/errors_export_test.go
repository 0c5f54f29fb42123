package neo4jdb

// Neo4jUserText exports neo4jUserText for tests.
func Neo4jUserText(msg string) string { return neo4jUserText(msg) }
