// name: inv-prosecuted-compound-links
// params: $types LIST<STRING> -- graph.ProsecutionEventTypes(); $person STRING or null -- focus person id;
//         $minRank INTEGER (0: any evidence); $asOf DATE or null; $late LIST<STRING> (see read-late-sources); $limit INTEGER;
//         $untraversed LIST<STRING> -- types never followed: MENTIONED_IN and graph.HintRelTypes() (POSSIBLY_SAME_AS)
// returns: one row per (person, compound): person (node), events (LIST<NODE>: the person's
//          prosecution events, on the person's first row only; null on the others),
//          compound (node), path (PATH from person to compound),
//          basis ('network' or 'charged_together'); ordered by path length, person name,
//          compound name.
// text: __max_hops is replaced by the validated hop limit 1..graph.MaxPathHops (a quantifier cannot be a parameter),
//       __inner_hops by max(__max_hops - 1, 1) (the hops before the last; the branch using it runs only from 2 hops);
//       __compound_types by the relationship types that join a compound now (read by inv-compound-rel-types,
//       checked against graph.RelTypes(), never input), as T1|T2|...; __last_hop_rank is __hop_rank for rl;
//       __person_seek is empty for every person and, for one ($person set), a seek of that
//       person by id (graph/neo4jdb/investigate.go): the events are then read from its
//       relationships, not by joining every person;
//       __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/read_asof.go;
//       __hop_rank is, when $minRank > 0, the evidence test of a hop (AND coalesce(r.evidence_rank, 0) >= $minRank)
//       and empty at $minRank 0, which every relationship passes (ranks are 1..6, none 0): reading each
//       hop's rank was a quarter of a tycoon's 3-hop search at 1M (24.9k db hits to 18.2k).
// cost: the search finds every compound within reach and its shortest paths (a tycoon at 1M: 365
//       compounds, 465 paths at 3 hops); the pairs are ranked by length and names first and only the
//       $limit kept are tie-broken over their paths (strength, relationship ids), not all of them.
// Semantics (docs/queries.md): a 'network' path runs over any relationship but
// MENTIONED_IN and never passes through an Event, Location or Source node (events
// and places are hubs, not ties); a 'charged_together' path is
// person -SUBJECT_OF-> prosecution event <-SUBJECT_OF- compound (the compound is
// named in the same charge). Co-defendants are not a link. Each pair keeps its
// shortest path; at equal length network beats charged_together, then the
// strongest weakest hop wins.
__person_seek
MATCH (ev:Event)<-[s:SUBJECT_OF]-(p:Person)
WHERE ev.event_type IN $types
  AND ($person IS NULL OR p.id = $person)
  AND __asof_node(ev)
  AND __asof_rel(s)
  AND __asof_node(p)
WITH p, collect(DISTINCT ev) AS events
CALL (p, events) {
  // Every hop but the last, then the last over the types that join a
  // compound (__compound_types): the same paths as a search of
  // {1,__max_hops} hops ending at a compound, without expanding the other
  // types of the nodes one hop short of the bound.
  WITH p WHERE __max_hops >= 2
  MATCH path = ALL SHORTEST (p)(()-[r]-(n)
      WHERE NOT type(r) IN $untraversed
        __hop_rank
        AND NOT n:Event AND NOT n:Location AND NOT n:Source
        AND __asof_rel(r)
        AND __asof_node(n)
    ){0,__inner_hops}()-[rl:__compound_types WHERE __asof_rel(rl) __last_hop_rank]-(c:Compound
      WHERE NOT c:Event AND NOT c:Location AND NOT c:Source AND __asof_node(c))
  RETURN c, path, 'network' AS basis
  UNION ALL
  // At one hop the search is the person's own relationships to compounds.
  WITH p WHERE __max_hops = 1
  MATCH path = (p)-[rl:__compound_types WHERE __asof_rel(rl) __last_hop_rank]-(c:Compound
      WHERE NOT c:Event AND NOT c:Location AND NOT c:Source AND __asof_node(c))
  RETURN c, path, 'network' AS basis
  UNION ALL
  UNWIND events AS ev
  MATCH path = (p)-[s1:SUBJECT_OF]->(ev)<-[s2:SUBJECT_OF]-(c:Compound)
  WHERE 2 <= __max_hops
    AND all(r IN [s1, s2] WHERE coalesce(r.evidence_rank, 0) >= $minRank
        AND __asof_rel(r))
    AND __asof_node(c)
  RETURN c, path, 'charged_together' AS basis
}
WITH p, events, c, collect({path: path, basis: basis}) AS cands, min(length(path)) AS len
ORDER BY len, p.name, c.name, p.id, c.id
LIMIT $limit
CALL (cands, len) {
  UNWIND cands AS x
  WITH x WHERE length(x.path) = len
  WITH x, reduce(m = 6, r IN relationships(x.path) | CASE WHEN coalesce(r.evidence_rank, 0) < m THEN coalesce(r.evidence_rank, 0) ELSE m END) AS strength
  ORDER BY x.basis DESC, strength DESC, [r IN relationships(x.path) | r.id]
  RETURN x AS best
  LIMIT 1
}
WITH p, events, c, best
ORDER BY length(best.path), p.name, c.name, p.id, c.id
// A person's events go out once, on their first row (a tycoon with 50
// charges has 25 links: 1,250 event nodes sent for 50).
WITH collect({p: p, events: events, c: c, best: best}) AS rows
UNWIND range(0, size(rows) - 1) AS i
WITH rows, i, rows[i] AS row
RETURN row.p AS person,
       CASE WHEN any(j IN range(0, i - 1) WHERE rows[j].p = row.p) THEN null ELSE row.events END AS events,
       row.c AS compound, row.best.path AS path, row.best.basis AS basis
ORDER BY i
