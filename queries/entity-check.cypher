// name: entity-check
// params: $ids LIST<STRING> -- entity ids
// returns: one row: found, a list of one map per id that exists: id, labels,
//          name, victim (the whole node when it is a victim, else null) --
//          what the import rules need
// One row for the batch, not one per id: a batch is one Bolt record to read.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
USING INDEX SEEK n:Entity(id)
RETURN collect({id: id, labels: labels(n), name: n.name, victim: CASE WHEN n:Victim THEN n END}) AS found
