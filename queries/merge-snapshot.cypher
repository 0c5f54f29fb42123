// name: merge-snapshot
// params: $merge STRING (the merge id), $ids LIST<STRING> (the kept and merged ids)
// returns: nodes, rels -- the number of nodes and relationships copied
// Copies every node of $ids (properties as stored, labels in _labels) into a
// :MergeSnapshot, and every relationship touching one of them, MENTIONED_IN
// included (properties as stored, type in _type, ends' ids in _from and _to),
// into a :MergeSnapshotRel: values keep their Neo4j types, so an undo
// restores them exactly.
MATCH (n:Entity) WHERE n.id IN $ids
CREATE (s:MergeSnapshot)
SET s = properties(n), s._merge = $merge, s._labels = labels(n)
WITH collect(n) AS nodes, count(s) AS copied
CALL (nodes) {
  UNWIND nodes AS n
  MATCH (n)-[r]-(:Entity)
  WITH DISTINCT r
  MATCH (a:Entity)-[r]->(b:Entity)
  CREATE (x:MergeSnapshotRel)
  SET x = properties(r), x._merge = $merge, x._type = type(r), x._from = a.id, x._to = b.id
  RETURN count(x) AS rels
}
RETURN copied AS nodes, rels
