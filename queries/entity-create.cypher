// name: entity-create
// params: $rows LIST<MAP> -- {id, labels: LIST<STRING>, props: MAP}: per distinct id of a
//         batch, sorted by id (a fixed lock order), what entity-upsert would store if that
//         id's records were all there is; labels come from graph.Labels (an allow-list)
// returns: one row: created (the ids this statement created), existing (the
//          nodes that were already stored, locked and left as they were)
// The first-load write of an entity batch: every id the graph lacks is
// created whole in one statement (no placeholder filled in later), and
// every id it has is write-locked, held to the end of the transaction,
// and returned as stored, for the caller to plan and write under the lock
// (entity-upsert). MERGE on the unique id decides under the index lock
// which of the two an id is, so concurrent imports of one new id create it
// once. The lock property is removed at once and never committed; a
// created node never holds it. The created ones are linked to their
// sources by entity-link-sources.
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
  ON CREATE SET n = row.props, n:$(row.labels), n.created_at = datetime(), n.updated_at = datetime()
  ON MATCH SET n._lock = true
WITH n, n._lock IS NULL AS created
REMOVE n._lock
RETURN collect(CASE WHEN created THEN n.id END) AS created,
       collect(CASE WHEN NOT created THEN n END) AS existing
