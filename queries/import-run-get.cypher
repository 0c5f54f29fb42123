// name: import-run-get
// params: $id STRING
// returns: r (the ImportRun node), or no row
MATCH (r:ImportRun {id: $id})
RETURN r
