// name: read-late-sources
// params: $asOf DATE
// returns: late -- the ids of the sources published after $asOf (the $late parameter of the as_of predicate; uses index source_published)
MATCH (s:Source)
WHERE s.published > $asOf
RETURN collect(s.id) AS late
