// name: key-delete-name-prefix
// params: $prefix STRING -- at least 3 characters; tests name their keys with their id prefix
// returns: deleted, the number of keys deleted
MATCH (k:ApiKey)
WHERE k.name STARTS WITH $prefix
WITH collect(k) AS keys
FOREACH (k IN keys | DETACH DELETE k)
RETURN size(keys) AS deleted
