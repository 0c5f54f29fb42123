// name: judgement-get
// params: $id STRING (judgement:A|B)
// returns: j (the judgement in force, or else its latest withdrawal),
//          withdrawn BOOLEAN; no row when no judgement ever had the id
OPTIONAL MATCH (a:Judgement {id: $id})
OPTIONAL MATCH (w:WithdrawnJudgement {id: $id})
WITH a, w
WHERE a IS NOT NULL OR w IS NOT NULL
RETURN coalesce(a, w) AS j, a IS NULL AS withdrawn
