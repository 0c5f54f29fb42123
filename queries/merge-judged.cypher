// name: merge-judged
// params: $keep STRING, $ids LIST<STRING> -- the kept id and the ids merged into it
// returns: one row per "not the same" judgement between keep and one of ids: id, other
MATCH (j:Judgement)
WHERE (j.a = $keep AND j.b IN $ids) OR (j.b = $keep AND j.a IN $ids)
RETURN j.id AS id, CASE j.a WHEN $keep THEN j.b ELSE j.a END AS other
