#!/usr/bin/env bash
# Build, start and stop the embedded Neo4j (tools/neo4j-embedded) used by scamgraph for dev and tests.
#
#   scripts/neo4j.sh build
#   scripts/neo4j.sh start --data-dir DIR --port PORT [--pidfile F] [--log F] [--supervise [--owner PID]...]
#   scripts/neo4j.sh supervise --data-dir DIR --port PORT [--pidfile F] [--log F] [--owner PID]...
#   scripts/neo4j.sh stop --pidfile F
#   scripts/neo4j.sh status --pidfile F
#   scripts/neo4j.sh freeport
#   scripts/neo4j.sh memory       what NEO4J_HEAP=auto and NEO4J_PAGECACHE=auto come to on this machine
#   scripts/neo4j.sh bulk-import --data-dir DIR (--from FILES_DIR | --check)
#
# bulk-import builds the store of DIR's database offline (Neo4j must not be running on DIR) from the
# neo4j-admin files `scamgraph import --bulk --out FILES_DIR` wrote: Neo4j's own batch importer
# (neo4j-admin database import full), then our schema; docs/import-bulk.md. It refuses a database that
# holds any node; --check only checks that (exit 0: absent or empty, 5: not). NEO4J_BULK_OFF_HEAP caps the importer's off-heap memory (default 2g),
# NEO4J_BULK_OPTS adds neo4j-admin options (e.g. --threads=2).
#
# start --supervise runs `supervise` in the background and returns once Neo4j is ready, like start.
# supervise (in the foreground) restarts the JVM with backoff whenever it dies (a crash, SIGKILL, an
# OutOfMemoryError: the JVM runs with -XX:+ExitOnOutOfMemoryError), logging why; it does not restart a
# JVM that exited 0 (asked to stop) or 2 (bad configuration). SIGTERM/SIGINT to the supervisor, or
# `stop --pidfile F`, stops the JVM and the supervisor. F holds the JVM's pid, F.supervisor the
# supervisor's. The supervisor also stops the JVM and exits when an owner dies (checked every
# second), even by SIGKILL: --owner PID, repeatable; start --supervise makes its own caller the owner
# unless given --owner (--owner 0: none). The JVM gets SIGTERM should the supervisor itself be killed.
#
# Environment:
#   NEO4J_PASSWORD        password of user `neo4j` (>= 8 chars), default scamgraph-dev-password.
#                         Passed to the JVM via the environment only, never on a command line.
#   NEO4J_HEAP            JVM -Xmx (default 1g);  NEO4J_HEAP_INITIAL  JVM -Xms (default 256m)
#                         NEO4J_HEAP=auto / NEO4J_PAGECACHE=auto: sized for this machine (resolve_memory;
#                         make run's default): heap 1/8 of RAM within 1-8 GiB, page cache 1/4 within 0.5-16 GiB
#   NEO4J_JAVA_OPTS       extra JVM options
#   NEO4J_TX_TIMEOUT, NEO4J_TX_MEMORY_MAX, NEO4J_PAGECACHE   read by the launcher itself (60s / 512m / 256m)
#   NEO4J_START_TIMEOUT   seconds to wait for readiness (default 120)
#   NEO4J_STOP_TIMEOUT    seconds to wait after SIGTERM before SIGKILL (default 60)
#   NEO4J_RESTART_BACKOFF      supervise: first delay before a restart, seconds (default 1); it doubles
#                              after each death up to NEO4J_RESTART_BACKOFF_MAX (default 30), and goes
#                              back to the first once the JVM stayed up NEO4J_RESTART_RESET seconds (60)
#   JAVA_HOME / JAVA      which java to use (needs 17+)
#   MVN                   which maven to use (default mvn)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PROJ="$ROOT/tools/neo4j-embedded"
TARGET="$PROJ/target"
JAR="$TARGET/neo4j-embedded.jar"
LIB="$TARGET/lib"
STAMP="$TARGET/.build-stamp"
MAIN_CLASS="io.scamgraph.Launcher"
READY_RE='^neo4j-embedded ready '

export NEO4J_PASSWORD="${NEO4J_PASSWORD:-scamgraph-dev-password}"

die() { echo "neo4j.sh: $*" >&2; exit 1; }

