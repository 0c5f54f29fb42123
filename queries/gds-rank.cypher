// name: gds-rank
// params: $name STRING -- the projection; $property STRING -- a property an algorithm mutated into it (degree, betweenness); $ids LIST<INTEGER> -- node ids (at most graph.MaxAnalyticsLimit)
// returns: one row per id of $ids: nodeId, score, rank (1 + how many nodes score higher, to 9 decimals: equal scores share a rank)
// One pass over the scores that keeps only those above the lowest of $ids'
// (no sort of the whole projection: at 1M entities sorting them took 25 s).
UNWIND $ids AS id
WITH collect({id: id, score: round(gds.util.nodeProperty($name, id, $property), 9)}) AS tops
WITH tops, reduce(m = null, t IN tops | CASE WHEN m IS NULL OR t.score < m THEN t.score ELSE m END) AS floor
CALL gds.graph.nodeProperty.stream($name, $property)
YIELD propertyValue
WITH tops, floor, round(propertyValue, 9) AS v
WITH tops, collect(CASE WHEN v > floor THEN v END) AS higher
UNWIND tops AS t
RETURN t.id AS nodeId, t.score AS score, 1 + size([v IN higher WHERE v > t.score]) AS rank
