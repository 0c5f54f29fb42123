// name: redirect-all
// params: none
// returns: one row per redirect: id (merged away), to (merged into)
MATCH (r:Redirect)
RETURN r.id AS id, r.to AS to
