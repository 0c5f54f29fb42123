// name: gds-louvain-mutate
// params: $name STRING -- the projection; $concurrency INTEGER (1..4)
// returns: one row: nodes (how many got a community)
// Louvain, weighted by the ties' evidence grades (gds-project's weight),
// into the projection (property community): gds-communities-top reads it.
CALL gds.louvain.mutate($name, {concurrency: $concurrency, relationshipWeightProperty: 'weight', mutateProperty: 'community'})
YIELD nodePropertiesWritten
RETURN nodePropertiesWritten AS nodes
