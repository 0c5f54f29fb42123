#!/usr/bin/env bash
# make test: a throwaway embedded Neo4j on a free port, go vet, every test
# (integration tests included: CI=true makes them fail rather than skip
# without Neo4j), then brief runs of every fuzz target. Neo4j is stopped and
# its data removed whatever happens.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

export NEO4J_PASSWORD="${NEO4J_TEST_PASSWORD:-scamgraph-test-password}"
data_dir="$(mktemp -d "${TMPDIR:-/tmp}/scamgraph-test-neo4j.XXXXXX")"
port="$(scripts/neo4j.sh freeport)"
pidfile="$data_dir/neo4j.pid"
cleanup() {
  scripts/neo4j.sh stop --pidfile "$pidfile" >/dev/null 2>&1 || true
  rm -rf "$data_dir"
}
trap cleanup EXIT

echo "test: starting embedded Neo4j on port $port" >&2
NEO4J_TEST_URI="$(scripts/neo4j.sh start --data-dir "$data_dir" --port "$port" --pidfile "$pidfile" --log "$data_dir/neo4j.out")"
export NEO4J_TEST_URI NEO4J_TEST_USER=neo4j NEO4J_TEST_PASSWORD="$NEO4J_PASSWORD"
export CI="${CI:-true}"  # integration tests must not skip under make test

scripts/browser-deps.sh  # Chromium for web/browsertest (apt-get when missing)
scripts/export-deps.sh   # followthemoney (venv) and xmllint for the export tests

echo "test: go vet" >&2
go vet ./...
unformatted="$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"
if [[ -n "$unformatted" ]]; then
  echo "test: gofmt would change: $unformatted" >&2
  exit 1
fi

echo "test: go test" >&2
# -p 1: the packages share one Neo4j database.
go test -p 1 -count=1 -timeout 30m ./...

echo "test: fuzz targets (${FUZZTIME:=10s} each)" >&2
for pkg in $(go list ./...); do
  dir="$(go list -f '{{.Dir}}' "$pkg")"
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "test: fuzz $pkg $target" >&2
    # Go's fuzz coordinator can fail a target that found nothing with
    # "context deadline exceeded" when the -fuzztime deadline races its
    # own shutdown on a loaded machine (a known race in
    # internal/fuzz.CoordinateFuzzing). Such a run wrote no failing input;
    # it is run once more. A run that found a failing input fails at once.
    out="$(mktemp)"
    if ! go test -run='^$' -fuzz="^${target}\$" -fuzztime="$FUZZTIME" "$pkg" 2>&1 | tee "$out"; then
      if grep -q 'context deadline exceeded' "$out" && ! grep -q 'Failing input written to' "$out"; then
        echo "test: fuzz $pkg $target: the coordinator's deadline race, no failing input; running it again" >&2
        go test -run='^$' -fuzz="^${target}\$" -fuzztime="$FUZZTIME" "$pkg"
      else
        rm -f "$out"
        exit 1
      fi
    fi
    rm -f "$out"
  done
done
echo "test: all passed" >&2
