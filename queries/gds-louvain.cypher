// name: gds-louvain
// params: $name STRING -- the projection; $concurrency INTEGER (1..4)
// Weighted by the ties' evidence grades (gds-project's weight).
// returns: one row per projected node: nodeId, community
CALL gds.louvain.stream($name, {concurrency: $concurrency, relationshipWeightProperty: 'weight'})
YIELD nodeId, communityId
RETURN nodeId, communityId AS community
