// name: inv-timeline
// params: $id STRING -- any entity (checked by inv-entity-check first); $asOf DATE or null; $late LIST<STRING> (see read-late-sources)
// returns: one row per item: what ('event', 'relationship_start', 'relationship_end'),
//          date (DATE), event (node or null), rel (relationship or null), from, to (the
//          relationship's endpoint ids, or null), other (node at the relationship's other
//          end, or null); ordered by date, then what, then ids.
// text: __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/core/asof.go.
// Items: every event the entity is SUBJECT_OF, CONDUCTED or PARTICIPATED_IN (with
// that relationship); an event's own date; and the since/until of the entity's
// other relationships (MENTIONED_IN never counts; SUBJECT_OF, CONDUCTED and
// PARTICIPATED_IN are already the event items).
MATCH (e:Entity {id: $id})
CALL (e) {
  MATCH (e)-[r:SUBJECT_OF|CONDUCTED|PARTICIPATED_IN]->(ev:Event)
  WHERE ev.date IS NOT NULL
    AND __asof_rel(r)
    AND __asof_node(ev)
  RETURN 'event' AS what, ev.date AS date, ev AS event, r AS rel, e.id AS from, ev.id AS to, null AS other
  UNION ALL
  WITH e
  WHERE e:Event AND e.date IS NOT NULL
  RETURN 'event' AS what, e.date AS date, e AS event, null AS rel, null AS from, null AS to, null AS other
  UNION ALL
  MATCH (e)-[r]-(o:Entity)
  WHERE NOT type(r) IN ['MENTIONED_IN', 'SUBJECT_OF', 'CONDUCTED', 'PARTICIPATED_IN']
    AND (r.since IS NOT NULL OR r.until IS NOT NULL)
    AND __asof_rel(r)
    AND __asof_node(o)
  UNWIND [item IN [['relationship_start', r.since], ['relationship_end', r.until]] WHERE item[1] IS NOT NULL] AS item
  RETURN item[0] AS what, item[1] AS date, null AS event, r AS rel, startNode(r).id AS from, endNode(r).id AS to, o AS other
}
RETURN what, date, event, rel, from, to, other
ORDER BY date, what, coalesce(event.id, ''), coalesce(rel.id, '')
