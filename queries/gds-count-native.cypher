// name: gds-count-native
// params: $labels LIST<STRING>, $relationships MAP -- the node and relationship projections gds-project-native takes
// returns: one row: nodes, relationships (from Neo4j's counts: at least what the projection will hold, for the memory estimate)
CALL gds.graph.project.estimate($labels, $relationships)
YIELD nodeCount, relationshipCount
RETURN nodeCount AS nodes, relationshipCount AS relationships
