// name: merge-snapshot-read
// params: $merge STRING -- a merge id
// returns: one row per snapshot: what ('node' or 'rel'), sid (its element id),
//          id (a node's entity id), labels (a node's), type (a relationship's)
MATCH (s:MergeSnapshot {_merge: $merge})
RETURN 'node' AS what, elementId(s) AS sid, s.id AS id, s._labels AS labels, null AS type
UNION ALL
MATCH (x:MergeSnapshotRel {_merge: $merge})
RETURN 'rel' AS what, elementId(x) AS sid, x.id AS id, null AS labels, x._type AS type
