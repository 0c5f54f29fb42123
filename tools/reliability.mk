# Tests that try to break scamgraph (docs/reliability.md) — included by the
# top-level Makefile after tools/neo4j.mk.
#
#   make reliability   Neo4j SIGKILLed (supervised restarts) and stopped under
#                      load and during an import (RELIABILITY_FAULT_ENTITIES,
#                      default 20000) + importer SIGKILLed at random at least
#                      50 times (RELIABILITY_ENTITIES, default 20000), against
#                      a throwaway embedded Neo4j; figures appended to
#                      RELIABILITY_OUT (default .data/reliability/results.txt)
#   make fuzz-api      Schemathesis against /openapi.json (scripts/fuzz-api.sh)
#   make fuzz-long     every Go fuzz target for FUZZTIME (default 60s) each
#
# Both reliability tests also run, smaller, under make test (6,000 and 3,000
# entities).

RELIABILITY_ENTITIES ?= 20000
RELIABILITY_FAULT_ENTITIES ?= 20000
RELIABILITY_ROUNDS   ?= 50
RELIABILITY_SEED     ?= 1
RELIABILITY_OUT      ?= $(CURDIR)/.data/reliability/results.txt
FUZZ_LONG_TIME       ?= 60s

.PHONY: reliability fuzz-api fuzz-long

reliability: build neo4j-build
	@set -eu; \
	out="$(RELIABILITY_OUT)"; mkdir -p "$$(dirname "$$out")"; \
	dir="$$(mktemp -d "$${TMPDIR:-/tmp}/scamgraph-reliability.XXXXXX")"; \
	trap '$(NEO4J_SH) stop --pidfile "'"$$dir"'/neo4j.pid" >/dev/null 2>&1 || true; rm -rf "'"$$dir"'"' EXIT; \
	trap 'exit 130' INT TERM; \
	export NEO4J_PASSWORD=scamgraph-reliability-password; \
	port="$$($(NEO4J_SH) freeport)"; \
	echo "reliability: starting embedded Neo4j on port $$port" >&2; \
	NEO4J_TEST_URI="$$($(NEO4J_SH) start --data-dir "$$dir/neo4j" --port "$$port" --pidfile "$$dir/neo4j.pid" --log "$$dir/neo4j.out")"; \
	export NEO4J_TEST_URI NEO4J_TEST_USER=neo4j NEO4J_TEST_PASSWORD="$$NEO4J_PASSWORD" CI=true \
		SCAMGRAPH_RELIABILITY_OUT="$$out" SCAMGRAPH_KILL_ENTITIES=$(RELIABILITY_ENTITIES) \
		SCAMGRAPH_KILL_ROUNDS=$(RELIABILITY_ROUNDS) SCAMGRAPH_KILL_SEED=$(RELIABILITY_SEED) \
		SCAMGRAPH_FAULT_ENTITIES=$(RELIABILITY_FAULT_ENTITIES); \
	rc=0; $(GO) test -count=1 -v -timeout 180m ./internal/reliability || rc=$$?; \
	echo "reliability: figures appended to $$out" >&2; \
	tail -n 2 "$$out"; exit $$rc

fuzz-api: build neo4j-build
	@scripts/fuzz-api.sh

fuzz-long:
	@set -e; for pkg in ./importer ./api ./graph/neo4jdb ./graph/cypherguard; do \
		for target in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$pkg/*_test.go | sed 's/^func //' | sort -u); do \
			echo "fuzz-long: $$pkg $$target ($(FUZZ_LONG_TIME))" >&2; \
			$(GO) test $$pkg -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZ_LONG_TIME); \
		done; \
	done
