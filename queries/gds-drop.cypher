// name: gds-drop
// params: $name STRING -- a projection of this service (scamgraph-...)
// returns: zero or one row: name, when there was a projection to drop
CALL gds.graph.drop($name, false) YIELD graphName
RETURN graphName AS name
