// name: inv-entity-check
// params: $id STRING -- entity id; $asOf DATE or null; $late LIST<STRING> (see read-late-sources)
// returns: labels (LIST<STRING>), visible (BOOLEAN: the entity itself is visible as of $asOf) and
//          degree (INTEGER: its relationships of every type, from the node's degree store, whatever
//          as_of says: an upper bound), or no row for an unknown id
// text: __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/core/asof.go.
// Shared by the investigative queries to tell not-found from wrong-kind from
// not-yet-known before the main query runs.
MATCH (n:Entity {id: $id})
RETURN labels(n) AS labels,
       coalesce(__asof_node(n), false) AS visible,
       COUNT { (n)--() } AS degree
