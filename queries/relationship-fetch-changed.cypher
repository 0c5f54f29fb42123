// name: relationship-fetch-changed
// params: $rows LIST<MAP> -- {id, type, from, to, props: MAP}: per distinct id of a batch,
//         what relationship-upsert would store if that id's records were all there is
//         (graph.RelTypes, the whole property set)
// returns: one row: found, a list of {id, r} per relationship that exists, r
//          the relationship, or null when it already holds exactly type and props,
//          value for value and type for type, timestamps aside
// One row for the batch, not one per id: a batch is one Bolt record to read.
// The unchanged-record check of a re-import, in the statement that reads (as
// entity-fetch-changed for entities): a relationship that already holds what
// the batch brings comes back as a flag, not as its properties.
UNWIND $rows AS row
MATCH (:Entity {id: row.from})-[r]->(:Entity {id: row.to})
WHERE r.id = row.id
WITH r, row, [k IN keys(row.props) WHERE row.props[k] IS NOT NULL] AS ks
WITH r, row,
     type(r) = row.type
       AND size(keys(r)) = size(ks) + 2
       AND r.created_at IS NOT NULL AND r.updated_at IS NOT NULL
       AND all(k IN ks WHERE r[k] = row.props[k] AND valueType(r[k]) = valueType(row.props[k])) AS same
RETURN collect({id: row.id, r: CASE WHEN same THEN null ELSE r END}) AS found
