// name: export-entities
// params: $prefix STRING -- id prefix ("" for every entity); $after STRING -- page after this id; $limit INT
// returns: n -- entities ordered by id, one page
MATCH (n:Entity)
WHERE n.id STARTS WITH $prefix AND n.id > $after
RETURN n
ORDER BY n.id
LIMIT $limit
