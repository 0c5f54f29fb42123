// name: inv-compound-rel-types
// params: none
// returns: types LIST<STRING> -- the relationship types that join at least one
//          Compound (at either end) now, in the order listed here
// cost: two count-store reads per type (RelationshipCountFromCountStore), no
//       node or relationship is read; exact, since Neo4j keeps the counts per
//       (label, type) transactionally.
// Why: inv-prosecuted-compound-links follows only these types on the last hop
// into a compound, so that the search does not expand every relationship of a
// hub one hop short of the bound (an organisation with 5,000 ADVISES) to find
// the few that end at a compound. Read from the data, not from the model's
// endpoint table (graph.EndpointsOf): an entity of two kinds (a company that is
// also a compound) may be reached by any type its other kind allows.
// The list names every traversable type of graph.RelTypes() (all but the
// untraversed POSSIBLY_SAME_AS, and MENTIONED_IN): TestInvCompoundRelTypesNameEveryType.
RETURN [t IN [
  ['OWNS', COUNT { (:Compound)-[:OWNS]->() } + COUNT { ()-[:OWNS]->(:Compound) }],
  ['CONTROLS', COUNT { (:Compound)-[:CONTROLS]->() } + COUNT { ()-[:CONTROLS]->(:Compound) }],
  ['DIRECTS', COUNT { (:Compound)-[:DIRECTS]->() } + COUNT { ()-[:DIRECTS]->(:Compound) }],
  ['OPERATES', COUNT { (:Compound)-[:OPERATES]->() } + COUNT { ()-[:OPERATES]->(:Compound) }],
  ['HOLDS_OFFICE', COUNT { (:Compound)-[:HOLDS_OFFICE]->() } + COUNT { ()-[:HOLDS_OFFICE]->(:Compound) }],
  ['ADVISES', COUNT { (:Compound)-[:ADVISES]->() } + COUNT { ()-[:ADVISES]->(:Compound) }],
  ['PROTECTS', COUNT { (:Compound)-[:PROTECTS]->() } + COUNT { ()-[:PROTECTS]->(:Compound) }],
  ['FAMILY_OF', COUNT { (:Compound)-[:FAMILY_OF]->() } + COUNT { ()-[:FAMILY_OF]->(:Compound) }],
  ['ASSOCIATE_OF', COUNT { (:Compound)-[:ASSOCIATE_OF]->() } + COUNT { ()-[:ASSOCIATE_OF]->(:Compound) }],
  ['RECRUITED_TO', COUNT { (:Compound)-[:RECRUITED_TO]->() } + COUNT { ()-[:RECRUITED_TO]->(:Compound) }],
  ['HELD_AT', COUNT { (:Compound)-[:HELD_AT]->() } + COUNT { ()-[:HELD_AT]->(:Compound) }],
  ['RELEASED_FROM', COUNT { (:Compound)-[:RELEASED_FROM]->() } + COUNT { ()-[:RELEASED_FROM]->(:Compound) }],
  ['SUBJECT_OF', COUNT { (:Compound)-[:SUBJECT_OF]->() } + COUNT { ()-[:SUBJECT_OF]->(:Compound) }],
  ['CONDUCTED', COUNT { (:Compound)-[:CONDUCTED]->() } + COUNT { ()-[:CONDUCTED]->(:Compound) }],
  ['PARTICIPATED_IN', COUNT { (:Compound)-[:PARTICIPATED_IN]->() } + COUNT { ()-[:PARTICIPATED_IN]->(:Compound) }],
  ['LOCATED_IN', COUNT { (:Compound)-[:LOCATED_IN]->() } + COUNT { ()-[:LOCATED_IN]->(:Compound) }],
  ['PART_OF', COUNT { (:Compound)-[:PART_OF]->() } + COUNT { ()-[:PART_OF]->(:Compound) }],
  ['REPRESENTS', COUNT { (:Compound)-[:REPRESENTS]->() } + COUNT { ()-[:REPRESENTS]->(:Compound) }],
  ['ASSISTED_BY', COUNT { (:Compound)-[:ASSISTED_BY]->() } + COUNT { ()-[:ASSISTED_BY]->(:Compound) }],
  ['LINKED_TO', COUNT { (:Compound)-[:LINKED_TO]->() } + COUNT { ()-[:LINKED_TO]->(:Compound) }]
] WHERE t[1] > 0 | t[0]] AS types
