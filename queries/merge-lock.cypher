// name: merge-lock
// params: $ids LIST<STRING> -- entity ids, sorted and distinct (a fixed lock order)
// returns: one row per id that is an entity: id, n (the node, read under its write lock)
// Unlike entity-lock it creates nothing: a merge only touches stored entities.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
USING INDEX SEEK n:Entity(id)
SET n._lock = true
REMOVE n._lock
RETURN id, n
