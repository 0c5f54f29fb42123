// name: read-entity
// params: $id STRING -- entity id; $asOf DATE or null; $late LIST<STRING> (see read-late-sources)
// returns: no row when there is no such entity (or, with $asOf, none known then); else one row: n (the node), types, directions, counts (parallel lists: relationship counts by type and direction, "out" or "in", of the relationships known on $asOf with ends known then)
// text: __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/core/asof.go.
MATCH (n:Entity {id: $id})
WHERE __asof_node(n)
OPTIONAL CALL (n) {
  MATCH (n)-[r]->(m)
  WHERE $asOf IS NULL OR (__asof_rel(r) AND __asof_node(m))
  RETURN type(r) AS type, 'out' AS direction, count(*) AS count
  UNION ALL
  MATCH (n)<-[r]-(m)
  WHERE $asOf IS NULL OR (__asof_rel(r) AND __asof_node(m))
  RETURN type(r) AS type, 'in' AS direction, count(*) AS count
}
WITH n, type, direction, count
ORDER BY type, direction
RETURN n, collect(type) AS types, collect(direction) AS directions, collect(count) AS counts
