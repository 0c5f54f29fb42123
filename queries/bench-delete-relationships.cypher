// name: bench-delete-relationships
// params: none
// returns: deleted -- relationships deleted. Benchmarks only: runs before
// bench-delete-all, in batches, so a super-node's thousands of relationships
// never land in one transaction (DETACH DELETE of a 1M-entity graph's hubs
// overflowed the transaction memory cap).
MATCH ()-[r]->()
CALL (r) {
  DELETE r
} IN TRANSACTIONS OF 10000 ROWS
RETURN count(*) AS deleted
