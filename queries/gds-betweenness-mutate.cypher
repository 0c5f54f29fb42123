// name: gds-betweenness-mutate
// params: $name STRING -- the projection; $concurrency INTEGER (1..4); $samplingSize INTEGER or null (null: exact, every node a source)
// returns: one row: nodes (how many got a score)
// Betweenness centrality into the projection (property betweenness).
CALL gds.betweenness.mutate($name, {concurrency: $concurrency, samplingSize: $samplingSize, samplingSeed: 42, mutateProperty: 'betweenness'})
YIELD nodePropertiesWritten
RETURN nodePropertiesWritten AS nodes
