// name: export-page-entities
// params: $after STRING -- page after this id; $limit INT; $prefix STRING -- id prefix ("" for all); $labels LIST<STRING> -- kind labels, any of ([] for every kind); $asOf DATE|null, $late LIST<STRING> -- as_of (see read_asof.go); $from STRING|null -- the root of a bounded export (the export markers are expanded by graph/neo4jdb/exports/export.go)
// returns: n -- the exported entities after $after, ordered by id, one page
__export_prelude
MATCH (n:Entity)
WHERE n.id > $after AND __export_node(n)
RETURN n
ORDER BY n.id
LIMIT $limit
