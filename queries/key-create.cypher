// name: key-create
// params: $id STRING; $name STRING; $role STRING; $hash STRING -- hex SHA-256 of the plaintext; $prefix STRING -- first characters of the plaintext; $created_at DATETIME
// returns: k (the new :ApiKey node)
CREATE (k:ApiKey {id: $id, name: $name, role: $role, hash: $hash, prefix: $prefix, created_at: $created_at})
RETURN k
