// name: gds-terminate
// params: $name STRING -- a projection of this service (scamgraph-...)
// returns: one row per transaction still building the projection $name (gds-project*), terminated now: id
// A request cancelled while Neo4j was building its projection leaves
// that transaction running on the server (it may not even have started): the
// projection would land in the catalog after the drop. This stops it; the
// caller drops again until no transaction builds it. (The
// transactions of the server this runs on: on a cluster, the reader the
// request's queries went to.)
// Only the projection's own query: the drops and checks carry the name
// too, and so does this query (whose text must not hold the string it
// looks for, hence the +).
SHOW TRANSACTIONS YIELD transactionId, parameters, currentQuery
WHERE parameters.name = $name AND currentQuery CONTAINS 'gds.graph.' + 'project('
TERMINATE TRANSACTIONS transactionId
YIELD transactionId AS id
RETURN id
