// name: gds-count
// params: $types LIST<STRING> -- relationship types from the allow-list; $labels LIST<STRING> -- kind labels from graph.KindLabel; $minRank INTEGER (0: any evidence); $asOf DATE or null; $late LIST<STRING> (see read-late-sources)
// returns: one row: nodes (entities of the projection), relationships (the ties among them)
// text: __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/read_asof.go.
// The size of the projection gds-project would build, for the memory estimate.
MATCH (s:Entity)
WHERE any(l IN labels(s) WHERE l IN $labels) AND __asof_node(s)
OPTIONAL MATCH (s)-[r]->(t:Entity)
WHERE type(r) IN $types AND coalesce(r.evidence_rank, 0) >= $minRank AND __asof_rel(r)
  AND any(l IN labels(t) WHERE l IN $labels) AND __asof_node(t)
RETURN count(DISTINCT s) AS nodes, count(r) AS relationships
