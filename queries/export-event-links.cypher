// name: export-event-links
// params: $ids LIST<STRING> -- event ids of one page; $labels, $asOf, $late, $from as export-page-entities
// returns: event, from, fromName, fromLabels, r -- the SUBJECT_OF, CONDUCTED and PARTICIPATED_IN relationships into those events from exported entities
__export_prelude
UNWIND $ids AS id
MATCH (n:Entity)-[r:SUBJECT_OF|CONDUCTED|PARTICIPATED_IN]->(e:Event {id: id})
WHERE __export_node(n) AND __asof_rel(r)
RETURN e.id AS event, n.id AS from, n.name AS fromName, labels(n) AS fromLabels, r
ORDER BY event, from, type(r), r.id
