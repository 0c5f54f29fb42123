// name: entity-upsert
// params: $rows LIST<MAP> -- {id, labels: LIST<STRING>, props: MAP (the whole merged property set)}
//         labels come from graph.Labels (an allow-list), never from input text.
// returns: written (rows written), mentions (MENTIONED_IN links ensured)
// Writes only rows the caller found changed; created_at survives (a placeholder
// of entity-lock gets it now), updated_at moves; SET n = drops _new.
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
WITH n, row, coalesce(n.created_at, datetime()) AS created
SET n = row.props
SET n.created_at = created, n.updated_at = datetime()
SET n:$(row.labels)
// Every row is written before any is linked, so an entity may cite a source
// written in the same batch. The index hint keeps the source lookup a seek
// whatever the statistics it is planned with: planned on a nearly empty
// graph (the first batch of a first load), a statement of this shape
// (entity-create's first version) was given a scan per citation.
WITH collect(n) AS written
UNWIND written AS n
CALL (n) {
  UNWIND n.sources AS sid
  MATCH (s:Entity {id: sid})
  USING INDEX SEEK s:Entity(id)
  WHERE s:Source
  MERGE (n)-[:MENTIONED_IN]->(s)
  RETURN count(*) AS mentions
}
RETURN count(n) AS written, sum(mentions) AS mentions
