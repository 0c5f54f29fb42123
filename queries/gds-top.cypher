// name: gds-top
// params: $name STRING -- the projection; $property STRING -- a property an algorithm mutated into it (pagerank, betweenness); $limit INTEGER
// returns: up to $limit rows, highest score first (scores equal to 9 decimals by node id): nodeId, score
// Only the top of the ranking leaves the server.
CALL gds.graph.nodeProperty.stream($name, $property)
YIELD nodeId, propertyValue
RETURN nodeId, propertyValue AS score
ORDER BY round(propertyValue, 9) DESC, nodeId ASC
LIMIT $limit
