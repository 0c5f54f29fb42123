// name: read-paths-all
// params: $from STRING, $to STRING -- entity ids; $maxDegree INTEGER -- nodes with more relationships are not passed through (hubs); $types LIST<STRING> -- relationship types from the allow-list (never empty); $minRank INTEGER -- least evidence_rank (0 for any); $limit INTEGER; $asOf DATE or null; $late LIST<STRING>
// returns: from_found, to_found (whether the endpoints exist); p (a simple path; null when none), at most $limit + 1 rows, shortest first
// text: __max_hops and __k (= limit + 1) are replaced by validated integers (neither can be a parameter);
//       __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/core/asof.go.
// SHORTEST k finds the k shortest walks without enumerating every path up to
// __max_hops; the inline WHERE (over the group variable x, the nodes after a)
// keeps simple paths (no node twice) before the selection. Looking for k
// paths around a hub (a country with 100k LOCATED_IN) explores the hub's
// whole neighbourhood at every hop, so intermediate nodes above $maxDegree
// relationships are skipped (the degree is read from the store, O(1)).
OPTIONAL MATCH (a:Entity {id: $from})
OPTIONAL MATCH (b:Entity {id: $to})
OPTIONAL CALL (a, b) {
  MATCH p = SHORTEST __k ((a)(()-[r]-(x:Entity)
      WHERE type(r) IN $types
        AND coalesce(r.evidence_rank, 0) >= $minRank
        AND __asof_rel(r)
        AND __asof_node(x)
        AND (x = b OR COUNT { (x)--() } <= $maxDegree)){1,__max_hops}(b)
    WHERE NOT a IN x AND all(i IN range(0, size(x) - 2) WHERE NOT x[i] IN x[i + 1..]))
  RETURN p
}
RETURN a IS NOT NULL AS from_found, b IS NOT NULL AS to_found, p
