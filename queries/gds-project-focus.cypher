// name: gds-project-focus
// params: $name STRING -- the projection's name, unique to the request; $focus STRING -- the entity whose neighbourhood is projected; $types LIST<STRING> -- relationship types from the allow-list; $labels LIST<STRING> -- kind labels from graph.KindLabel; $minRank INTEGER (0: any evidence); $asOf DATE or null; $late LIST<STRING> (see read-late-sources)
// returns: one row: nodes, relationships (as GDS counts them: each tie twice, undirected; parallel relationships of one type once); no row when the focus is unknown
// text: __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/read_asof.go.
// The focus and the entities within __hops (1 to graph.MaxAnalyticsHops)
// over the allowed ties and kinds, and every allowed tie among them.
MATCH (f:Entity {id: $focus})
CALL (f) {
  MATCH (f)(()-[r]-(x:Entity)
            WHERE type(r) IN $types AND coalesce(r.evidence_rank, 0) >= $minRank AND __asof_rel(r)
              AND any(l IN labels(x) WHERE l IN $labels) AND __asof_node(x)){0,__hops}(m:Entity)
  RETURN collect(DISTINCT m) AS ns
}
UNWIND ns AS s
OPTIONAL MATCH (s)-[r]->(t:Entity)
WHERE t IN ns AND type(r) IN $types AND coalesce(r.evidence_rank, 0) >= $minRank AND __asof_rel(r)
// Parallel relationships of one type between two entities (both
// directions, several records: an indictment and two designations) are one
// tie weighted by the sum of their evidence grades (an ungraded one counts
// 1), as gds-project-native aggregates them; ties of two types between the
// same two entities stay two. PageRank and Louvain use the weight.
WITH CASE WHEN t IS NULL OR elementId(s) < elementId(t) THEN s ELSE t END AS a,
     CASE WHEN t IS NULL OR elementId(s) < elementId(t) THEN t ELSE s END AS b, type(r) AS rt,
     sum(CASE WHEN r IS NULL THEN 0 WHEN coalesce(r.evidence_rank, 0) < 1 THEN 1 ELSE r.evidence_rank END) AS w
WITH gds.graph.project($name, a, b, {relationshipProperties: {weight: toFloat(CASE WHEN w < 1 THEN 1 ELSE w END)}},
                       {undirectedRelationshipTypes: ['*'], readConcurrency: $concurrency}) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS relationships
