// name: entity-check
// params: $ids LIST<STRING> -- entity ids
// returns: one row per id that exists: id, labels, name, victim (the whole
//          node when it is a victim, else null) -- what the import rules need
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN id, labels(n) AS labels, n.name AS name, CASE WHEN n:Victim THEN n END AS victim
