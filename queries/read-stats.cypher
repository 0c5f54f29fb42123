// name: read-stats
// params: none
// returns: one row per count: what ("entities", "relationships", "kind" or "rel"), name (the kind or relationship type; "" for the totals), count
// Every branch is answered from the count store (no scan). TestStatsQueryCoversAllowLists
// (graph/neo4jdb/read_stats_test.go) keeps the kinds and types listed here equal to
// graph.AllKinds and graph.RelTypes + MENTIONED_IN.
CALL () {
  MATCH (n:Entity) RETURN 'entities' AS what, '' AS name, count(n) AS count
  UNION ALL MATCH (n:Person) RETURN 'kind' AS what, 'person' AS name, count(n) AS count
  UNION ALL MATCH (n:Tycoon) RETURN 'kind' AS what, 'tycoon' AS name, count(n) AS count
  UNION ALL MATCH (n:Official) RETURN 'kind' AS what, 'official' AS name, count(n) AS count
  UNION ALL MATCH (n:Compound) RETURN 'kind' AS what, 'compound' AS name, count(n) AS count
  UNION ALL MATCH (n:Company) RETURN 'kind' AS what, 'company' AS name, count(n) AS count
  UNION ALL MATCH (n:Victim) RETURN 'kind' AS what, 'victim' AS name, count(n) AS count
  UNION ALL MATCH (n:Location) RETURN 'kind' AS what, 'location' AS name, count(n) AS count
  UNION ALL MATCH (n:Organization) RETURN 'kind' AS what, 'organization' AS name, count(n) AS count
  UNION ALL MATCH (n:Event) RETURN 'kind' AS what, 'event' AS name, count(n) AS count
  UNION ALL MATCH (n:Source) RETURN 'kind' AS what, 'source' AS name, count(n) AS count
  UNION ALL MATCH ()-[r]->() RETURN 'relationships' AS what, '' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:OWNS]->() RETURN 'rel' AS what, 'OWNS' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:CONTROLS]->() RETURN 'rel' AS what, 'CONTROLS' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:DIRECTS]->() RETURN 'rel' AS what, 'DIRECTS' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:OPERATES]->() RETURN 'rel' AS what, 'OPERATES' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:HOLDS_OFFICE]->() RETURN 'rel' AS what, 'HOLDS_OFFICE' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:ADVISES]->() RETURN 'rel' AS what, 'ADVISES' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:PROTECTS]->() RETURN 'rel' AS what, 'PROTECTS' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:FAMILY_OF]->() RETURN 'rel' AS what, 'FAMILY_OF' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:ASSOCIATE_OF]->() RETURN 'rel' AS what, 'ASSOCIATE_OF' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:RECRUITED_TO]->() RETURN 'rel' AS what, 'RECRUITED_TO' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:HELD_AT]->() RETURN 'rel' AS what, 'HELD_AT' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:RELEASED_FROM]->() RETURN 'rel' AS what, 'RELEASED_FROM' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:SUBJECT_OF]->() RETURN 'rel' AS what, 'SUBJECT_OF' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:CONDUCTED]->() RETURN 'rel' AS what, 'CONDUCTED' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:PARTICIPATED_IN]->() RETURN 'rel' AS what, 'PARTICIPATED_IN' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:LOCATED_IN]->() RETURN 'rel' AS what, 'LOCATED_IN' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:PART_OF]->() RETURN 'rel' AS what, 'PART_OF' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:REPRESENTS]->() RETURN 'rel' AS what, 'REPRESENTS' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:ASSISTED_BY]->() RETURN 'rel' AS what, 'ASSISTED_BY' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:LINKED_TO]->() RETURN 'rel' AS what, 'LINKED_TO' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:POSSIBLY_SAME_AS]->() RETURN 'rel' AS what, 'POSSIBLY_SAME_AS' AS name, count(r) AS count
  UNION ALL MATCH ()-[r:MENTIONED_IN]->() RETURN 'rel' AS what, 'MENTIONED_IN' AS name, count(r) AS count
}
RETURN what, name, count
