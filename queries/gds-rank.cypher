// name: gds-rank
// params: $name STRING -- the projection; $property STRING -- a property an algorithm mutated into it (degree, betweenness); $ids LIST<INTEGER> -- node ids
// returns: one row per id of $ids in the projection: nodeId, score, rank (1-based, highest first, scores equal to 9 decimals by node id, as gds-top orders)
CALL gds.graph.nodeProperty.stream($name, $property)
YIELD nodeId, propertyValue
WITH nodeId, propertyValue
ORDER BY round(propertyValue, 9) DESC, nodeId ASC
WITH collect(nodeId) AS ids, collect(propertyValue) AS scores
UNWIND range(0, size(ids) - 1) AS i
WITH ids[i] AS nodeId, scores[i] AS score, i + 1 AS rank
WHERE nodeId IN $ids
RETURN nodeId, score, rank
