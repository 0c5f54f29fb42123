// name: gds-exists
// params: $name STRING
// returns: one row: exists (whether the projection is in the catalog)
RETURN gds.graph.exists($name) AS exists
