// name: gds-communities-top
// params: $name STRING -- the projection, with the properties community (gds-louvain-mutate or gds-wcc-mutate) and pagerank (gds-pagerank-mutate); $limit INTEGER -- communities; $members INTEGER -- members shown of each
// returns: one row per community of the $limit largest (largest first, equal sizes by community id): count (communities in the projection), community, size, members (LIST of {nodeId, pagerank}, the $members most central first, equal scores to 9 decimals by node id)
// The grouping runs in the server: only the largest communities' most
// central members leave it (streaming every node's community and PageRank
// took 68 s at 1M entities).
CALL gds.graph.nodeProperty.stream($name, 'community')
YIELD nodeId, propertyValue
WITH toInteger(propertyValue) AS community, collect(nodeId) AS ids
WITH collect({community: community, ids: ids}) AS cs
WITH size(cs) AS count, cs
UNWIND cs AS c
WITH count, c
ORDER BY size(c.ids) DESC, c.community ASC
LIMIT $limit
UNWIND c.ids AS nodeId
WITH count, c.community AS community, size(c.ids) AS size, nodeId, gds.util.nodeProperty($name, nodeId, 'pagerank') AS pagerank
ORDER BY round(pagerank, 9) DESC, nodeId ASC
WITH count, community, size, collect({nodeId: nodeId, pagerank: pagerank})[..$members] AS members
RETURN count, community, size, members
ORDER BY size DESC, community ASC