usage() {
  sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

find_java() {
  if [[ -n "${JAVA:-}" ]]; then
    echo "$JAVA"
  elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    echo "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  elif [[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]]; then
    echo /usr/lib/jvm/java-17-openjdk-amd64/bin/java
  else
    die "no java found (need Java 17+; set JAVA_HOME)"
  fi
}

# True when the jar or the copied dependencies are missing, or pom.xml / src changed since the last build.
needs_build() {
  [[ -f "$JAR" && -f "$STAMP" && -d "$LIB" ]] || return 0
  [[ -n "$(ls -A "$LIB" 2>/dev/null)" ]] || return 0
  [[ -n "$(find "$PROJ/pom.xml" "$PROJ/src" -newer "$STAMP" -print -quit 2>/dev/null)" ]] && return 0
  return 1
}

cmd_build() {
  if ! needs_build; then
    return 0
  fi
  # Several starts (parallel test packages) may race to build; serialise them and re-check under the lock.
  mkdir -p "$TARGET"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$TARGET/.build.lock"
    flock -w 600 9 || die "timed out waiting for another build (lock $TARGET/.build.lock)"
    if ! needs_build; then
      exec 9>&-
      return 0
    fi
  fi
  local mvn="${MVN:-mvn}"
  command -v "$mvn" >/dev/null 2>&1 || die "maven ($mvn) not found"
  local log
  log="$(mktemp "${TMPDIR:-/tmp}/neo4j-build.XXXXXX")"
  echo "neo4j.sh: building $JAR" >&2
  # Offline first (fast, works without network once ~/.m2 is warm), online as fallback.
  if ! "$mvn" -q -B -o -f "$PROJ/pom.xml" package -DskipTests >"$log" 2>&1; then
    echo "neo4j.sh: offline build failed, retrying online (first build downloads ~145 MB)" >&2
    if ! "$mvn" -q -B -f "$PROJ/pom.xml" package -DskipTests >"$log" 2>&1; then
      tail -n 40 "$log" >&2
      rm -f "$log"
      die "maven build failed"
    fi
  fi
  rm -f "$log"
  [[ -f "$JAR" ]] || die "build finished but $JAR is missing"
  touch "$STAMP"
  exec 9>&-
}

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# Guard against a recycled PID: only signal processes that are our launcher.
is_launcher() {
  local pid="$1"
  [[ -r "/proc/$pid/cmdline" ]] || return 0  # no /proc: trust the pidfile
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$MAIN_CLASS"
}

read_pid() {
  local f="$1"
  [[ -f "$f" ]] || return 0
  local pid
  pid="$(tr -dc '0-9' <"$f")"
  echo "$pid"
}

# parse_start_args CMD ARGS...: sets data_dir port pidfile logfile supervise (globals of the caller).
parse_start_args() {
  local cmd="$1"
  shift
  data_dir="" port="" pidfile="" logfile="" supervise="" owners=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --data-dir) data_dir="${2:-}"; shift 2 ;;
      --port) port="${2:-}"; shift 2 ;;
      --pidfile) pidfile="${2:-}"; shift 2 ;;
      --log) logfile="${2:-}"; shift 2 ;;
      --data-dir=*) data_dir="${1#*=}"; shift ;;
      --port=*) port="${1#*=}"; shift ;;
      --pidfile=*) pidfile="${1#*=}"; shift ;;
      --log=*) logfile="${1#*=}"; shift ;;
      --supervise) [[ "$cmd" == start ]] || die "$cmd: unknown argument: $1"; supervise=1; shift ;;
      --owner|--owner=*)
        local o
        if [[ "$1" == --owner ]]; then o="${2:-}"; shift 2; else o="${1#*=}"; shift; fi
        [[ "$o" =~ ^[0-9]+$ ]] || die "$cmd: --owner must be a pid: $o"
        owners+=("$o") ;;
      *) die "$cmd: unknown argument: $1" ;;
    esac
  done
  [[ -n "$data_dir" ]] || die "$cmd: --data-dir is required"
  [[ -n "$port" ]] || die "$cmd: --port is required"
  [[ "$port" =~ ^[0-9]+$ ]] || die "$cmd: --port must be a number: $port"
  if ((${#owners[@]} > 0)) && [[ "$cmd" == start && -z "$supervise" ]]; then
    die "start: --owner goes with --supervise"
  fi
  [[ ${#NEO4J_PASSWORD} -ge 8 ]] || die "NEO4J_PASSWORD must be at least 8 characters"

  mkdir -p "$data_dir"
  data_dir="$(cd "$data_dir" && pwd -P)"
  pidfile="${pidfile:-$data_dir/neo4j-embedded.pid}"
  logfile="${logfile:-$data_dir/neo4j-embedded.log}"
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
  pidfile="$(cd "$(dirname "$pidfile")" && pwd -P)/$(basename "$pidfile")"
  logfile="$(cd "$(dirname "$logfile")" && pwd -P)/$(basename "$logfile")"

  local old
  old="$(read_pid "$pidfile")"
  if pid_alive "$old" && is_launcher "$old"; then
    die "already running with pid $old (pidfile $pidfile)"
  fi
  old="$(read_pid "$pidfile.supervisor")"
  if pid_alive "$old" && is_supervisor "$old"; then
    die "a supervisor is already running with pid $old (pidfile $pidfile.supervisor)"
  fi
}

# resolve_memory: NEO4J_HEAP=auto and NEO4J_PAGECACHE=auto become sizes for
# this machine's memory (MemTotal, or the cgroup's limit when lower;
# NEO4J_MEMTOTAL_KB overrides both, for tests). The rule (docs/deploy.md):
# heap 1/8 of it within 1-8 GiB, page cache 1/4 within 512 MiB-16 GiB, both
# in whole 256 MiB. The other 5/8 stay for the OS's file cache, the service,
# and, on a workstation, everything else; the transaction memory cap stays
# at most half the heap (the launcher caps it), GDS projections live in the
# heap. On a 24 GiB machine: heap 3 GiB, page cache 6 GiB.
resolve_memory() {
  local kb limit mb heap pc
  kb="${NEO4J_MEMTOTAL_KB:-}"
  if [[ -z "$kb" ]]; then
    kb="$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || echo 4194304)"
    limit="$(cat /sys/fs/cgroup/memory.max 2>/dev/null || echo max)"
    if [[ "$limit" =~ ^[0-9]+$ ]] && (( limit / 1024 < kb )); then
      kb=$(( limit / 1024 ))
    fi
  fi
  mb=$(( kb / 1024 ))
  if [[ "${NEO4J_HEAP:-}" == auto ]]; then
    heap=$(( mb / 8 / 256 * 256 ))
    (( heap < 1024 )) && heap=1024
    (( heap > 8192 )) && heap=8192
    export NEO4J_HEAP="${heap}m"
  fi
  if [[ "${NEO4J_PAGECACHE:-}" == auto ]]; then
    pc=$(( mb / 4 / 256 * 256 ))
    (( pc < 512 )) && pc=512
    (( pc > 16384 )) && pc=16384
    export NEO4J_PAGECACHE="${pc}m"
  fi
}

cmd_memory() {
  NEO4J_HEAP=auto NEO4J_PAGECACHE=auto
  resolve_memory
  echo "NEO4J_HEAP=$NEO4J_HEAP NEO4J_PAGECACHE=$NEO4J_PAGECACHE"
}

# jvm_command: the launcher's command line, in the global array JVM_CMD.
jvm_command() {
  local java
  java="$(find_java)"
  resolve_memory
  local -a jvm=(
    "-Xms${NEO4J_HEAP_INITIAL:-256m}" "-Xmx${NEO4J_HEAP:-1g}"
    -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:-OmitStackTraceInFastThrow
    --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/java.lang=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    -Dio.netty.tryReflectionSetAccessible=true
    -Djdk.nio.maxCachedBufferSize=1024
    -Dlog4j2.disable.jmx=true
  )
  if [[ -n "${NEO4J_JAVA_OPTS:-}" ]]; then
    # shellcheck disable=SC2206 # word splitting intended
    jvm+=(${NEO4J_JAVA_OPTS})
  fi

  JVM_CMD=("$java" "${jvm[@]}" -cp "$JAR:$LIB/*" "$MAIN_CLASS" --data-dir "$data_dir" --bolt-port "$port")
}

cmd_start() {
  local data_dir port pidfile logfile supervise owners
  parse_start_args start "$@"
  cmd_build
  jvm_command

  : >"$logfile"
  local pid
  # stdin/stdout/stderr all detached from the caller so `$(scripts/neo4j.sh start ...)` does not hang.
  if [[ -n "$supervise" ]]; then
    rm -f "$pidfile"
    # Whoever asked for the start owns the supervisor, unless told otherwise.
    ((${#owners[@]} > 0)) || owners=("$PPID")
    local -a owner_args=()
    local o
    for o in "${owners[@]}"; do
      ((o == 0)) || owner_args+=(--owner "$o")
    done
    nohup "${BASH_SOURCE[0]}" supervise --data-dir "$data_dir" --port "$port" --pidfile "$pidfile" \
      --log "$logfile" "${owner_args[@]}" </dev/null >/dev/null 2>&1 &
    pid=$!
    # The checks below watch the supervisor (it outlives the JVM's deaths); wait until it wrote the
    # JVM's pid, which is what `stop` and the tests signal.
    local waited=0
    until [[ -s "$pidfile" ]] || ! pid_alive "$pid" || ((waited > 100)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    pid_alive "$pid" || { tail -n 20 "$logfile" >&2; die "the supervisor exited at once"; }
  else
    nohup "${JVM_CMD[@]}" </dev/null >>"$logfile" 2>&1 &
    pid=$!
    echo "$pid" >"$pidfile"
  fi

  local timeout="${NEO4J_START_TIMEOUT:-120}"
  local deadline=$((SECONDS + timeout))
  while :; do
    if grep -q "$READY_RE" "$logfile" 2>/dev/null; then
      grep -m1 "$READY_RE" "$logfile" | sed "s/$READY_RE//"
      return 0
    fi
    if ! pid_alive "$pid"; then
      local rc=0
      wait "$pid" 2>/dev/null || rc=$?
      rm -f "$pidfile"
      echo "neo4j.sh: neo4j-embedded exited (rc=$rc) before becoming ready; last lines of $logfile:" >&2
      tail -n 40 "$logfile" >&2
      echo "neo4j.sh: Neo4j's own log: $data_dir/logs/debug.log" >&2
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      echo "neo4j.sh: neo4j-embedded not ready after ${timeout}s; stopping it. Last lines of $logfile:" >&2
      tail -n 40 "$logfile" >&2
      echo "neo4j.sh: Neo4j's own log: $data_dir/logs/debug.log" >&2
      stop_pid "$pid" 10 || true
      rm -f "$pidfile"
      exit 1
    fi
    sleep 0.2
  done
}

is_supervisor() {
  local pid="$1"
  [[ -r "/proc/$pid/cmdline" ]] || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "neo4j.sh supervise"
}

# cmd_supervise: run the JVM in the foreground and restart it when it dies.
cmd_supervise() {
  local data_dir port pidfile logfile supervise owners
  parse_start_args supervise "$@"
  cmd_build
  jvm_command
  echo "$$" >"$pidfile.supervisor"
  # The JVM gets SIGTERM if the supervisor dies without stopping it (SIGKILL).
  if command -v setpriv >/dev/null 2>&1; then
    JVM_CMD=(setpriv --pdeathsig TERM -- "${JVM_CMD[@]}")
  fi

  local initial="${NEO4J_RESTART_BACKOFF:-1}" max="${NEO4J_RESTART_BACKOFF_MAX:-30}"
  local reset="${NEO4J_RESTART_RESET:-60}"
  local delay="$initial" restarts=0 jvm="" stopping=""
  event() {
    local line
    line="neo4j.sh supervise: $(date -u +%Y-%m-%dT%H:%M:%SZ) $*"
    echo "$line" >>"$logfile"
    echo "$line" >&2
  }
  on_stop() {
    stopping=1
    if pid_alive "$jvm"; then
      kill -TERM "$jvm" 2>/dev/null || true
    fi
  }
  trap on_stop TERM INT
  # The owner watch: a subshell that polls the owners and, once one is gone, asks this supervisor to
  # stop (SIGUSR1, then the stop path of SIGTERM). It ends with the supervisor.
  local watcher="" gone_owner="" o
  local -a watch=()
  for o in "${owners[@]}"; do
    ((o == 0)) || watch+=("$o")
  done
  if ((${#watch[@]} > 0)); then
    on_owner_gone() {
      gone_owner=1
      on_stop
    }
    trap on_owner_gone USR1
    local me=$$
    (
      trap - TERM INT USR1
      while kill -0 "$me" 2>/dev/null; do
        for o in "${watch[@]}"; do
          if ! kill -0 "$o" 2>/dev/null; then
            event "owner pid $o is gone; stopping"
            kill -USR1 "$me" 2>/dev/null
            exit 0
          fi
        done
        sleep 1
      done
    ) </dev/null >/dev/null 2>&1 &
    watcher=$!
    event "watching owner pid(s) ${watch[*]}"
  fi
  while :; do
    if [[ -n "$stopping" ]]; then
      event "stopped before a start (the owner is gone, or asked to stop)"
      break
    fi
    local offset began rc=0
    offset="$(stat -c %s "$logfile" 2>/dev/null || echo 0)"
    began=$SECONDS
    "${JVM_CMD[@]}" </dev/null >>"$logfile" 2>&1 &
    jvm=$!
    echo "$jvm" >"$pidfile"
    [[ -z "$stopping" ]] || kill -TERM "$jvm" 2>/dev/null || true
    event "started neo4j-embedded pid $jvm (bolt port $port, restarts so far $restarts)"
    # wait returns early when a trapped signal arrives; wait again until the JVM is gone.
    while :; do
      rc=0
      wait "$jvm" 2>/dev/null || rc=$?
      pid_alive "$jvm" || break
      if [[ -n "$stopping" ]]; then
        stop_pid "$jvm" "${NEO4J_STOP_TIMEOUT:-60}" || true
      fi
    done
    if [[ -n "$stopping" ]]; then
      if [[ -n "$gone_owner" ]]; then
        event "stopped: the owner is gone (neo4j-embedded pid $jvm exited with rc=$rc)"
      else
        event "stopped on request (neo4j-embedded pid $jvm exited with rc=$rc)"
      fi
      break
    fi
    local why="rc=$rc"
    if ((rc > 128)); then
      why="$why (signal $(kill -l $((rc - 128)) 2>/dev/null || echo $((rc - 128))))"
    fi
    local oom
    oom="$(tail -c +"$((offset + 1))" "$logfile" 2>/dev/null | grep -a -m1 -E 'OutOfMemoryError' || true)"
    [[ -n "$oom" ]] && why="$why, $oom"
    if ((rc == 0)); then
      event "neo4j-embedded pid $jvm exited normally ($why); not restarting"
      break
    fi
    if ((rc == 2)); then
      event "neo4j-embedded pid $jvm exited on a configuration error ($why); not restarting"
      break
    fi
    if ((SECONDS - began >= reset)); then
      delay="$initial"
    fi
    restarts=$((restarts + 1))
    event "neo4j-embedded pid $jvm died after $((SECONDS - began))s: $why; restart $restarts in ${delay}s"
    sleep "$delay" &
    wait $! 2>/dev/null || true
    if [[ -n "$stopping" ]]; then
      event "stopped on request while waiting to restart"
      break
    fi
    delay=$((delay * 2 > max ? max : delay * 2))
  done
  if [[ -n "$watcher" ]]; then
    kill "$watcher" 2>/dev/null || true
  fi
  rm -f "$pidfile" "$pidfile.supervisor"
}

# stop_pid PID TIMEOUT: SIGTERM, wait, SIGKILL.
stop_pid() {
  local pid="$1" timeout="$2"
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + timeout))
  while pid_alive "$pid"; do
    if ((SECONDS >= deadline)); then
      echo "neo4j.sh: pid $pid still alive after ${timeout}s, sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      return 1
    fi
    sleep 0.2
  done
  return 0
}

cmd_stop() {
  local pidfile=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --pidfile) pidfile="${2:-}"; shift 2 ;;
      --pidfile=*) pidfile="${1#*=}"; shift ;;
      *) die "stop: unknown argument: $1" ;;
    esac
  done
  [[ -n "$pidfile" ]] || die "stop: --pidfile is required"
  local pid
  pid="$(read_pid "$pidfile.supervisor")"
  if pid_alive "$pid" && is_supervisor "$pid"; then
    # The supervisor stops the JVM (SIGTERM, then SIGKILL after NEO4J_STOP_TIMEOUT) and exits.
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + ${NEO4J_STOP_TIMEOUT:-60} + 10))
    while pid_alive "$pid"; do
      if ((SECONDS >= deadline)); then
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.2
    done
    echo "neo4j.sh: stopped supervisor pid $pid" >&2
  fi
  rm -f "$pidfile.supervisor"
  pid="$(read_pid "$pidfile")"
  if ! pid_alive "$pid"; then
    echo "neo4j.sh: not running (pidfile $pidfile)" >&2
    rm -f "$pidfile"
    return 0
  fi
  if ! is_launcher "$pid"; then
    # The JVM died without cleaning up (its supervisor was killed) and the pid went to another process.
    echo "neo4j.sh: pid $pid from $pidfile is not $MAIN_CLASS (a stale pidfile); not touching it" >&2
    rm -f "$pidfile"
    return 0
  fi
  local rc=0
  stop_pid "$pid" "${NEO4J_STOP_TIMEOUT:-60}" || rc=$?
  rm -f "$pidfile"
  if [[ $rc -ne 0 ]]; then
    echo "neo4j.sh: stopped pid $pid with SIGKILL" >&2
  else
    echo "neo4j.sh: stopped pid $pid" >&2
  fi
}

cmd_status() {
  local pidfile=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --pidfile) pidfile="${2:-}"; shift 2 ;;
      --pidfile=*) pidfile="${1#*=}"; shift ;;
      *) die "status: unknown argument: $1" ;;
    esac
  done
  [[ -n "$pidfile" ]] || die "status: --pidfile is required"
  local pid
  pid="$(read_pid "$pidfile")"
  if pid_alive "$pid" && is_launcher "$pid"; then
    echo "running pid $pid"
  else
    echo "not running"
    return 1
  fi
}

# cmd_bulk_import: io.scamgraph.BulkImport on DIR with the files of FILES_DIR (see the header).
cmd_bulk_import() {
  local data_dir="" from="" check=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --check) check=1; shift ;;
      --data-dir) data_dir="${2:-}"; shift 2 ;;
      --from) from="${2:-}"; shift 2 ;;
      --data-dir=*) data_dir="${1#*=}"; shift ;;
      --from=*) from="${1#*=}"; shift ;;
      *) die "bulk-import: unknown argument: $1" ;;
    esac
  done
  [[ -n "$data_dir" && ( -n "$from" || -n "$check" ) ]] || die "bulk-import: --data-dir and --from (or --check) are required"
  mkdir -p "$data_dir"
  data_dir="$(cd "$data_dir" && pwd -P)"
  cmd_build
  # The launcher's JVM and its options, without its main class and arguments (the last 7 words).
  local port=0
  jvm_command
  local -a cmd=("${JVM_CMD[@]:0:${#JVM_CMD[@]}-7}" -cp "$JAR:$LIB/*" io.scamgraph.BulkImport --data-dir "$data_dir")
  if [[ -n "$check" ]]; then
    "${cmd[@]}" --check </dev/null
    return
  fi
  [[ -f "$from/import.args" ]] || die "bulk-import: $from/import.args is missing (write it with scamgraph import --bulk --out $from)"
  from="$(cd "$from" && pwd -P)"
  cmd+=(--args "$from/import.args")
  [[ -f "$from/schema.cypher" ]] && cmd+=(--schema "$from/schema.cypher")
  cmd+=(-- "--max-off-heap-memory=${NEO4J_BULK_OFF_HEAP:-2g}")
  if [[ -n "${NEO4J_BULK_OPTS:-}" ]]; then
    # shellcheck disable=SC2206 # word splitting intended
    cmd+=(${NEO4J_BULK_OPTS})
  fi
  "${cmd[@]}" </dev/null
}

cmd_freeport() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  die "freeport: no free port found"
}

main() {
  local sub="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$sub" in
    build) cmd_build "$@" ;;
    start) cmd_start "$@" ;;
    supervise) cmd_supervise "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    freeport) cmd_freeport "$@" ;;
    memory) cmd_memory "$@" ;;
    bulk-import) cmd_bulk_import "$@" ;;
    -h|--help|help) usage ;;
    *) usage; exit 2 ;;
  esac
}

# On one line with main: a running script never reads past it, should the file change meanwhile.
main "$@"; exit
