// name: resolve-candidates
// params: $lucene STRING -- Lucene query text built by neo4jdb.LuceneQuery from
//         the record's normalised names (every word escaped), names ORed;
//         $limit INTEGER
// returns: n -- stored entities (sources excepted) whose names or aliases
//          match, best first: the blocking step of import --resolve
CALL db.index.fulltext.queryNodes('entity_names', $lucene) YIELD node, score
WHERE NOT node:Source
RETURN node AS n
ORDER BY score DESC, node.id ASC
LIMIT $limit
