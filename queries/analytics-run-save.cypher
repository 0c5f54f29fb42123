// name: analytics-run-save
// params: $id STRING; $startedAt DATETIME; $finishedAt DATETIME; $nodes INTEGER; $relationships INTEGER; $estimateBytes INTEGER; $written INTEGER; $params STRING (the projection asked for, JSON)
// returns: one row: id
MERGE (r:AnalyticsRun {id: $id})
SET r.started_at = $startedAt, r.finished_at = $finishedAt, r.nodes = $nodes, r.relationships = $relationships,
    r.estimate_bytes = $estimateBytes, r.written = $written, r.params = $params
RETURN r.id AS id
