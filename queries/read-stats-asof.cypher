// name: read-stats-asof
// params: $asOf DATE; $late LIST<STRING> (see read-late-sources); $labels LIST<STRING> -- the kind labels (graph.KindLabel of graph.AllKinds); $types LIST<STRING> -- graph.RelTypes and MENTIONED_IN
// returns: one row per count: what ("entities", "label" or "rel"), name (the label or relationship type; "" for entities), count
// text: __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/core/asof.go.
// The counts of read-stats as the graph stood on $asOf: a scan of every entity
// and relationship (the count store knows only today). A relationship counts
// when it and both its ends were known then.
CALL () {
  MATCH (n:Entity) WHERE __asof_node(n)
  RETURN 'entities' AS what, '' AS name, count(n) AS count
  UNION ALL
  MATCH (n:Entity) WHERE __asof_node(n)
  UNWIND [l IN labels(n) WHERE l IN $labels] AS l
  RETURN 'label' AS what, l AS name, count(*) AS count
  UNION ALL
  MATCH (a:Entity)-[r]->(b:Entity)
  WHERE type(r) IN $types AND __asof_rel(r) AND __asof_node(a) AND __asof_node(b)
  RETURN 'rel' AS what, type(r) AS name, count(r) AS count
}
RETURN what, name, count
