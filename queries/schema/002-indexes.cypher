// Schema, part 2: the indexes the queries need.
// Full-text over names and aliases, case and diacritics folded
// (standard-folding = standard tokenizer + lowercase + ASCII folding).
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS
FOR (n:Entity) ON EACH [n.name, n.aliases]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding', `fulltext.eventually_consistent`: false}};
// Events by type and date: prosecuted-compound-links, timelines, as_of.
CREATE INDEX event_type IF NOT EXISTS FOR (e:Event) ON (e.event_type);
CREATE INDEX event_date IF NOT EXISTS FOR (e:Event) ON (e.date);
// Victims by nationality: victims-by-nationality.
CREATE INDEX victim_nationality IF NOT EXISTS FOR (v:Victim) ON (v.nationality);
// Sources by publication date: as_of filtering.
CREATE INDEX source_published IF NOT EXISTS FOR (s:Source) ON (s.published);
// Import runs by file checksum and start.
CREATE INDEX import_run_checksum IF NOT EXISTS FOR (r:ImportRun) ON (r.checksum);
CREATE INDEX import_run_started IF NOT EXISTS FOR (r:ImportRun) ON (r.started_at);
