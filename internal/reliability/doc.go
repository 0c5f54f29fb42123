// Package reliability holds tests that try to break scamgraph from the
// outside, through the binary and a real Neo4j, and measure how it holds up
// (issue 4, item 7). It has no production code: everything is in its
// _test.go files, and the figures they produce are recorded in
// docs/reliability.md.
//
//   - TestNeo4jRestartUnderLoad starts its own embedded Neo4j (scripts/neo4j.sh,
//     free port, own data dir), serves data/sample, runs a bounded loopback
//     load and stops and restarts Neo4j under it: every answer must be 2xx or
//     503 with Retry-After, none may hang, the service must recover, and
//     SIGTERM must still drain and exit 0. It reports the recovery time.
//   - TestImporterKilledAtRandom SIGKILLs `scamgraph import` at seeded random
//     points at least 10 times, then lets a run finish: the graph must equal
//     a clean run's, with 0 duplicates and 0 lost records. It uses the Neo4j
//     of `make test` (NEO4J_TEST_URI) and the "gen:" id prefix.
//
// Settings (environment):
//
//	SCAMGRAPH_KILL_ENTITIES   entities generated for the kill test (default 20000; docs use 100000)
//	SCAMGRAPH_KILL_ROUNDS     kills before the final run (default 10, at least 10)
//	SCAMGRAPH_KILL_SEED       seed of the generator and of the kill delays (default 1)
//	SCAMGRAPH_RELIABILITY_OUT file to which each test appends one line of figures
//
// `make reliability` (tools/reliability.mk) runs both with the recorded
// settings.
package reliability
