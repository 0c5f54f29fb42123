#!/usr/bin/env bash
# make fuzz-api: property-based fuzzing of the HTTP API with Schemathesis,
# driven by the service's own OpenAPI document (/openapi.json).
#
# Starts a throwaway embedded Neo4j on a free port (or uses NEO4J_URI when
# set; it then imports data/sample into that database and adds an API key
# named "fuzz-api"; the run may also POST generated imports to it, so point
# it only at a database you can throw away), imports data/sample, creates an admin key, serves
# bin/scamgraph on a free loopback port and runs
#
#   schemathesis run http://127.0.0.1:PORT/openapi.json -H "Authorization: Bearer KEY"
#
# with the checks not_a_server_error and response_schema_conformance.
# Exits non-zero on any failure. Everything it started is stopped on exit.
#
# Environment:
#   FUZZ_MAX_EXAMPLES   test cases per operation and phase (default 30)
#   FUZZ_TIME_LIMIT     seconds for the whole Schemathesis run (default 900)
#   FUZZ_SEED           Schemathesis seed (default 1: runs are repeatable)
#   FUZZ_CHECKS         checks (default not_a_server_error,response_schema_conformance)
#   FUZZ_WORKERS        concurrent workers (default 1: hypothesis raced in its lambda cache with 2)
#   FUZZ_RATE_LIMIT     RATE_LIMIT_RPS, _BURST and _IP_RPS of the service under test (default 100000)
#   FUZZ_REPORT_DIR     where the JUnit and NDJSON reports go (default .data/fuzz-api)
#   SCHEMATHESIS_VERSION  pinned PyPI version (default 4.32.5), installed in .data/venv
#   NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD   an existing Neo4j instead of the throwaway one
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
max_examples="${FUZZ_MAX_EXAMPLES:-30}"
time_limit="${FUZZ_TIME_LIMIT:-900}"
seed="${FUZZ_SEED:-1}"
checks="${FUZZ_CHECKS:-not_a_server_error,response_schema_conformance}"
workers="${FUZZ_WORKERS:-1}"
report_dir="${FUZZ_REPORT_DIR:-$ROOT/.data/fuzz-api}"
venv="$ROOT/.data/venv"
bin="$ROOT/bin/scamgraph"

say() { echo "fuzz-api: $*" >&2; }
die() { say "$*"; exit 1; }

[[ -x "$bin" ]] || die "$bin is missing: run make build (make fuzz-api does)"

# Schemathesis, pinned, in a venv of its own.
if [[ "$("$venv/bin/schemathesis" --version 2>/dev/null || true)" != *" $SCHEMATHESIS_VERSION" ]]; then
  say "installing schemathesis $SCHEMATHESIS_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/scamgraph-fuzz-api.XXXXXX")"
pidfile="$work/neo4j.pid"
serve_pid=""
own_neo4j=""
cleanup() {
  local rc=$?
  if [[ -n "$serve_pid" ]] && kill -0 "$serve_pid" 2>/dev/null; then
    kill -TERM "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  if [[ -n "$own_neo4j" ]]; then
    "$ROOT/scripts/neo4j.sh" stop --pidfile "$pidfile" >/dev/null 2>&1 || true
  fi
  if [[ $rc -ne 0 && -f "$work/serve.log" ]]; then
    say "service errors (from $work/serve.log):"
    grep -E 'level=(ERROR|WARN)' "$work/serve.log" | tail -n 20 >&2 || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z "${NEO4J_URI:-}" ]]; then
  export NEO4J_PASSWORD="${NEO4J_PASSWORD:-scamgraph-fuzz-password}"
  port="$(scripts/neo4j.sh freeport)"
  say "starting a throwaway embedded Neo4j on port $port"
  own_neo4j=1
  NEO4J_URI="$(scripts/neo4j.sh start --data-dir "$work/neo4j" --port "$port" --pidfile "$pidfile" --log "$work/neo4j.out")"
else
  say "using the Neo4j at $NEO4J_URI"
fi
export NEO4J_URI NEO4J_USER="${NEO4J_USER:-neo4j}" NEO4J_PASSWORD="${NEO4J_PASSWORD:-scamgraph-dev-password}"
export LOG_LEVEL="${LOG_LEVEL:-warn}"
# The per-key and per-IP rate limits would answer most generated requests
# with 429 and leave the logic behind them untested: raise them for the run.
export RATE_LIMIT_RPS="${FUZZ_RATE_LIMIT:-100000}" RATE_LIMIT_BURST="${FUZZ_RATE_LIMIT:-100000}" RATE_LIMIT_IP_RPS="${FUZZ_RATE_LIMIT:-100000}"

(cd "$work" && "$bin" import --quiet "$ROOT/data/sample")  # in $work: no .env is read
key="$(cd "$work" && "$bin" keys create --role admin --name fuzz-api | tail -n 1)"
[[ "$key" == sg_* ]] || die "keys create printed no key"

http_port="$(scripts/neo4j.sh freeport)"
export HTTP_ADDR="127.0.0.1:$http_port"
(cd "$work" && exec "$bin" serve) >"$work/serve.log" 2>&1 &
serve_pid=$!
base="http://127.0.0.1:$http_port"
for _ in $(seq 1 300); do
  curl -fsS -o /dev/null "$base/readyz" 2>/dev/null && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.log" >&2; die "serve exited"; }
  sleep 0.2
done
curl -fsS -o /dev/null "$base/readyz" || die "the service did not become ready"

mkdir -p "$report_dir"; report_dir="$(cd "$report_dir" && pwd -P)"
say "schemathesis $SCHEMATHESIS_VERSION against $base/openapi.json (checks $checks, $max_examples examples, seed $seed, limit ${time_limit}s)"
rc=0
cd "$work"  # Schemathesis keeps its .schemathesis/ cache in the working directory
timeout --signal=INT --kill-after=30 "$time_limit" \
  "$venv/bin/schemathesis" run "$base/openapi.json" \
    --header "Authorization: Bearer $key" \
    --checks "$checks" \
    --max-examples "$max_examples" \
    --seed "$seed" \
    --workers "$workers" \
    --request-timeout 30 \
    --suppress-health-check all \
    --output-sanitize true \
    --report junit,ndjson --report-dir "$report_dir" || rc=$?
if [[ $rc -eq 124 ]]; then
  say "schemathesis did not finish within ${time_limit}s"
fi
# The service must have survived the run.
kill -0 "$serve_pid" 2>/dev/null || { say "the service died during the run"; rc=1; }
if [[ $rc -ne 0 ]]; then
  say "FAILED (exit $rc); reports in $report_dir"
  exit "$rc"
fi
say "passed; reports in $report_dir"
