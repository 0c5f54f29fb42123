// name: match-candidates
// params: $rows LIST<MAP> -- {key: STRING (the record's id, "" when it is not stored), lucene: STRING (built by neo4jdb from the record's normalised names), labels: LIST<STRING> (kind labels from graph.CompatibleLabels; any when empty)}; $per INTEGER -- full-text hits per record; $hidden LIST<STRING> -- kind labels the caller may not see; $ordered BOOLEAN -- only candidates whose id is greater than the key (each pair once, for the whole-graph scan)
// returns: one row per (record, candidate): key, node (the candidate), score (the index's), shared (up to 5 names of entities other than sources linked to both), nshared (how many)
// Pairs with a (:Judgement {verdict: "not_same", a, b}) node (a < b) are left out (docs/matching.md).
UNWIND $rows AS row
CALL (row) {
  CALL db.index.fulltext.queryNodes('entity_names', row.lucene, {limit: $per}) YIELD node, score
  WHERE node.id <> row.key
    AND (NOT $ordered OR node.id > row.key)
    AND (size(row.labels) = 0 OR any(l IN labels(node) WHERE l IN row.labels))
    AND NOT any(l IN labels(node) WHERE l IN $hidden)
  WITH node, score, CASE WHEN row.key < node.id THEN [row.key, node.id] ELSE [node.id, row.key] END AS pair
  WHERE NOT EXISTS { MATCH (j:Judgement {a: pair[0], b: pair[1]}) WHERE j.verdict = 'not_same' }
  OPTIONAL MATCH (self:Entity {id: row.key})
  USING INDEX SEEK self:Entity(id)
  WITH node, score, self
  CALL (self, node) {
    OPTIONAL MATCH (self)--(m:Entity)
    WHERE self IS NOT NULL AND NOT m:Source AND m <> node AND EXISTS { (m)--(node) }
    WITH DISTINCT m
    RETURN collect(m.name) AS names
  }
  RETURN node, score, names[0..5] AS shared, size(names) AS nshared
}
RETURN row.key AS key, node, score, shared, nshared
ORDER BY key, score DESC, node.id
