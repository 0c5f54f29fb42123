// name: read-neighbors-last-hop
// params: as read-neighbors-hop: $ids LIST<STRING> -- the frontier (at most graph.MaxNeighborFrontier ids); $behind LIST<STRING> -- the ids of the hop before; $types LIST<STRING> -- relationship types from the allow-list (never empty); $labels LIST<STRING> -- kind labels from graph.KindLabel (any when empty); $fanout INTEGER; $asOf DATE or null; $late LIST<STRING>
// returns: one row per frontier node with a relationship followed, as ids only: fid (the frontier node's id), rids (LIST<STRING>: the element ids of the relationships followed, at most $fanout + 1), mids (LIST<STRING>: the ids of the nodes at their other ends, in the same order)
// text: __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/core/asof.go.
// The last hop of a neighbourhood: the same expansion as read-neighbors-hop,
// but no node or relationship is sent, only ids. The store picks from them the
// few nodes the page shows (graph/neo4jdb/read: neighbours in id order, up to
// the limit) and reads just those with read-neighbors-fetch, instead of
// receiving every node of the hop (up to $fanout + 1 per frontier node).
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
RETURN fid, collect(elementId(r)) AS rids, collect(m.id) AS mids
