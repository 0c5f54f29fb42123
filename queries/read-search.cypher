// name: read-search
// params: $lucene STRING -- Lucene query text built by neo4jdb from the user's words (normalised by graph/names, every word escaped); $labels LIST<STRING> -- kind labels from graph.KindLabel (any kind when empty); $hidden LIST<STRING> -- kind labels the caller may not find (the victim label for roles that may not see victims), left out before paging; $skip INTEGER; $limit INTEGER -- whole blocks of graph.SearchRankBlock hits, which neo4jdb re-ranks with graph.SearchRelevance; $asOf DATE or null; $late LIST<STRING> (see read-late-sources)
// returns: one row per hit, shortest name or alias first (every query word matches, so a short name is mostly the query: the best candidates for graph.SearchRelevance, which the index's score is not, as prefix matches all score the same), then by the index's score, then id: id, name, aliases, labels, score (the index's score)
// text: __asof_node(x) expands to the as_of predicate of graph/neo4jdb/core/asof.go.
CALL db.index.fulltext.queryNodes('entity_names', $lucene) YIELD node, score
WHERE (size($labels) = 0 OR any(l IN labels(node) WHERE l IN $labels))
  AND NOT any(l IN labels(node) WHERE l IN $hidden)
  AND __asof_node(node)
WITH node, score, reduce(m = size(node.name), a IN coalesce(node.aliases, []) | CASE WHEN size(a) < m THEN size(a) ELSE m END) AS shortest
RETURN node.id AS id, node.name AS name, coalesce(node.aliases, []) AS aliases, labels(node) AS labels, score
ORDER BY shortest ASC, score DESC, id ASC
SKIP $skip
LIMIT $limit
