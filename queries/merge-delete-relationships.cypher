// name: merge-delete-relationships
// params: $rows LIST<MAP> -- {id, from, to}: relationships to delete, by id and ends
// returns: written -- relationships deleted
UNWIND $rows AS row
MATCH (:Entity {id: row.from})-[r]->(:Entity {id: row.to})
WHERE r.id = row.id
DELETE r
RETURN count(*) AS written
