// name: export-exported
// params: $ids LIST<STRING> -- entity ids; $labels, $asOf, $late, $from as export-page-entities
// returns: id -- those of $ids that the export selects
__export_prelude
UNWIND $ids AS id
MATCH (n:Entity {id: id})
USING INDEX SEEK n:Entity(id)
WHERE __export_node(n)
RETURN DISTINCT n.id AS id
