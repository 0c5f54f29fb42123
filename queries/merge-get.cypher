// name: merge-get
// params: $id STRING -- a merge id
// returns: m (the :Merge node), or no row
MATCH (m:Merge {id: $id})
RETURN m
