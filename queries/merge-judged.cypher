// name: merge-judged
// params: $ids LIST<STRING> -- the kept id and the ids merged into it
// returns: one row per "not the same" judgement between two of them: id, a, b
MATCH (j:Judgement)
WHERE j.a IN $ids AND j.b IN $ids
RETURN j.id AS id, j.a AS a, j.b AS b
