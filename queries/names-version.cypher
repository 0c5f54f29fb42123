// name: names-version
// params: none
// returns: version -- a string that changes whenever an import run, a merge or
//          an undo may have changed the graph's names (the triage index
//          is rebuilt when it moves)
MATCH (n:Entity)
WITH count(n) AS entities
OPTIONAL MATCH (r:ImportRun)
WITH entities, count(r) AS runs, max(coalesce(r.finished_at, r.started_at)) AS lastRun
OPTIONAL MATCH (m:Merge)
WITH entities, runs, lastRun, count(m) AS merges, max(coalesce(m.undone_at, m.at)) AS lastMerge
RETURN toString(entities) + '|' + toString(runs) + '|' + coalesce(toString(lastRun), '-') + '|' +
       toString(merges) + '|' + coalesce(toString(lastMerge), '-') AS version
