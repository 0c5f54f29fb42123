// name: merge-save
// params: $id STRING, $props MAP (the record's properties), $keep STRING,
//         $merged LIST<STRING>, $fingerprint STRING
// returns: id
// Records the merge, leaves a :Redirect from each merged id to the kept one,
// and carries each "not the same" judgement of a merged id over to the kept
// id (marked via_merge, so that an undo removes it again).
CREATE (m:Merge {id: $id})
SET m = $props, m.id = $id, m.fingerprint = $fingerprint
WITH m
CALL (m) {
  UNWIND $merged AS old
  MERGE (r:Redirect {id: old})
  SET r.to = $keep, r.merge = m.id
}
CALL (m) {
  MATCH (j:Judgement)
  WHERE j.a IN $merged OR j.b IN $merged
  WITH j, CASE WHEN j.a IN $merged THEN j.b ELSE j.a END AS other
  WHERE other <> $keep
  WITH j, CASE WHEN other < $keep THEN other ELSE $keep END AS a, CASE WHEN other < $keep THEN $keep ELSE other END AS b
  MERGE (n:Judgement {id: 'judgement:' + a + '|' + b})
    ON CREATE SET n.a = a, n.b = b, n.verdict = j.verdict, n.reason = j.reason, n.by = j.by, n.at = j.at, n.via_merge = m.id
}
RETURN m.id AS id
