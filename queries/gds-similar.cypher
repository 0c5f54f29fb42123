// name: gds-similar
// params: $name STRING -- the projection; $id STRING -- the entity compared; $limit INTEGER; $concurrency INTEGER (1..4)
// returns: one row per similar entity, most similar first: nodeId, similarity (Jaccard)
MATCH (f:Entity {id: $id})
CALL gds.nodeSimilarity.filtered.stream($name, {sourceNodeFilter: [f], topK: $limit, concurrency: $concurrency})
YIELD node1, node2, similarity
RETURN node2 AS nodeId, similarity
ORDER BY similarity DESC
LIMIT $limit
