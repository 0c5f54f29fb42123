// name: entity-fetch
// params: $ids LIST<STRING> -- entity ids
// returns: one row per id that exists: n (the node, with labels and properties)
UNWIND $ids AS id
MATCH (n:Entity {id: id})
USING INDEX SEEK n:Entity(id)
RETURN n
