// name: gds-betweenness
// params: $name STRING -- the projection; $concurrency INTEGER (1..4); $samplingSize INTEGER or null (null: exact, every node a source)
// returns: one row per projected node: nodeId, score
CALL gds.betweenness.stream($name, {concurrency: $concurrency, samplingSize: $samplingSize, samplingSeed: 42})
YIELD nodeId, score
RETURN nodeId, score
