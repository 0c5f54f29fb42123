// name: merge-delete-entities
// params: $ids LIST<STRING> -- the merged ids (their relationships are already moved)
// returns: written -- entities deleted
// DETACH drops what is left: their MENTIONED_IN links, which the kept entity
// gains from its sources.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
USING INDEX SEEK n:Entity(id)
DETACH DELETE n
RETURN count(*) AS written
