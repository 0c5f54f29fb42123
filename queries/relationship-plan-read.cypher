// name: relationship-plan-read
// params: $rows LIST<MAP> -- {id, type, from, to, props: MAP}: per distinct id of a batch,
//         what relationship-upsert would store if that id's records were all there is
//         (graph.RelTypes, the whole property set)
// returns: one row: found, a list of {id, from, to, same, r}, one per row: from and
//          to the labels of the ends (null for an end not in the graph); same true
//          when the relationship already holds exactly type and props, value for
//          value and type for type, timestamps aside; r the stored relationship
//          otherwise (null when there is none)
// What the plan of a relationship batch reads, in one statement: the ends'
// kinds (for the endpoint and victim rules) and the stored relationships. A
// relationship that holds what the batch brings comes back as a flag, not as
// its properties: the unchanged-record check of a re-import is made where it
// is read. Each end is sought once per row; reading the kinds first
// (entity-check) and the relationships after sought every end twice, in two
// round trips.
UNWIND $rows AS row
OPTIONAL MATCH (a:Entity {id: row.from})
USING INDEX SEEK a:Entity(id)
OPTIONAL MATCH (b:Entity {id: row.to})
USING INDEX SEEK b:Entity(id)
OPTIONAL MATCH (a)-[r]->(b)
WHERE r.id = row.id
WITH a, b, r, row, [k IN keys(row.props) WHERE row.props[k] IS NOT NULL] AS ks
WITH a, b, r, row,
     r IS NOT NULL
       AND type(r) = row.type
       AND size(keys(r)) = size(ks) + 2
       AND r.created_at IS NOT NULL AND r.updated_at IS NOT NULL
       AND all(k IN ks WHERE r[k] = row.props[k] AND valueType(r[k]) = valueType(row.props[k])) AS same
RETURN collect({id: row.id, from: labels(a), to: labels(b), same: same,
                r: CASE WHEN same THEN null ELSE r END}) AS found
