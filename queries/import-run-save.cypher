// name: import-run-save
// params: $id STRING, $props MAP -- the run's fields (file, checksum, counts, timestamps, status)
// returns: id
MERGE (r:ImportRun {id: $id})
SET r += $props
RETURN r.id AS id
