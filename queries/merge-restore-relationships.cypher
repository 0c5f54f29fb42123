// name: merge-restore-relationships
// params: $rows LIST<MAP> -- {sid (a :MergeSnapshotRel's element id), type
//         (from graph.RelType's allow-list)}
// returns: written -- relationships re-created
UNWIND $rows AS row
MATCH (x:MergeSnapshotRel) WHERE elementId(x) = row.sid
MATCH (a:Entity {id: x._from})
MATCH (b:Entity {id: x._to})
CREATE (a)-[r:$(row.type)]->(b)
SET r = properties(x)
REMOVE r._merge, r._type, r._from, r._to
RETURN count(r) AS written
