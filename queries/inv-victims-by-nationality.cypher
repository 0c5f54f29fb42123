// name: inv-victims-by-nationality
// params: $nationality STRING or null -- ISO alpha-2; $compound STRING or null -- compound id;
//         $asOf DATE or null; $late LIST<STRING> (see read-late-sources)
// returns: one row per (nationality, compound, relation): nationality ('' when unknown),
//          compound_id, compound_name (null for victims tied to no compound), relation
//          ('HELD_AT', 'RELEASED_FROM', 'RECRUITED_TO', or '' for none), people (a cohort counts
//          its count, an individual 1, a cohort without a count 0), cohorts (victim nodes),
//          uncounted (cohorts without a count); ordered by nationality, compound name, relation.
// text: __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/core/asof.go.
// A victim tied to a compound in several ways appears once per relation; a
// victim with no visible tie to a compound appears with compound null (left out
// when $compound is set).
CALL () {
  // By compound: start from it (unique index on Entity.id).
  MATCH (c:Entity {id: $compound})<-[r:HELD_AT|RELEASED_FROM|RECRUITED_TO]-(v:Victim)
  WHERE c:Compound
    AND ($nationality IS NULL OR v.nationality = $nationality)
    AND __asof_node(c)
    AND __asof_rel(r)
    AND __asof_node(v)
  RETURN v, c, type(r) AS relation
  UNION
  // Otherwise every victim, or those of one nationality (index victim_nationality).
  CALL () {
    MATCH (v:Victim)
    WHERE v.nationality = $nationality AND $compound IS NULL
    RETURN v
    UNION
    // (the UNWIND of an empty list keeps the label scan from running at all
    // when a filter is set; a WHERE on parameters alone runs after the scan)
    UNWIND CASE WHEN $nationality IS NULL AND $compound IS NULL THEN [true] ELSE [] END AS unfiltered
    MATCH (v:Victim)
    RETURN v
  }
  WITH v
  WHERE __asof_node(v)
  OPTIONAL MATCH (v)-[r:HELD_AT|RELEASED_FROM|RECRUITED_TO]->(c:Compound)
  WHERE __asof_rel(r)
    AND __asof_node(c)
  RETURN v, c, CASE WHEN r IS NULL THEN '' ELSE type(r) END AS relation
}
WITH coalesce(v.nationality, '') AS nationality, c, relation,
     sum(CASE WHEN v.cohort = true THEN coalesce(v.count, 0) ELSE 1 END) AS people,
     count(v) AS cohorts,
     sum(CASE WHEN v.cohort = true AND v.count IS NULL THEN 1 ELSE 0 END) AS uncounted
RETURN nationality, c.id AS compound_id, c.name AS compound_name, relation, people, cohorts, uncounted
ORDER BY nationality, compound_name, compound_id, relation
