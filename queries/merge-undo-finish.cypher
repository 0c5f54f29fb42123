// name: merge-undo-finish
// params: $id STRING (the merge id), $by STRING (who undid it)
// returns: id
// Drops the snapshot, the redirects and the carried-over judgements of the merge and marks it undone; the
// :Merge node stays, as the record.
MATCH (m:Merge {id: $id})
SET m.status = 'undone', m.undone_by = $by, m.undone_at = datetime()
WITH m
CALL (m) {
  MATCH (s:MergeSnapshot|MergeSnapshotRel {_merge: m.id})
  DELETE s
}
CALL (m) {
  MATCH (r:Redirect {merge: m.id})
  DELETE r
}
CALL (m) {
  MATCH (j:Judgement {via_merge: m.id})
  DELETE j
}
RETURN m.id AS id
