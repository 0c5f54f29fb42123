// name: gds-pagerank
// params: $name STRING -- the projection; $concurrency INTEGER (1..4)
// Weighted by the ties' evidence grades (gds-project's weight).
// returns: one row per projected node: nodeId (GDS's, the node's internal id), score
CALL gds.pageRank.stream($name, {concurrency: $concurrency, relationshipWeightProperty: 'weight'})
YIELD nodeId, score
RETURN nodeId, score
