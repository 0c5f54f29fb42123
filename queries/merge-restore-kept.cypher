// name: merge-restore-kept
// params: $merge STRING, $keep STRING, $drop LIST<STRING> (labels the merge
//         added, from graph.Labels: an allow-list)
// returns: written -- 1 when the kept entity was restored
MATCH (k:Entity {id: $keep})
MATCH (s:MergeSnapshot {_merge: $merge, id: $keep})
SET k = properties(s)
REMOVE k._merge, k._labels
REMOVE k:$($drop)
RETURN count(k) AS written
