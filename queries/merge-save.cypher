// name: merge-save
// params: $id STRING, $props MAP (the record's properties), $keep STRING,
//         $merged LIST<STRING>, $fingerprint STRING
// returns: id
// Records the merge and leaves a :Redirect from each merged id to the kept one.
CREATE (m:Merge {id: $id})
SET m = $props, m.id = $id, m.fingerprint = $fingerprint
WITH m
UNWIND $merged AS old
MERGE (r:Redirect {id: old})
SET r.to = $keep, r.merge = $id
RETURN DISTINCT m.id AS id
