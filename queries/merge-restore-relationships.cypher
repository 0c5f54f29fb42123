// name: merge-restore-relationships
// params: $rows LIST<MAP> -- {sid (a :MergeSnapshotRel's element id), type
//         (from graph.RelType's allow-list)}
// returns: written -- relationships re-created (with their ends' ids,
//          _from_id and _to_id, as relationship-upsert stores them)
UNWIND $rows AS row
MATCH (x:MergeSnapshotRel) WHERE elementId(x) = row.sid
MATCH (a:Entity {id: x._from})
USING INDEX SEEK a:Entity(id)
MATCH (b:Entity {id: x._to})
USING INDEX SEEK b:Entity(id)
CREATE (a)-[r:$(row.type)]->(b)
SET r = properties(x)
REMOVE r._merge, r._type, r._from, r._to
SET r._from_id = CASE WHEN row.type <> 'MENTIONED_IN' THEN x._from END,
    r._to_id = CASE WHEN row.type <> 'MENTIONED_IN' THEN x._to END
RETURN count(r) AS written
