// name: merge-fingerprint
// params: $keep STRING -- the kept id
// returns: fingerprint -- a string that changes when the kept entity, or any
//          relationship of it, is written, added or removed
MATCH (k:Entity {id: $keep})
OPTIONAL MATCH (k)-[r]-()
WITH k, count(r) AS n, max(r.updated_at) AS last
RETURN toString(k.updated_at) + '|' + toString(n) + '|' + coalesce(toString(last), '-') + '|' +
       reduce(acc = '', l IN labels(k) | acc + l + ',') AS fingerprint
