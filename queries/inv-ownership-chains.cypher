// name: inv-ownership-chains
// params: $id STRING -- the owned entity; $minRank INTEGER (0: any evidence); $asOf DATE or null; $late LIST<STRING> (see read-late-sources);
//         $limit INTEGER
// returns: one row per chain: owner (node: the ultimate owner), path (PATH from the ultimate
//          owner down to $id, every hop OWNS|CONTROLS|DIRECTS|OPERATES pointing towards $id);
//          ordered by chain length, owner name.
// text: __max_hops is replaced by the validated hop limit 1..graph.MaxPathHops (a quantifier cannot be a parameter);
//       __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/core/asof.go.
// An ultimate owner is an owner that no visible relationship of these types (at
// least $minRank strong) points to. Chains never visit a node twice.
MATCH (e:Entity {id: $id})
MATCH path = (owner:Entity)(()-[r:OWNS|CONTROLS|DIRECTS|OPERATES]->(n)
    WHERE coalesce(r.evidence_rank, 0) >= $minRank
      AND __asof_rel(r)
      AND __asof_node(n)
  ){1,__max_hops}(e)
WHERE __asof_node(owner)
  AND all(i IN range(0, length(path) - 1) WHERE NOT nodes(path)[i] IN nodes(path)[i + 1..])
  AND NOT EXISTS {
    MATCH (up:Entity)-[q:OWNS|CONTROLS|DIRECTS|OPERATES]->(owner)
    WHERE coalesce(q.evidence_rank, 0) >= $minRank
      AND __asof_rel(q)
      AND __asof_node(up)
  }
RETURN owner, path
ORDER BY length(path), owner.name, owner.id, [r IN relationships(path) | r.id]
LIMIT $limit
