// name: entity-upsert
// params: $rows LIST<MAP> -- {id, labels: LIST<STRING>, props: MAP (the whole merged property set)}
//         labels come from graph.Labels (an allow-list), never from input text.
// returns: written (rows written), mentions (MENTIONED_IN links ensured)
// Writes only rows the caller found changed; created_at survives, updated_at moves.
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
  ON CREATE SET n.created_at = datetime()
WITH n, row, n.created_at AS created
SET n = row.props
SET n.created_at = created, n.updated_at = datetime()
SET n:$(row.labels)
WITH n
CALL (n) {
  UNWIND n.sources AS sid
  MATCH (s:Source {id: sid})
  MERGE (n)-[:MENTIONED_IN]->(s)
  RETURN count(*) AS mentions
}
RETURN count(n) AS written, sum(mentions) AS mentions
