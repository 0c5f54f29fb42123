#!/usr/bin/env bash
# scripts/bench-ftm.sh N: the FtM importer beside our NDJSON importer on the
# same graph. Generates N FtM lines (half persons and companies, half
# ownerships and directorships, relationships first) and the same facts as
# our NDJSON, imports each with bin/scamgraph into the Neo4j of NEO4J_URI
# (empty ids space: ids bench-ftm-*, bench-nd-*), then again (the
# idempotent re-import), and prints seconds, records/s and peak RSS.
# Needs NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD, python3 and /usr/bin/time,
# and a Neo4j whose transaction timeout allows a 5000-record batch on a
# loaded machine (start it with NEO4J_TX_TIMEOUT=30m, as scripts/bench.sh
# does; the 60 s default killed a batch of the NDJSON import at 100k under a
# load of 12). AGAIN=0 skips the two re-imports. TOGETHER=1 runs the two
# first imports at the same time, so that on a shared, noisy machine both
# see the same load (the 1M run: the ratio is the figure to read). With
# PROGRESS=DIR each import's progress lines (records written so far, every
# 5 s) are kept in DIR, to read a rate off a run stopped before its end.
# AGAIN_ONLY=1 (on a Neo4j that already holds an earlier run's imports)
# runs only the re-imports; with TOGETHER=1, both at the same time.
# FTM_FIRST=1 runs the FtM imports before the NDJSON ones (the first import
# into a fresh Neo4j also pays its warm-up: run both orders).
# Each import line is followed by the date and load average when it ended.
# The figures are in docs/benchmarks.md ("FtM import").
set -euo pipefail
n="${1:-100000}"
bin="${BIN:-bin/scamgraph}"
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-ftm.XXXXXX")"
trap 'rm -rf "$work"' EXIT
python3 - "$n" "$work" <<'PY'
import json, sys
n, work = int(sys.argv[1]), sys.argv[2]
things = n // 2
with open(work + "/bench.ftm.json", "w") as f, open(work + "/bench.ndjson", "w") as g:
    g.write(json.dumps({"record": "entity", "id": "source:bench-nd", "kinds": ["source"], "name": "bench", "properties": {"publisher": "bench", "published": "2025-10-14", "source_type": "other"}}) + "\n")
    rels = []
    for i in range(n - things):
        p, c = "p%d" % (i % (things // 2)), "c%d" % ((i * 7) % (things - things // 2))
        schema = "Ownership" if i % 2 else "Directorship"
        a, b = ("owner", "asset") if i % 2 else ("director", "organization")
        f.write(json.dumps({"id": "bench-ftm-r%d" % i, "schema": schema, "properties": {a: ["bench-ftm-" + p], b: ["bench-ftm-" + c], "role": ["chairman"]}, "datasets": ["bench"], "first_seen": "2025-10-14"}) + "\n")
        rels.append(json.dumps({"record": "relationship", "type": "OWNS" if i % 2 else "DIRECTS", "from": "bench-nd-" + p, "to": "bench-nd-" + c, "key": "r%d" % i, "evidence": "record", "sources": ["source:bench-nd"], "properties": {"role": "chairman"}}))
    for i in range(things):
        kind, name = ("Person", "person") if i < things // 2 else ("Company", "company")
        j = i if i < things // 2 else i - things // 2
        key = ("p%d" if kind == "Person" else "c%d") % j
        f.write(json.dumps({"id": "bench-ftm-" + key, "schema": kind, "properties": {"name": ["Bench %s %d" % (name, j)], "country": ["kh"]}, "datasets": ["bench"], "first_seen": "2025-10-14"}) + "\n")
        g.write(json.dumps({"record": "entity", "id": "bench-nd-" + key, "kinds": [name], "name": "Bench %s %d" % (name, j), "sources": ["source:bench-nd"], "properties": {"country": "KH"}}) + "\n")
    g.write("\n".join(rels) + "\n")
PY
run() { # label file [tag]
  local tag="${3:-x}" progress=(--quiet)
  if [[ -n "${PROGRESS:-}" ]]; then
    mkdir -p "$PROGRESS"
    progress=()
  fi
  /usr/bin/time -f "%e %M" -o "$work/time.$tag" "$bin" import --json "${progress[@]}" "$2" > "$work/rep.$tag.json" \
    2> >(if [[ -n "${PROGRESS:-}" ]]; then while IFS= read -r l; do echo "$(date -u +%T) $l"; done > "$PROGRESS/$tag.log"; else cat >&2; fi)
  read -r secs kb < "$work/time.$tag"
  recs=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["records"])' "$work/rep.$tag.json")
  printf '| %s | %d | %.1f | %.0f | %.1f |\n' "$1" "$recs" "$secs" "$(echo "$recs / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
  echo "<!-- $(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg) -->"
}
if [[ -n "${PROGRESS:-}" ]]; then
  # Peak RSS so far of each running import, every 30 s, for a run stopped
  # before its end (/usr/bin/time reports it only at the end).
  mkdir -p "$PROGRESS"
  (while sleep 30; do
    for pid in $(pgrep -f -- "^[^ ]*scamgraph import --json .*$work/bench\\." || true); do
      echo "$(date -u +%T) $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -o 'bench\.[a-z.]*') $(grep VmHWM "/proc/$pid/status" 2>/dev/null)"
    done
  done) > "$PROGRESS/rss.log" 2>/dev/null &
  sampler=$!
  trap 'kill "$sampler" 2>/dev/null; rm -rf "$work"' EXIT
fi
echo "<!-- $(date -u '+%Y-%m-%d %H:%M:%S') UTC, N=$n, load average $(cut -d' ' -f1-3 /proc/loadavg) -->"
echo "| import | records | seconds | records/s | peak RSS (MiB) |"
echo "|---|---:|---:|---:|---:|"
pass=first
if [[ "${AGAIN_ONLY:-0}" == 1 ]]; then
  pass=again # the Neo4j already holds both first imports (an earlier run)
fi
if [[ "${TOGETHER:-0}" == 1 ]]; then
  # The schema first: two imports applying it at once into a fresh Neo4j
  # race (EquivalentSchemaRuleAlreadyExists).
  "$bin" migrate > /dev/null 2>&1
  run "NDJSON (baseline), $pass, together with FtM" "$work/bench.ndjson" "nd-$pass" > "$work/nd.row" &
  p1=$!
  run "FtM, $pass, together with NDJSON" "$work/bench.ftm.json" "ftm-$pass" > "$work/ftm.row" &
  p2=$!
  wait "$p1" "$p2"
  cat "$work/nd.row" "$work/ftm.row"
elif [[ "$pass" == again ]]; then
  :
elif [[ "${FTM_FIRST:-0}" == 1 ]]; then
  run "FtM, first" "$work/bench.ftm.json" ftm1
  run "NDJSON (baseline), first" "$work/bench.ndjson" nd1
else
  run "NDJSON (baseline), first" "$work/bench.ndjson" nd1
  run "FtM, first" "$work/bench.ftm.json" ftm1
fi
if [[ "${AGAIN:-1}" != 0 && ! ( "$pass" == again && "${TOGETHER:-0}" == 1 ) ]]; then
  run "NDJSON (baseline), again" "$work/bench.ndjson" nd2
  run "FtM, again" "$work/bench.ftm.json" ftm2
fi
