// name: bench-delete-all
// params: none
// returns: deleted -- nodes deleted. Benchmarks only: empties the database (schema kept) between runs.
MATCH (n)
CALL (n) {
  DETACH DELETE n
} IN TRANSACTIONS OF 1000 ROWS
RETURN count(*) AS deleted
