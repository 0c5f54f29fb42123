// name: inv-official-links
// params: $official STRING or null -- only this official; $target STRING or null -- only this
//         tycoon or company; $minRank INTEGER (0: any evidence); $asOf DATE or null; $late LIST<STRING> (see read-late-sources); $limit INTEGER;
//         $untraversed LIST<STRING> -- types never followed: MENTIONED_IN and graph.HintRelTypes() (POSSIBLY_SAME_AS)
// returns: one row per (official, target): official (node), target (node: a Tycoon or a
//          Company, never the official itself), path (PATH between them: official first, or
//          target first when $target is set); ordered by
//          path length, official name, target name.
// text: __max_hops is replaced by the validated hop limit 1..graph.MaxPathHops (a quantifier cannot be a parameter);
//       __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/read_asof.go.
// Semantics (docs/queries.md): paths run over any relationship but MENTIONED_IN and the hints (POSSIBLY_SAME_AS)
// and never pass through an Event, Location or Source node; each pair keeps its
// shortest path, the one whose weakest hop is strongest.
CALL () {
  // Focused on a tycoon or a company: one search, outward from it (the path
  // comes back target-first; the Go side turns it round).
  MATCH (t:Entity {id: $target})
  WHERE (t:Tycoon OR t:Company) AND __asof_node(t)
  MATCH path = ALL SHORTEST (t)(()-[r]-(n)
      WHERE NOT type(r) IN $untraversed
        AND coalesce(r.evidence_rank, 0) >= $minRank
        AND NOT n:Event AND NOT n:Location AND NOT n:Source
        AND __asof_rel(r)
        AND __asof_node(n)
    ){1,__max_hops}(o:Official)
  WHERE o <> t
  RETURN o, t, path
  UNION ALL
  // Otherwise one search from the focused official, or from every official.
  CALL () {
    MATCH (o:Entity {id: $official})
    WHERE o:Official
    RETURN o
    UNION
    UNWIND CASE WHEN $official IS NULL AND $target IS NULL THEN [true] ELSE [] END AS unfocused
    MATCH (o:Official)
    RETURN o
  }
  WITH o
  WHERE __asof_node(o)
  MATCH path = ALL SHORTEST (o)(()-[r]-(n)
      WHERE NOT type(r) IN $untraversed
        AND coalesce(r.evidence_rank, 0) >= $minRank
        AND NOT n:Event AND NOT n:Location AND NOT n:Source
        AND __asof_rel(r)
        AND __asof_node(n)
    ){1,__max_hops}(t:Tycoon|Company)
  WHERE t <> o
  RETURN o, t, path
}
WITH o, t, path,
     reduce(m = 6, r IN relationships(path) | CASE WHEN coalesce(r.evidence_rank, 0) < m THEN coalesce(r.evidence_rank, 0) ELSE m END) AS strength
ORDER BY length(path), strength DESC, [r IN relationships(path) | r.id]
WITH o, t, collect(path)[0] AS path
RETURN o AS official, t AS target, path
ORDER BY length(path), o.name, t.name, o.id, t.id
LIMIT $limit
