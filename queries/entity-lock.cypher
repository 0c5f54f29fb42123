// name: entity-lock
// params: $ids LIST<STRING> -- entity ids, sorted and distinct (a fixed lock order)
// returns: id, created, n -- one row per id; created is true when this
//          statement made the node: a placeholder (:Entity {id, _new}) that
//          the same transaction must fill (entity-upsert) or delete
//          (entity-drop-placeholders); n is the node as stored
// Takes each node's write lock, held to the end of the transaction, and reads
// the node under it: a concurrent import's read-merge-write of the same entity
// waits, so merges never overwrite each other. The lock property is removed at
// once and never committed.
UNWIND $ids AS id
MERGE (n:Entity {id: id})
  ON CREATE SET n._new = true
SET n._lock = true
REMOVE n._lock
RETURN id, n._new IS NOT NULL AS created, n
