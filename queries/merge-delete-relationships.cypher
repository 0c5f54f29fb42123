// name: merge-delete-relationships
// params: $rows LIST<MAP> -- {id, from, to}: relationships to delete, by id and ends
// returns: written -- relationships deleted
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})-[r]->(b:Entity {id: row.to})
USING INDEX SEEK a:Entity(id)
USING INDEX SEEK b:Entity(id)
WHERE r.id = row.id
DELETE r
RETURN count(*) AS written
