// name: relationship-upsert
// params: $rows LIST<MAP> -- {id, type, from, to, props: MAP (the whole merged property set)}
//         type comes from graph.RelTypes (an allow-list), never from input text.
// returns: written -- rows written; fewer than $rows means an endpoint is missing
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
USING INDEX SEEK a:Entity(id)
MATCH (b:Entity {id: row.to})
USING INDEX SEEK b:Entity(id)
MERGE (a)-[r:$(row.type) {id: row.id}]->(b)
  ON CREATE SET r.created_at = datetime()
WITH r, row, r.created_at AS created
SET r = row.props
SET r.created_at = created, r.updated_at = datetime()
RETURN count(r) AS written
