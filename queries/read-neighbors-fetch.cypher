// name: read-neighbors-fetch
// params: $mids LIST<STRING> -- entity ids (at most graph.MaxNeighborLimit + 1); $rids LIST<STRING> -- relationship element ids read by read-neighbors-last-hop in this request
// returns: one row: nodes (LIST<NODE>: the entities of $mids that exist), rels (LIST<MAP>: {r, from, to} for each relationship of $rids that still exists, from and to its endpoints' ids)
// The nodes and relationships of a neighbourhood page's last hop
// (read-neighbors-last-hop says why): index seeks by id, and seeks by element id.
CALL () {
  UNWIND $mids AS id
  MATCH (m:Entity {id: id})
  USING INDEX SEEK m:Entity(id)
  RETURN collect(m) AS nodes
}
CALL () {
  UNWIND $rids AS rid
  MATCH ()-[r]->()
  WHERE elementId(r) = rid
  RETURN collect({r: r, from: startNode(r).id, to: endNode(r).id}) AS rels
}
RETURN nodes, rels
