// name: export-keys
// params: none
// returns: on ("node" or "edge"), key, types -- every property key of entities and relationships with the value types it holds (valueType names)
MATCH (n:Entity)
UNWIND keys(n) AS key
WITH key, valueType(n[key]) AS t
RETURN "node" AS on, key, collect(DISTINCT t) AS types
UNION ALL
MATCH (:Entity)-[r]->(:Entity)
UNWIND keys(r) AS key
WITH key, valueType(r[key]) AS t
RETURN "edge" AS on, key, collect(DISTINCT t) AS types
