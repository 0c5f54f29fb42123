// name: merge-relationships
// params: $ids LIST<STRING> -- entity ids
// returns: one row per relationship (MENTIONED_IN excepted) touching one of
//          them: from, to (the ends' ids), r
MATCH (n:Entity) WHERE n.id IN $ids
MATCH (n)-[r]-(:Entity)
WHERE type(r) <> 'MENTIONED_IN'
WITH DISTINCT r
MATCH (a:Entity)-[r]->(b:Entity)
RETURN a.id AS from, b.id AS to, r
