// Schema, part 1: uniqueness. Every domain node carries :Entity with a
// unique id, so one constraint covers all kinds (and backs MERGE lookups).
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT import_run_id IF NOT EXISTS FOR (r:ImportRun) REQUIRE r.id IS UNIQUE;
