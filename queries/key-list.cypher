// name: key-list
// params: none
// returns: one row per key, oldest first: k (the :ApiKey node)
MATCH (k:ApiKey)
RETURN k
ORDER BY k.created_at, k.id
