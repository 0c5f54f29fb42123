// name: gds-edges
// params: $ids LIST<STRING> -- entity ids (at most graph.MaxAnalyticsLimit + 1); $types, $minRank, $asOf, $late as in gds-project
// returns: one row per projected relationship between two of them: from, to (entity ids), r
// text: __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/read_asof.go.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE a.id IN $ids AND b.id IN $ids AND type(r) IN $types
  AND coalesce(r.evidence_rank, 0) >= $minRank AND __asof_rel(r)
RETURN a.id AS from, b.id AS to, r
LIMIT 5000
