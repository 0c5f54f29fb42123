// name: gds-count-focus
// params: $focus STRING -- the entity whose neighbourhood is projected; $types LIST<STRING> -- relationship types from the allow-list; $labels LIST<STRING> -- kind labels from graph.KindLabel; $minRank INTEGER (0: any evidence); $asOf DATE or null; $late LIST<STRING> (see read-late-sources)
// returns: one row: found (the focus exists), nodes, relationships (see gds-project-focus)
// text: __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/read_asof.go.
// __hops is an integer from 1 to graph.MaxAnalyticsHops, checked by the caller.
OPTIONAL MATCH (f:Entity {id: $focus})
CALL (f) {
  MATCH (f)(()-[r]-(x:Entity)
            WHERE type(r) IN $types AND coalesce(r.evidence_rank, 0) >= $minRank AND __asof_rel(r)
              AND any(l IN labels(x) WHERE l IN $labels) AND __asof_node(x)){0,__hops}(m:Entity)
  RETURN collect(DISTINCT m) AS ns
}
CALL (ns) {
  UNWIND ns AS s
  OPTIONAL MATCH (s)-[r]->(t:Entity)
  WHERE t IN ns AND type(r) IN $types AND coalesce(r.evidence_rank, 0) >= $minRank AND __asof_rel(r)
  RETURN count(r) AS relationships
}
RETURN f IS NOT NULL AS found, size(ns) AS nodes, relationships
