// name: key-revoke
// params: $id STRING -- key id; $now DATETIME
// returns: one row when the key exists: k (the node; revoked_at kept when it was already revoked)
MATCH (k:ApiKey {id: $id})
SET k.revoked_at = coalesce(k.revoked_at, $now)
RETURN k
