// name: export-page-ids
// params: as export-page-entities
// returns: id -- the ids of the exported entities after $after, ordered, one page (the start entities of a page of relationships)
__export_prelude
MATCH (n:Entity)
WHERE n.id > $after AND __export_node(n)
RETURN n.id AS id
ORDER BY id
LIMIT $limit
