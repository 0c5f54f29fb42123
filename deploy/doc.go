// Package deploy holds no code: its tests check the deployment files at the
// repository root (docker-compose.yml, .env.example) against the settings
// internal/config reads and the Neo4j hardening the embedded launcher
// (tools/neo4j-embedded) applies, so the three cannot drift apart. The
// deployment is described in docs/deploy.md.
package deploy
