// name: merge-restore-entities
// params: $rows LIST<MAP> -- {merge (the merge id), id, labels: LIST<STRING>
//         (from graph.Labels, an allow-list)}: the merged entities to re-create
// returns: written -- entities re-created
UNWIND $rows AS row
MATCH (s:MergeSnapshot {_merge: row.merge, id: row.id})
CREATE (n:Entity)
SET n = properties(s)
REMOVE n._merge, n._labels
SET n:$(row.labels)
RETURN count(n) AS written
