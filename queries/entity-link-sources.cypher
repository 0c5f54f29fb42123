// name: entity-link-sources
// params: $ids LIST<STRING> -- ids entity-create created in this transaction
// returns: mentions -- MENTIONED_IN links made
// Links each new entity to the sources it cites (each a :Source, written in
// an earlier batch or this one). A node created in this transaction has no
// relationships yet and is write-locked by it, so the links are created,
// not merged.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
USING INDEX SEEK n:Entity(id)
UNWIND n.sources AS sid
MATCH (s:Entity {id: sid})
USING INDEX SEEK s:Entity(id)
WHERE s:Source
CREATE (n)-[:MENTIONED_IN]->(s)
RETURN count(*) AS mentions
