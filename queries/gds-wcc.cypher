// name: gds-wcc
// params: $name STRING -- the projection; $concurrency INTEGER (1..4)
// returns: one row per projected node: nodeId, community (its connected component)
CALL gds.wcc.stream($name, {concurrency: $concurrency})
YIELD nodeId, componentId
RETURN nodeId, componentId AS community
