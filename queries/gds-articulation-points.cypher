// name: gds-articulation-points
// params: $name STRING -- the projection; $ids LIST<INTEGER> -- node ids
// returns: one row per articulation point among $ids: nodeId
CALL gds.articulationPoints.stream($name)
YIELD nodeId
WITH nodeId
WHERE nodeId IN $ids
RETURN nodeId
