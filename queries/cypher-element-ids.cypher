// name: cypher-element-ids
// params: $element_ids LIST<STRING> -- element ids of relationship endpoints in a user's Cypher result
// returns: one row per node found: element_id, id (the entity id; null for nodes that are not entities)
MATCH (n)
WHERE elementId(n) IN $element_ids
RETURN elementId(n) AS element_id, CASE WHEN n:Entity THEN n.id END AS id
