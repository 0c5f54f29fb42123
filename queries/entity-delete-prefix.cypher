// name: entity-delete-prefix
// params: $prefix STRING -- an id prefix such as "t3f9a1c2e:"; never empty
// returns: deleted -- the number of entities deleted (with their relationships), in batches
MATCH (n:Entity)
WHERE n.id STARTS WITH $prefix
CALL (n) {
  DETACH DELETE n
} IN TRANSACTIONS OF 1000 ROWS
RETURN count(*) AS deleted
