// name: judgement-list
// params: $entity STRING or null (only judgements naming it, as a or b),
//         $verdict STRING or null, $after_at STRING or null (an RFC 3339 datetime) and $after_id
//         STRING (the last judgement of the previous page), $limit INTEGER
// returns: j (the :Judgement nodes in force), newest first (at descending,
//          then id): at most $limit rows. Withdrawn judgements are
//          :WithdrawnJudgement nodes and never listed. With $entity the
//          judgement_a and judgement_b indexes answer; without, a label scan
//          (judgements are analysts' decisions: thousands, not millions).
//          A judgement without at (written by hand) sorts as year 1.
CALL () {
  MATCH (j:Judgement) WHERE $entity IS NULL RETURN j
  UNION
  MATCH (j:Judgement {a: $entity}) RETURN j
  UNION
  MATCH (j:Judgement {b: $entity}) RETURN j
}
WITH j, coalesce(j.at, datetime('0001-01-01T00:00:00Z')) AS at
WHERE ($verdict IS NULL OR j.verdict = $verdict)
  AND ($after_at IS NULL OR at < datetime($after_at) OR (at = datetime($after_at) AND j.id > $after_id))
RETURN j
ORDER BY at DESC, j.id
LIMIT $limit
