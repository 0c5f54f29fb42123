// name: analytics-clear
// params: none
// returns: no rows; removes the last analytics run's properties from every entity, in batches of 10000
// Run as an implicit (auto-commit) transaction: CALL IN TRANSACTIONS needs one.
MATCH (n:Entity)
WHERE n.analytics_run_id IS NOT NULL
CALL (n) {
  REMOVE n.analytics_pagerank, n.analytics_degree, n.analytics_betweenness, n.analytics_community,
         n.analytics_run_id, n.analytics_run_at
} IN TRANSACTIONS OF 10000 ROWS
