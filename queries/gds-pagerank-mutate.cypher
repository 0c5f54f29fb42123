// name: gds-pagerank-mutate
// params: $name STRING -- the projection; $concurrency INTEGER (1..4)
// returns: one row: nodes (how many got a score)
// Weighted by the ties' evidence grades (gds-project's weight). Writes each
// node's score into the projection (property pagerank), not to Neo4j:
// gds-top and gds-rank read what the answer shows.
CALL gds.pageRank.mutate($name, {concurrency: $concurrency, relationshipWeightProperty: 'weight', mutateProperty: 'pagerank'})
YIELD nodePropertiesWritten
RETURN nodePropertiesWritten AS nodes
