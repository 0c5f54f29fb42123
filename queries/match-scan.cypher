// name: match-scan
// params: $after STRING -- keyset cursor: only entities with a greater id ("" for the first batch); $limit INTEGER; $hidden LIST<STRING> -- kind labels the caller may not see
// returns: n -- up to $limit entities in id order (an index range scan on the Entity.id constraint, so it reads $limit nodes whatever the graph's size)
MATCH (n:Entity)
WHERE n.id > $after
  AND NOT any(l IN labels(n) WHERE l IN $hidden)
RETURN n
ORDER BY n.id
LIMIT $limit
