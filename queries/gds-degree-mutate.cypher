// name: gds-degree-mutate
// params: $name STRING -- the projection; $concurrency INTEGER (1..4)
// returns: one row: nodes (how many got a degree)
// Each node's ties in the projection, into the projection (property degree).
CALL gds.degree.mutate($name, {concurrency: $concurrency, mutateProperty: 'degree'})
YIELD nodePropertiesWritten
RETURN nodePropertiesWritten AS nodes
