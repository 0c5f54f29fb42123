// name: redirect-resolve
// params: $ids LIST<STRING> -- ids that may have been merged away
// returns: one row per id with a redirect: id, to (the id it was merged into), merge (the merge id)
UNWIND $ids AS id
MATCH (r:Redirect {id: id})
RETURN id, r.to AS to, r.merge AS merge
