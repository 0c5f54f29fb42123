// name: merge-undo-detach
// params: $keep STRING -- the kept id
// returns: written -- relationships deleted (every one of the kept entity;
//          the snapshot holds them as they were before the merge)
MATCH (:Entity {id: $keep})-[r]-()
DELETE r
RETURN count(*) AS written
