// name: export-property-links
// params: $ids LIST<STRING> -- entity ids of one page; $prefix, $labels, $asOf, $late, $from as export-page-entities
// returns: from, fromLabels, to, toLabels, toSchema, r -- the relationships from those entities that a record property made (r.ftm_property set), to exported entities
__export_prelude
UNWIND $ids AS id
MATCH (a:Entity {id: id})-[r:LOCATED_IN]->(n:Entity)
USING INDEX SEEK a:Entity(id)
WHERE r.ftm_property IS NOT NULL AND __export_node(n) AND __asof_rel(r)
RETURN a.id AS from, labels(a) AS fromLabels, n.id AS to, labels(n) AS toLabels, n.ftm_schema AS toSchema, r
ORDER BY from, to, r.id
