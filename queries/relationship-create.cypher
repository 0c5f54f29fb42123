// name: relationship-create
// params: $rows LIST<MAP> -- {id, type, from, to, props: MAP}: per distinct id of a batch,
//         what relationship-upsert would store if that id's records were all there is
//         (graph.RelTypes, an allow-list; the whole property set), in the order of their
//         start nodes; both ends of every row are write-locked by this transaction
//         (relationship-lock)
// returns: one row: written (relationships created), existing (per id already
//          stored between its ends, of any type: {id, r}, left as it was)
// The first-load write of a relationship batch. Every writer of a
// relationship locks both its ends first, so under those locks a
// relationship this statement does not find between its ends cannot appear:
// it is created, not merged. The ones found come back for the caller to plan
// and write (relationship-upsert).
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
USING INDEX SEEK a:Entity(id)
MATCH (b:Entity {id: row.to})
USING INDEX SEEK b:Entity(id)
OPTIONAL MATCH (a)-[old]->(b)
WHERE old.id = row.id
CALL (a, b, row, old) {
  WITH a, b, row WHERE old IS NULL
  CREATE (a)-[r:$(row.type)]->(b)
  SET r = row.props, r.created_at = datetime(), r.updated_at = datetime()
  RETURN count(r) AS made
}
RETURN sum(made) AS written,
       collect(CASE WHEN old IS NOT NULL THEN {id: row.id, r: old} END) AS existing
