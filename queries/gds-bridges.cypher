// name: gds-bridges
// params: $name STRING -- the projection; $ids LIST<INTEGER> -- node ids (only bridges touching one)
// returns: one row per bridge touching $ids: from, to (node ids)
CALL gds.bridges.stream($name)
YIELD from, to
WITH from, to
WHERE from IN $ids OR to IN $ids
RETURN from, to
