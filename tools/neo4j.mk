# Embedded Neo4j launcher (tools/neo4j-embedded) — included by the top-level Makefile.
#
#   make neo4j-build                 build target/neo4j-embedded.jar + target/lib/ (no-op when up to date)
#   make neo4j-start / neo4j-stop    a dev instance on $(NEO4J_DEV_PORT), data in $(NEO4J_DEV_DIR)
#   make neo4j-clean                 remove the build output (and the dev instance's data)
#
# Reusable variables (all absolute, so recipes may cd anywhere):
#   NEO4J_SH               the start/stop/build/freeport script
#   NEO4J_EMBEDDED_JAR     the launcher jar;  NEO4J_EMBEDDED_CP  its java classpath
#   NEO4J_EMBEDDED_MAIN    the main class
# Password: env NEO4J_PASSWORD (default scamgraph-dev-password, set by the script).

NEO4J_MK_DIR         := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
NEO4J_REPO_ROOT      := $(abspath $(NEO4J_MK_DIR)/..)
NEO4J_SH             := $(NEO4J_REPO_ROOT)/scripts/neo4j.sh
NEO4J_EMBEDDED_DIR   := $(NEO4J_MK_DIR)/neo4j-embedded
NEO4J_EMBEDDED_JAR   := $(NEO4J_EMBEDDED_DIR)/target/neo4j-embedded.jar
NEO4J_EMBEDDED_CP    := $(NEO4J_EMBEDDED_JAR):$(NEO4J_EMBEDDED_DIR)/target/lib/*
NEO4J_EMBEDDED_MAIN  := io.scamgraph.Launcher

NEO4J_DEV_DIR        ?= $(NEO4J_EMBEDDED_DIR)/target/dev
NEO4J_DEV_PORT       ?= 7687

.PHONY: neo4j-build neo4j-start neo4j-stop neo4j-clean

neo4j-build:
	@$(NEO4J_SH) build

neo4j-start: neo4j-build
	@$(NEO4J_SH) start --data-dir $(NEO4J_DEV_DIR) --port $(NEO4J_DEV_PORT) \
		--pidfile $(NEO4J_DEV_DIR)/neo4j.pid --log $(NEO4J_DEV_DIR)/neo4j.log

neo4j-stop:
	@$(NEO4J_SH) stop --pidfile $(NEO4J_DEV_DIR)/neo4j.pid

neo4j-clean:
	rm -rf $(NEO4J_EMBEDDED_DIR)/target
