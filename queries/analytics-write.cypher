// name: analytics-write
// params: $rows LIST<MAP> -- {nodeId, pagerank, degree, betweenness, community}, one batch; $run STRING -- the run id; $at DATE -- the day of the run
// returns: one row: written (entities given the scores)
UNWIND $rows AS row
WITH row, gds.util.asNode(row.nodeId) AS n
WHERE n:Entity
SET n.analytics_pagerank = row.pagerank, n.analytics_degree = row.degree,
    n.analytics_betweenness = row.betweenness, n.analytics_community = row.community,
    n.analytics_run_id = $run, n.analytics_run_at = $at
RETURN count(n) AS written
