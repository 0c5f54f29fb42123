// name: gds-nodes
// params: $ids LIST<INTEGER> -- GDS node ids (internal ids of :Entity nodes)
// returns: one row per id that is still an entity: nodeId, n (the node)
UNWIND $ids AS nodeId
WITH nodeId, gds.util.asNode(nodeId) AS n
WHERE n:Entity
RETURN nodeId, n
