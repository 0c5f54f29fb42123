// name: gds-wcc-mutate
// params: $name STRING -- the projection; $concurrency INTEGER (1..4)
// returns: one row: nodes (how many got a component)
// Connected components into the projection (property community).
CALL gds.wcc.mutate($name, {concurrency: $concurrency, mutateProperty: 'community'})
YIELD nodePropertiesWritten
RETURN nodePropertiesWritten AS nodes
