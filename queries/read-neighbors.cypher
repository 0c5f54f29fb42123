// name: read-neighbors
// params: $id STRING -- the root entity; $types LIST<STRING> -- relationship types from graph.ParseRelType/graph.RelTypes (never empty); $labels LIST<STRING> -- kind labels from graph.KindLabel (any when empty); $after STRING -- keyset cursor: only neighbours with a greater id ("" for the first page); $limit INTEGER; $asOf DATE or null; $late LIST<STRING> (see read-late-sources); $keysetMin INTEGER -- the degree from which the root is paged by read-neighbors-keyset instead
// returns: root (the node; no row when it does not exist) and dense (its degree, over every type, is $keysetMin or more: then this query reads none of its relationships, one row with m null, and the caller pages it by read-neighbors-keyset); then per neighbour in id order, at most $limit + 1 of them: m (the neighbour, null when none) and rs (the root's relationships with it that pass the filters)
// text: __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/core/asof.go.
// The first hop reads every relationship of the root once (a top-k sort keeps
// only $limit + 1 neighbours in memory), then re-reads just the kept ones.
// The degree is read from the root's relationship groups (GetDegree, no
// relationship read), so a sparse root costs one round trip.
MATCH (root:Entity {id: $id})
WITH root, COUNT { (root)--() } >= $keysetMin AS dense
OPTIONAL CALL (root, dense) {
  WITH root WHERE NOT dense
  MATCH (root)-[r]-(m:Entity)
  WHERE type(r) IN $types
    AND m.id > $after
    AND m <> root
    AND (size($labels) = 0 OR any(l IN labels(m) WHERE l IN $labels))
    AND __asof_rel(r)
    AND __asof_node(m)
  WITH DISTINCT m
  ORDER BY m.id
  LIMIT $limit + 1
  MATCH (root)-[r]-(m)
  WHERE type(r) IN $types AND __asof_rel(r)
  RETURN m, collect(r) AS rs
}
RETURN root, dense, m, rs
ORDER BY m.id
