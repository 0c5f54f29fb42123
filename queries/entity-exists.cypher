// name: entity-exists
// params: $ids LIST<STRING> -- entity ids
// returns: id for each of $ids that names an existing entity
UNWIND $ids AS id
MATCH (n:Entity {id: id})
USING INDEX SEEK n:Entity(id)
RETURN n.id AS id
