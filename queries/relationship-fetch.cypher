// name: relationship-fetch
// params: $rows LIST<MAP> -- {id, from, to}
// returns: one row per relationship that exists: id, type, r (its properties)
UNWIND $rows AS row
MATCH (:Entity {id: row.from})-[r]->(:Entity {id: row.to})
WHERE r.id = row.id
RETURN row.id AS id, type(r) AS type, r
