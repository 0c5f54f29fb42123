#!/usr/bin/env bash
# make run: start the embedded Neo4j (unless NEO4J_URI is set, in .env or the
# environment), apply the schema, import data/sample and serve the API.
# The embedded Neo4j runs supervised (scripts/neo4j.sh start --supervise):
# when it dies (a crash, an OutOfMemoryError, SIGKILL) it is restarted with
# backoff, the reason is printed here, and the service reconnects by itself.
# Ctrl-C stops the service and the embedded Neo4j; so does the death of
# whoever ran this script (make run killed with SIGKILL), and this script's
# own: the supervisor follows it (--owner), the service gets SIGTERM.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

# .env as the binary reads it: the real environment wins.
if [[ -f .env ]]; then
  while IFS='=' read -r key value; do
    [[ -z "$key" || "$key" == \#* ]] && continue
    key="${key// /}"
    value="${value%\"}"; value="${value#\"}"
    [[ -z "${!key:-}" ]] && export "$key=$value"
  done < .env
fi

export NEO4J_PASSWORD="${NEO4J_PASSWORD:-scamgraph-dev-password}"
# The embedded Neo4j sized for this machine unless told otherwise (the rule:
# scripts/neo4j.sh resolve_memory, docs/deploy.md).
[[ -z "${NEO4J_HEAP:-}" ]] && export NEO4J_HEAP=auto
[[ -z "${NEO4J_PAGECACHE:-}" ]] && export NEO4J_PAGECACHE=auto
pidfile=""
cleanup() {
  if [[ -n "$pidfile" ]]; then
    scripts/neo4j.sh stop --pidfile "$pidfile" || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Stop everything when the parent (make) dies, even by SIGKILL.
parent=$PPID
( while kill -0 "$parent" 2>/dev/null && kill -0 $$ 2>/dev/null; do sleep 1; done
  kill -TERM $$ 2>/dev/null ) </dev/null >/dev/null 2>&1 &

if [[ -z "${NEO4J_URI:-}" ]]; then
  data_dir="${NEO4J_DATA_DIR:-$ROOT/.data/neo4j}"
  port="${NEO4J_BOLT_PORT:-7687}"
  mkdir -p "$data_dir"
  pidfile="$data_dir/neo4j.pid"
  for f in "$pidfile.supervisor" "$pidfile"; do
    if [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null; then
      echo "run: an embedded Neo4j from an earlier run is still up (pid $(cat "$f")); stopping it" >&2
      scripts/neo4j.sh stop --pidfile "$pidfile"
      break
    fi
  done
  if [[ -n "${BULK:-}" ]]; then
    # make run BULK="DIR…": a first load through Neo4j's batch importer, before Neo4j starts
    # (refused unless the data dir's database is absent or empty; docs/import-bulk.md).
    echo "run: bulk first load of $BULK into $data_dir" >&2
    # shellcheck disable=SC2086 # BULK may name several paths
    bin/scamgraph import --bulk --data-dir "$data_dir" $BULK
  fi
  echo "run: starting embedded Neo4j, supervised (data in $data_dir, bolt port $port)" >&2
  NEO4J_URI="$(scripts/neo4j.sh start --supervise --owner $$ --data-dir "$data_dir" --port "$port" --pidfile "$pidfile" --log "$data_dir/neo4j.out")"
  export NEO4J_URI
  # The supervisor's reports (a death, its reason, a restart) on this terminal,
  # until this script exits.
  tail --pid=$$ -n 0 -F "$data_dir/neo4j.out" 2>/dev/null |
    grep --line-buffered -e '^neo4j.sh supervise:' -e '^neo4j-embedded ready' >&2 &
else
  [[ -z "${BULK:-}" ]] || { echo "run: BULK loads the embedded Neo4j's store offline; with NEO4J_URI use scamgraph import --bulk --out DIR and neo4j-admin (docs/import-bulk.md)" >&2; exit 2; }
  echo "run: using Neo4j at $NEO4J_URI" >&2
fi

bin/scamgraph migrate
bin/scamgraph import data/sample
# An admin key for trying the API (README examples read it from here).
key_file="$ROOT/.data/make-run.key"
if [[ -s "$key_file" ]] && ! bin/scamgraph keys list 2>/dev/null | grep -q -- "$(head -c 11 "$key_file")"; then
  rm -f "$key_file"  # made for another database
fi
if [[ ! -s "$key_file" ]]; then
  mkdir -p "$(dirname "$key_file")"
  ( umask 077; bin/scamgraph keys create --role admin --name make-run | tail -n 1 > "$key_file" )
  echo "run: created an admin API key for local use in $key_file" >&2
fi
echo "run: serving on http://${HTTP_ADDR:-127.0.0.1:8080} (Ctrl-C to stop)" >&2
# With setpriv, the service gets SIGTERM should this script be killed.
pdeath=()
command -v setpriv >/dev/null 2>&1 && pdeath=(setpriv --pdeathsig TERM --)
"${pdeath[@]}" bin/scamgraph serve &
serve_pid=$!
trap 'kill -TERM "$serve_pid" 2>/dev/null || true' INT TERM
wait "$serve_pid" || true
wait "$serve_pid" 2>/dev/null || true
