// name: read-paths-shortest
// params: $from STRING, $to STRING -- entity ids; $maxDegree INTEGER -- nodes with more relationships are not passed through (hubs); $types LIST<STRING> -- relationship types from the allow-list (never empty); $minRank INTEGER -- least evidence_rank (0 for any); $limit INTEGER; $asOf DATE or null; $late LIST<STRING>
// returns: from_found, to_found (whether the endpoints exist); p (a path; null when none), at most $limit + 1 rows, shortest first
// text: __max_hops is replaced by the validated hop limit (a quantifier cannot be a parameter);
//       __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/core/asof.go.
// ALL SHORTEST: every path of the least length; relationship direction ignored.
// As in read-paths-all, intermediate nodes above $maxDegree relationships
// are skipped (degree read from the store, O(1)): at 1M entities a search
// through country and ministry hubs took up to 77 s, with the cut at 1,000
// under 0.1 s (docs/benchmarks.md).
OPTIONAL MATCH (a:Entity {id: $from})
OPTIONAL MATCH (b:Entity {id: $to})
OPTIONAL CALL (a, b) {
  MATCH p = ALL SHORTEST (a)(()-[r]-(x:Entity)
      WHERE type(r) IN $types
        AND coalesce(r.evidence_rank, 0) >= $minRank
        AND __asof_rel(r)
        AND __asof_node(x)
        AND (x = b OR COUNT { (x)--() } <= $maxDegree)){1,__max_hops}(b)
  RETURN p
  LIMIT $limit + 1
}
RETURN a IS NOT NULL AS from_found, b IS NOT NULL AS to_found, p
