// name: export-relationships
// params: $ids LIST<STRING> -- start entity ids (one page of export-entities)
// returns: from, to, r -- every relationship starting at those entities
UNWIND $ids AS id
MATCH (a:Entity {id: id})-[r]->(b:Entity)
USING INDEX SEEK a:Entity(id)
RETURN a.id AS from, b.id AS to, r
ORDER BY from, type(r), to, r.id
