// Schema, part 3: API keys. Keys are :ApiKey nodes (never :Entity), found
// by the SHA-256 of their plaintext and listed and revoked by id.
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE;
CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE;
