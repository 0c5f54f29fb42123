// name: relationship-lock
// params: $ids LIST<STRING> -- endpoint ids, sorted and distinct (a fixed lock order)
// returns: one row: found, a list of {id, labels}, one per id that exists
// Takes each endpoint's write lock, held to the end of the transaction, before
// the caller reads the relationships between them: every writer of a
// relationship locks both its ends first, so concurrent merges of one
// relationship run one after the other. The endpoints' labels, read under the
// lock, decide the endpoint-kind and victim rules.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
USING INDEX SEEK n:Entity(id)
SET n._lock = true
REMOVE n._lock
RETURN collect({id: id, labels: labels(n)}) AS found
