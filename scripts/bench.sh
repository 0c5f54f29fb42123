#!/usr/bin/env bash
# make bench SCALE=N: a fresh embedded Neo4j (its own data directory, a free
# port, a bigger heap), then bin/scamgraph-bench (which empties the database
# it is given: here always this throwaway one), printing one set of tables.
# Benchmarks never run inside make test. BENCH_FLAGS adds flags, e.g.
#   make bench SCALE=2000 BENCH_FLAGS="--requests 20 --json"
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
SCALE="${SCALE:-100000}"
export NEO4J_PASSWORD="${NEO4J_PASSWORD:-scamgraph-bench-password}"
export NEO4J_HEAP="${NEO4J_HEAP:-4g}" NEO4J_PAGECACHE="${NEO4J_PAGECACHE:-2g}"
export NEO4J_TX_MEMORY_MAX="${NEO4J_TX_MEMORY_MAX:-2g}" NEO4J_TX_TIMEOUT="${NEO4J_TX_TIMEOUT:-30m}"
data_dir="$(mktemp -d "${TMPDIR:-/tmp}/scamgraph-bench-neo4j.XXXXXX")"
port="$(scripts/neo4j.sh freeport)"
pidfile="$data_dir/neo4j.pid"
cleanup() {
  scripts/neo4j.sh stop --pidfile "$pidfile" >/dev/null 2>&1 || true
  rm -rf "$data_dir"
}
trap cleanup EXIT
NEO4J_URI="$(scripts/neo4j.sh start --data-dir "$data_dir" --port "$port" --pidfile "$pidfile" --log "$data_dir/neo4j.out")"
export NEO4J_URI LOG_LEVEL="${LOG_LEVEL:-warn}"
echo "bench: Neo4j at $NEO4J_URI (heap $NEO4J_HEAP, page cache $NEO4J_PAGECACHE), scale $SCALE" >&2
# hey (github.com/rakyll/hey), an outside load generator, pinned by go.mod's
# tool directive and built from the Go module proxy like everything else.
go build -o bin/hey github.com/rakyll/hey
bin/scamgraph-bench --scale "$SCALE" --hey bin/hey --scamgraph bin/scamgraph ${BENCH_FLAGS:-}
