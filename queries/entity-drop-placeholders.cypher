// name: entity-drop-placeholders
// params: $ids LIST<STRING> -- ids entity-lock created in this transaction
// returns: dropped -- placeholders deleted (those no record filled in)
UNWIND $ids AS id
MATCH (n:Entity {id: id})
USING INDEX SEEK n:Entity(id)
WHERE n._new IS NOT NULL
DELETE n
RETURN count(n) AS dropped
