// name: read-neighbors-keyset
// params: as read-neighbors; every type of $types is one of graph.RelTypes (so it has the ends indexes of schema/005-relationship-ends)
// returns: as read-neighbors: root (no row when it does not exist); then per neighbour in id order, at most $limit + 1 of them: m (null when none) and rs
// text: __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/core/asof.go;
//       the marker keyset_branches (two leading underscores; not spelt here, or it would expand) to one branch per type and
//       direction the root has relationships of (read.KeysetQuery in graph/neo4jdb/read),
//       UNION ALL between them, each an index seek on the relationship ends in neighbour id order:
//         MATCH ()-[r:OWNS]->(m:Entity) USING INDEX r:OWNS(_from_id, _to_id)
//         WHERE r._from_id = $id AND r._to_id > $after AND r._to_id <> $id AND <kind and as_of filters>
//         WITH DISTINCT r._from_id AS k, r._to_id AS mid ORDER BY k, mid LIMIT $limit + 1 RETURN mid
//       (and the same with _to_id = $id over _from_id for incoming ones).
// Each branch stops after its first $limit + 1 neighbours past the cursor,
// so a page costs at most (types x 2) x ($limit + 1) index entries, whatever
// the root's degree; the first $limit + 1 of their union are the page's.
// Then only the kept neighbours' relationships with the root are read
// (Expand(Into) starts from the sparser end).
MATCH (root:Entity {id: $id})
OPTIONAL CALL (root) {
  CALL () {
__keyset_branches
  }
  WITH DISTINCT mid
  ORDER BY mid
  LIMIT $limit + 1
  MATCH (m:Entity {id: mid})
  USING INDEX SEEK m:Entity(id)
  MATCH (root)-[r]-(m)
  WHERE type(r) IN $types AND __asof_rel(r)
  RETURN m, collect(r) AS rs
}
RETURN root, m, rs
ORDER BY m.id
