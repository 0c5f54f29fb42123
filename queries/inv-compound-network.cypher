// name: inv-compound-network
// params: $id STRING -- a compound id (checked by inv-entity-check first); $asOf DATE or null; $late LIST<STRING> (see read-late-sources);
//         $untraversed LIST<STRING> -- types never followed: MENTIONED_IN and graph.HintRelTypes() (POSSIBLY_SAME_AS)
// returns: one row: compound (node) and, as LIST<PATH> each starting at the compound:
//          owners (<-OWNS|CONTROLS-), operators (<-OPERATES-), companies (any tie to a Company,
//          or a Company one OWNS|CONTROLS|DIRECTS|OPERATES hop from an owner or operator),
//          officials (<-PROTECTS- an Official, an owner/operator/protector that is an Official,
//          or an Official tied to one), events (-SUBJECT_OF-> an Event, or an Event -LOCATED_IN->
//          the compound), locations (-LOCATED_IN->{1,6} a Location), held (<-HELD_AT- a Victim),
//          released (<-RELEASED_FROM- a Victim). The last node of each path is the member.
// text: __asof_rel(x) / __asof_node(x) expand to the as_of predicates of graph/neo4jdb/read_asof.go.
// Every relationship and node on every path is visible as of $asOf; MENTIONED_IN and the hints (POSSIBLY_SAME_AS) never count.
MATCH (c:Entity {id: $id})
WHERE c:Compound
CALL (c) {
  OPTIONAL MATCH path = (c)<-[:OWNS|CONTROLS]-(:Entity)
  WHERE all(r IN relationships(path) WHERE __asof_rel(r))
    AND all(n IN nodes(path) WHERE __asof_node(n))
  RETURN collect(path) AS owners
}
CALL (c) {
  OPTIONAL MATCH path = (c)<-[:OPERATES]-(:Entity)
  WHERE all(r IN relationships(path) WHERE __asof_rel(r))
    AND all(n IN nodes(path) WHERE __asof_node(n))
  RETURN collect(path) AS operators
}
CALL (c) {
  CALL (c) {
    MATCH path = (c)-[r]-(:Company)
    WHERE NOT type(r) IN $untraversed
    RETURN path
    UNION
    MATCH path = (c)<-[:OWNS|CONTROLS|OPERATES]-(:Entity)-[:OWNS|CONTROLS|DIRECTS|OPERATES]-(co:Company)
    RETURN path
  }
  WITH path
  WHERE all(r IN relationships(path) WHERE __asof_rel(r))
    AND all(n IN nodes(path) WHERE __asof_node(n))
  RETURN collect(path) AS companies
}
CALL (c) {
  CALL (c) {
    MATCH path = (c)<-[:OWNS|CONTROLS|OPERATES|PROTECTS]-(:Official)
    RETURN path
    UNION
    MATCH path = (c)<-[:OWNS|CONTROLS|OPERATES|PROTECTS]-(x:Entity)-[r]-(o:Official)
    WHERE NOT type(r) IN $untraversed AND o <> x
    RETURN path
  }
  WITH path
  WHERE all(r IN relationships(path) WHERE __asof_rel(r))
    AND all(n IN nodes(path) WHERE __asof_node(n))
  RETURN collect(path) AS officials
}
CALL (c) {
  CALL (c) {
    MATCH path = (c)-[:SUBJECT_OF]->(:Event)
    RETURN path
    UNION
    MATCH path = (c)<-[:LOCATED_IN]-(:Event)
    RETURN path
  }
  WITH path
  WHERE all(r IN relationships(path) WHERE __asof_rel(r))
    AND all(n IN nodes(path) WHERE __asof_node(n))
  RETURN collect(path) AS events
}
CALL (c) {
  OPTIONAL MATCH path = (c)-[:LOCATED_IN*1..6]->(:Location)
  WHERE all(r IN relationships(path) WHERE __asof_rel(r))
    AND all(n IN nodes(path) WHERE __asof_node(n))
  RETURN collect(path) AS locations
}
CALL (c) {
  OPTIONAL MATCH path = (c)<-[:HELD_AT]-(:Victim)
  WHERE all(r IN relationships(path) WHERE __asof_rel(r))
    AND all(n IN nodes(path) WHERE __asof_node(n))
  RETURN collect(path) AS held
}
CALL (c) {
  OPTIONAL MATCH path = (c)<-[:RELEASED_FROM]-(:Victim)
  WHERE all(r IN relationships(path) WHERE __asof_rel(r))
    AND all(n IN nodes(path) WHERE __asof_node(n))
  RETURN collect(path) AS released
}
RETURN c AS compound, owners, operators, companies, officials, events, locations, held, released
