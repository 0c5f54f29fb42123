// name: sample-ids
// params: $label STRING -- a kind label from graph.KindLabel (allow-listed); $limit INT
// returns: id -- up to $limit entity ids of that kind, for benchmarks and examples
MATCH (n:$($label))
RETURN n.id AS id
LIMIT $limit
