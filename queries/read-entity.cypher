// name: read-entity
// params: $id STRING -- entity id
// returns: no row when there is no such entity; else one row: n (the node), types, directions, counts (parallel lists: relationship counts by type and direction, "out" or "in")
MATCH (n:Entity {id: $id})
OPTIONAL CALL (n) {
  MATCH (n)-[r]->()
  RETURN type(r) AS type, 'out' AS direction, count(*) AS count
  UNION ALL
  MATCH (n)<-[r]-()
  RETURN type(r) AS type, 'in' AS direction, count(*) AS count
}
WITH n, type, direction, count
ORDER BY type, direction
RETURN n, collect(type) AS types, collect(direction) AS directions, collect(count) AS counts
