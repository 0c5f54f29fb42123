// name: key-authenticate
// params: $hash STRING -- hex SHA-256 of the presented key
// returns: at most one row: k (the :ApiKey node with that hash, revoked or not)
MATCH (k:ApiKey {hash: $hash})
RETURN k
