// name: gds-estimate
// params: $nodes INTEGER, $relationships INTEGER -- the size gds-count found; $concurrency INTEGER
// returns: one row: the most bytes each would need (GDS's estimate over a graph of that size): projection, pagerank, degree, betweenness, louvain, wcc, similarity, articulation, bridges
WITH {nodeCount: $nodes, relationshipCount: $relationships, nodeProjection: '*',
      relationshipProjection: {R: {type: '*', orientation: 'UNDIRECTED'}}} AS g, {concurrency: $concurrency} AS c
CALL gds.graph.project.estimate('*', {R: {type: '*', orientation: 'UNDIRECTED'}}, {nodeCount: $nodes, relationshipCount: $relationships})
  YIELD bytesMax AS projection
CALL gds.pageRank.stream.estimate(g, c) YIELD bytesMax AS pagerank
CALL gds.degree.stream.estimate(g, c) YIELD bytesMax AS degree
CALL gds.betweenness.stream.estimate(g, c) YIELD bytesMax AS betweenness
CALL gds.louvain.stream.estimate(g, c) YIELD bytesMax AS louvain
CALL gds.wcc.stream.estimate(g, c) YIELD bytesMax AS wcc
CALL gds.nodeSimilarity.stream.estimate(g, c) YIELD bytesMax AS similarity
CALL gds.articulationPoints.stream.estimate(g, {}) YIELD bytesMax AS articulation
CALL gds.bridges.stream.estimate(g, {}) YIELD bytesMax AS bridges
RETURN projection, pagerank, degree, betweenness, louvain, wcc, similarity, articulation, bridges
