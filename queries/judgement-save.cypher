// name: judgement-save
// params: $id, $a, $b, $verdict, $reason, $by STRING
// returns: j (the judgement), created (false when the pair was judged already)
MERGE (j:Judgement {id: $id})
  ON CREATE SET j.a = $a, j.b = $b, j.verdict = $verdict, j.reason = $reason, j.by = $by,
                j.at = datetime(), j._new = true
WITH j, j._new IS NOT NULL AS created
REMOVE j._new
RETURN j, created
