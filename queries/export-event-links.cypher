// name: export-event-links
// params: $ids LIST<STRING> -- entity ids of one page; $prefix, $labels, $asOf, $late, $from as export-page-entities
// returns: event, n, fromLabels, r -- the SUBJECT_OF, CONDUCTED and PARTICIPATED_IN relationships into those events from exported entities (n)
__export_prelude
UNWIND $ids AS id
MATCH (e:Entity {id: id})<-[r:SUBJECT_OF|CONDUCTED|PARTICIPATED_IN]-(n:Entity)
USING INDEX SEEK e:Entity(id)
WHERE e:Event AND __export_node(n) AND __asof_rel(r)
RETURN e.id AS event, n.id AS from, n, labels(n) AS fromLabels, r
ORDER BY event, from, type(r), r.id
