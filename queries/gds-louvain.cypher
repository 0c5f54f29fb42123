// name: gds-louvain
// params: $name STRING -- the projection; $concurrency INTEGER (1..4)
// returns: one row per projected node: nodeId, community
CALL gds.louvain.stream($name, {concurrency: $concurrency})
YIELD nodeId, communityId
RETURN nodeId, communityId AS community
