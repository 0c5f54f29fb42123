// name: judgement-withdraw
// params: $id STRING (judgement:A|B), $by STRING (who withdraws),
//         $reason STRING (why; may be empty)
// returns: j (the judgement, withdrawn); no row when no judgement with the
//          id is in force
// Withdrawing relabels the node :WithdrawnJudgement (so every query that
// reads :Judgement, the matcher's and the merges', no longer sees it) and
// replaces an earlier withdrawal of the same pair: one tombstone per id.
MATCH (j:Judgement {id: $id})
SET j.withdrawn_by = $by, j.withdrawn_at = datetime(), j.withdraw_reason = $reason
WITH j
CALL (j) {
  MATCH (old:WithdrawnJudgement {id: $id})
  WHERE old <> j
  DELETE old
}
REMOVE j:Judgement
SET j:WithdrawnJudgement
RETURN j
