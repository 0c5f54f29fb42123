// name: names-page
// params: $after STRING (the last id of the previous page, "" first), $limit INTEGER
// returns: id, name, aliases, labels -- entities triage may name, by id:
//          not sources, and of victims only cohorts (an individual's name
//          is personal)
MATCH (n:Entity)
WHERE n.id > $after AND NOT n:Source AND (NOT n:Victim OR n.cohort = true)
RETURN n.id AS id, n.name AS name, n.aliases AS aliases, labels(n) AS labels
ORDER BY n.id
LIMIT $limit
