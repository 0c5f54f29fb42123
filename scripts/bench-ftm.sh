#!/usr/bin/env bash
# scripts/bench-ftm.sh N: the FtM importer beside our NDJSON importer on the
# same graph. Generates N FtM lines (half persons and companies, half
# ownerships and directorships, relationships first) and the same facts as
# our NDJSON, imports each with bin/scamgraph into the Neo4j of NEO4J_URI
# (empty ids space: ids bench-ftm-*, bench-nd-*), then again (the
# idempotent re-import), and prints seconds, records/s and peak RSS.
# Needs NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD, python3 and /usr/bin/time.
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
run() { # label file
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" import --quiet --json "$2" > "$work/rep.json"
  read -r secs kb < "$work/time"
  recs=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["records"])' "$work/rep.json")
  printf '| %s | %d | %.1f | %.0f | %.1f |\n' "$1" "$recs" "$secs" "$(echo "$recs / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
}
echo "| import | records | seconds | records/s | peak RSS (MiB) |"
echo "|---|---:|---:|---:|---:|"
run "NDJSON (baseline), first" "$work/bench.ndjson"
run "FtM, first" "$work/bench.ftm.json"
run "NDJSON (baseline), again" "$work/bench.ndjson"
run "FtM, again" "$work/bench.ftm.json"
