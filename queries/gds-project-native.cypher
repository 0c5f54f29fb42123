// name: gds-project-native
// params: $name STRING -- the projection's name, unique to the request; $labels LIST<STRING> -- kind labels (gds-native-present); $relationships MAP -- one entry per relationship type (gds-native-present): {type, orientation: 'UNDIRECTED', aggregation: 'SUM', properties: {weight: {property: 'evidence_rank', defaultValue: 1.0, aggregation: 'SUM'}}}; $concurrency INTEGER (1..4)
// returns: one row: nodes, relationships (as GDS counts them: each tie twice, undirected; parallel relationships of one type once)
// The whole graph of the kinds and types, any evidence, today: a native
// projection, which reads Neo4j's store directly and in parallel, many
// times faster than gds-project's Cypher projection (docs/analytics.md).
// Parallel relationships of one type between two entities are one tie
// whose weight sums their evidence grades, as in gds-project; ties of two
// types between the same two entities stay two.
CALL gds.graph.project($name, $labels, $relationships, {readConcurrency: $concurrency})
YIELD nodeCount, relationshipCount
RETURN nodeCount AS nodes, relationshipCount AS relationships
