// name: gds-drop-stale
// params: $prefix STRING -- this service's projection prefix (scamgraph-); $maxAge DURATION -- older projections of the service are stale
// returns: one row per projection dropped: name
// A process killed mid-request (SIGKILL, OOM, a crash) never dropped its
// projection; every analysis first drops the service's projections older
// than any request may live.
CALL gds.graph.list() YIELD graphName, creationTime
WITH graphName, creationTime
WHERE graphName STARTS WITH $prefix AND creationTime < datetime() - $maxAge
CALL gds.graph.drop(graphName, false) YIELD graphName AS dropped
RETURN dropped AS name
