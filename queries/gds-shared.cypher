// name: gds-shared
// params: $id STRING -- the entity compared; $ids LIST<STRING> -- the similar ones; $types, $minRank as in gds-project
// returns: one row per id with a counterpart in common: id, shared (counterparts in common)
MATCH (f:Entity {id: $id})-[r1]-(c:Entity)-[r2]-(o:Entity)
WHERE o.id IN $ids AND o <> f AND type(r1) IN $types AND type(r2) IN $types
  AND coalesce(r1.evidence_rank, 0) >= $minRank AND coalesce(r2.evidence_rank, 0) >= $minRank
RETURN o.id AS id, count(DISTINCT c) AS shared
