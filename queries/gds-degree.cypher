// name: gds-degree
// params: $name STRING -- the projection; $concurrency INTEGER (1..4)
// returns: one row per projected node: nodeId, score (its ties in the projection)
CALL gds.degree.stream($name, {concurrency: $concurrency})
YIELD nodeId, score
RETURN nodeId, score
