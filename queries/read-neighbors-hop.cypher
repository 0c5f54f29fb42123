// name: read-neighbors-hop
// params: $ids LIST<STRING> -- the frontier (at most graph.MaxNeighborFrontier ids); $behind LIST<STRING> -- the ids of the hop before (not followed back); $types LIST<STRING> -- relationship types from the allow-list (never empty); $labels LIST<STRING> -- kind labels from graph.KindLabel (any when empty); $fanout INTEGER -- the most relationships followed out of one frontier node; $asOf DATE or null; $late LIST<STRING>
// returns: one row per relationship followed, at most $fanout + 1 per frontier node: f (the frontier node), r, m (the node at r's other end)
// text: __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/core/asof.go.
// The LIMIT inside the subquery stops the expansion of a dense node early, so
// a super-node in the frontier costs at most $fanout + 1 relationship reads.
UNWIND $ids AS fid
MATCH (f:Entity {id: fid})
USING INDEX SEEK f:Entity(id)
CALL (f) {
  MATCH (f)-[r]-(m:Entity)
  WHERE type(r) IN $types
    AND m <> f
    AND NOT m.id IN $behind
    AND (size($labels) = 0 OR any(l IN labels(m) WHERE l IN $labels))
    AND __asof_rel(r)
    AND __asof_node(m)
  RETURN r, m
  LIMIT $fanout + 1
}
RETURN f, r, m
