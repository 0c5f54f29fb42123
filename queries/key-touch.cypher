// name: key-touch
// params: $id STRING -- key id; $now DATETIME; $before DATETIME -- only update a last_used_at older than this
// returns: touched, the number of keys updated (0 or 1)
MATCH (k:ApiKey {id: $id})
WHERE k.last_used_at IS NULL OR k.last_used_at < $before
SET k.last_used_at = $now
RETURN count(k) AS touched
