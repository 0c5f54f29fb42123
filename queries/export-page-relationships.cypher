// name: export-page-relationships
// params: $ids LIST<STRING> -- exported start entities (one page of export-page-ids); $labels, $asOf, $late, $from as export-page-entities
// returns: from, fromLabels, fromSchema, to, toLabels, toSchema, r -- every relationship from those entities to an exported entity, visible at $asOf
__export_prelude
UNWIND $ids AS id
MATCH (a:Entity {id: id})-[r]->(n:Entity)
USING INDEX SEEK a:Entity(id)
WHERE __export_node(n) AND __asof_rel(r)
RETURN a.id AS from, labels(a) AS fromLabels, a.ftm_schema AS fromSchema, n.id AS to, labels(n) AS toLabels, n.ftm_schema AS toSchema, r
ORDER BY from, type(r), to, r.id
