// Schema, part 5: the ends of every typed relationship (graph.RelTypes; not
// MENTIONED_IN), as the properties _from_id and _to_id (queries.RelFromKey,
// queries.RelToKey), in two composite range indexes per type: (from, to)
// serves a node's outgoing neighbours in id order, (to, from) its incoming
// ones, each a keyset seek (read-neighbors: "_from_id = $id AND _to_id >
// $after ORDER BY _to_id LIMIT n" reads n index entries, whatever the
// node's degree). TestSchemaRelEndsCoversRelTypes holds this list to
// graph.RelTypes.
CREATE INDEX rel_out_owns IF NOT EXISTS FOR ()-[r:OWNS]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_owns IF NOT EXISTS FOR ()-[r:OWNS]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_controls IF NOT EXISTS FOR ()-[r:CONTROLS]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_controls IF NOT EXISTS FOR ()-[r:CONTROLS]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_directs IF NOT EXISTS FOR ()-[r:DIRECTS]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_directs IF NOT EXISTS FOR ()-[r:DIRECTS]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_operates IF NOT EXISTS FOR ()-[r:OPERATES]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_operates IF NOT EXISTS FOR ()-[r:OPERATES]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_holds_office IF NOT EXISTS FOR ()-[r:HOLDS_OFFICE]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_holds_office IF NOT EXISTS FOR ()-[r:HOLDS_OFFICE]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_advises IF NOT EXISTS FOR ()-[r:ADVISES]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_advises IF NOT EXISTS FOR ()-[r:ADVISES]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_protects IF NOT EXISTS FOR ()-[r:PROTECTS]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_protects IF NOT EXISTS FOR ()-[r:PROTECTS]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_family_of IF NOT EXISTS FOR ()-[r:FAMILY_OF]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_family_of IF NOT EXISTS FOR ()-[r:FAMILY_OF]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_associate_of IF NOT EXISTS FOR ()-[r:ASSOCIATE_OF]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_associate_of IF NOT EXISTS FOR ()-[r:ASSOCIATE_OF]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_recruited_to IF NOT EXISTS FOR ()-[r:RECRUITED_TO]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_recruited_to IF NOT EXISTS FOR ()-[r:RECRUITED_TO]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_held_at IF NOT EXISTS FOR ()-[r:HELD_AT]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_held_at IF NOT EXISTS FOR ()-[r:HELD_AT]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_released_from IF NOT EXISTS FOR ()-[r:RELEASED_FROM]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_released_from IF NOT EXISTS FOR ()-[r:RELEASED_FROM]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_subject_of IF NOT EXISTS FOR ()-[r:SUBJECT_OF]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_subject_of IF NOT EXISTS FOR ()-[r:SUBJECT_OF]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_conducted IF NOT EXISTS FOR ()-[r:CONDUCTED]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_conducted IF NOT EXISTS FOR ()-[r:CONDUCTED]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_participated_in IF NOT EXISTS FOR ()-[r:PARTICIPATED_IN]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_participated_in IF NOT EXISTS FOR ()-[r:PARTICIPATED_IN]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_located_in IF NOT EXISTS FOR ()-[r:LOCATED_IN]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_located_in IF NOT EXISTS FOR ()-[r:LOCATED_IN]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_part_of IF NOT EXISTS FOR ()-[r:PART_OF]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_part_of IF NOT EXISTS FOR ()-[r:PART_OF]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_represents IF NOT EXISTS FOR ()-[r:REPRESENTS]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_represents IF NOT EXISTS FOR ()-[r:REPRESENTS]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_assisted_by IF NOT EXISTS FOR ()-[r:ASSISTED_BY]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_assisted_by IF NOT EXISTS FOR ()-[r:ASSISTED_BY]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_linked_to IF NOT EXISTS FOR ()-[r:LINKED_TO]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_linked_to IF NOT EXISTS FOR ()-[r:LINKED_TO]-() ON (r._to_id, r._from_id);
CREATE INDEX rel_out_possibly_same_as IF NOT EXISTS FOR ()-[r:POSSIBLY_SAME_AS]-() ON (r._from_id, r._to_id);
CREATE INDEX rel_in_possibly_same_as IF NOT EXISTS FOR ()-[r:POSSIBLY_SAME_AS]-() ON (r._to_id, r._from_id);
// Migration of a store written before this step: the relationships
// without their ends get them, 1,000 start nodes at a time in id order (a seek of
// the entity_id constraint's index), one
// transaction each (core.applySchemaStatement runs a statement with $after
// again from the last id it returns, until that is null), then a
// :SchemaStep marks the step done so later starts skip the walk.
// Idempotent: a run cut short resumes.
OPTIONAL MATCH (done:SchemaStep {name: '005-relationship-ends'})
WITH done WHERE done IS NULL
MATCH (a:Entity) USING INDEX a:Entity(id)
WHERE a.id > $after
WITH a ORDER BY a.id LIMIT 1000
CALL (a) {
  MATCH (a)-[r]->(b:Entity)
  WHERE r._from_id IS NULL AND type(r) <> 'MENTIONED_IN'
  SET r._from_id = a.id, r._to_id = b.id
}
RETURN max(a.id) AS last;
MERGE (:SchemaStep {name: '005-relationship-ends'});
