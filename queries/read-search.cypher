// name: read-search
// params: $lucene STRING -- Lucene query text built by neo4jdb from the user's words (every word escaped); $labels LIST<STRING> -- kind labels from graph.KindLabel (any kind when empty); $hidden LIST<STRING> -- kind labels the caller may not find (the victim label for roles that may not see victims), left out before paging; $skip INTEGER; $limit INTEGER; $asOf DATE or null; $late LIST<STRING> (see read-late-sources)
// returns: one row per hit, best first (ties by id): id, name, labels, score
// text: __asof_node(x) expands to the as_of predicate of graph/neo4jdb/read_asof.go.
CALL db.index.fulltext.queryNodes('entity_names', $lucene) YIELD node, score
WHERE (size($labels) = 0 OR any(l IN labels(node) WHERE l IN $labels))
  AND NOT any(l IN labels(node) WHERE l IN $hidden)
  AND __asof_node(node)
RETURN node.id AS id, node.name AS name, labels(node) AS labels, score
ORDER BY score DESC, id ASC
SKIP $skip
LIMIT $limit
