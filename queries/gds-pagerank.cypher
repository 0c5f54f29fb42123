// name: gds-pagerank
// params: $name STRING -- the projection; $concurrency INTEGER (1..4)
// returns: one row per projected node: nodeId (GDS's, the node's internal id), score
CALL gds.pageRank.stream($name, {concurrency: $concurrency})
YIELD nodeId, score
RETURN nodeId, score
