// Package reliability holds tests that try to break scamgraph from the
// outside, through the binary and a real Neo4j, and measure how it holds up
// (issue 4, item 7). It has no production code: everything is in its
// _test.go files, and the figures they produce are recorded in
// docs/reliability.md.
//
//   - TestNeo4jFaultsUnderLoad starts its own supervised embedded Neo4j
//     (scripts/neo4j.sh start --supervise, free port, own data dir), serves
//     data/sample under a bounded loopback load, and SIGKILLs Neo4j under
//     the read load, SIGKILLs it again while `scamgraph import` writes a
//     generated graph, then stops and starts it: every answer must be 2xx or
//     503 with Retry-After, none may hang, each fault must show (a new JVM,
//     503s and a 503 from /readyz while down, a partial graph at the import's
//     kill), the service must answer 2xx within 10 s of Neo4j being ready
//     again, the re-run import must give the clean import's snapshot, and
//     SIGTERM must still drain and exit 0.
//   - TestSupervisorFollowsItsOwner starts a supervised embedded Neo4j from
//     a shell that stays up (as scripts/run.sh does), SIGKILLs the shell and
//     requires the supervisor and the JVM gone within 30 s; then SIGKILLs a
//     supervisor itself and requires its JVM gone (parent-death signal).
//   - TestImporterKilledAtRandom SIGKILLs `scamgraph import` at seeded random
//     points at least 50 times, then lets a run finish: the graph must equal
//     a clean run's, with 0 duplicates and 0 lost records, and at least a
//     fifth of the kills must have interrupted writes. It uses the Neo4j of
//     `make test` (NEO4J_TEST_URI) and the "gen:" id prefix.
//
// Settings (environment):
//
//	SCAMGRAPH_KILL_ENTITIES   entities generated for the kill test (default 3000)
//	SCAMGRAPH_KILL_ROUNDS     kills before the final run (default 50, at least 50)
//	SCAMGRAPH_FAULT_ENTITIES  entities the fault test imports while Neo4j is killed (default 6000)
//	SCAMGRAPH_KILL_BATCH      the kill test's import batch size (default 200)
//	SCAMGRAPH_KILL_SEED       seed of the generator and of the kill delays (default 1)
//	SCAMGRAPH_RELIABILITY_OUT file to which each test appends one line of figures
//
// `make reliability` (tools/reliability.mk) runs both with the recorded
// settings.
package reliability
