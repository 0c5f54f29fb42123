// name: gds-articulation-points
// params: $name STRING -- the projection
// returns: one row per articulation point: nodeId
CALL gds.articulationPoints.stream($name)
YIELD nodeId
RETURN nodeId
