// name: entity-fetch-changed
// params: $rows LIST<MAP> -- {id, labels: LIST<STRING>, props: MAP}: per distinct id of a batch,
//         what entity-upsert would store if that id's records were all there is (graph.Labels, the whole property set)
// returns: one row: found, a list of {id, n} per id that exists, n the node, or
//          null when it already holds exactly labels and props, value for value and
//          type for type, timestamps aside
// One row for the batch, not one per id: a batch is one Bolt record to read.
// The unchanged-record check of a re-import, in the statement that reads: a
// node that already holds what the batch brings comes back as a flag, not as
// its properties, and nothing is converted or merged for it.
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
USING INDEX SEEK n:Entity(id)
WITH n, row, [k IN keys(row.props) WHERE row.props[k] IS NOT NULL] AS ks
WITH n, row,
     size(keys(n)) = size(ks) + 2
       AND n.created_at IS NOT NULL AND n.updated_at IS NOT NULL
       AND all(k IN ks WHERE n[k] = row.props[k] AND valueType(n[k]) = valueType(row.props[k]))
       AND size(labels(n)) = size(row.labels)
       AND all(l IN row.labels WHERE l IN labels(n)) AS same
RETURN collect({id: row.id, n: CASE WHEN same THEN null ELSE n END}) AS found
