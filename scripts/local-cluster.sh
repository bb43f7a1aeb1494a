#!/usr/bin/env bash
# A local shardwork cluster in the background: the embedded dev cluster (ZooKeeper + Kafka) and N worker
# JVMs, each a 'scripts/shardwork' process with its log and pid file in one run directory.
#
#   scripts/local-cluster.sh start N [--supervise]
#                                        start the dev cluster, wait until it is ready, start worker-1..worker-N;
#                                        --supervise: each under 'worker --supervise --restart on-failure' (the pid
#                                        file is the supervisor's; kill -9 of its worker child moves the regions
#                                        at once, and the worker is started again)
#   scripts/local-cluster.sh stop        SIGTERM the workers (they release their regions), then the dev cluster
#   scripts/local-cluster.sh status      which processes run, then 'shardwork status'
#
# Environment: LOCAL_CLUSTER_CONFIG (default config/three-workers.properties),
#              LOCAL_CLUSTER_DIR (default run/local-cluster).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIG="${LOCAL_CLUSTER_CONFIG:-$ROOT/config/three-workers.properties}"
DIR="${LOCAL_CLUSTER_DIR:-$ROOT/run/local-cluster}"
SHARDWORK="$ROOT/scripts/shardwork"
READY_SECONDS=120
STOP_SECONDS=30

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

start() {
  local n="$1" supervise=()
  if [[ "${2:-}" == "--supervise" ]]; then
    supervise=(--supervise --restart on-failure)
  elif [[ -n "${2:-}" ]]; then
    usage
  fi
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "local-cluster: N must be a positive number, not '$n'" >&2; exit 2; }
  mkdir -p "$DIR"
  if alive "$DIR/dev-cluster.pid"; then
    echo "local-cluster: already running (pid $(cat "$DIR/dev-cluster.pid")); stop it first" >&2
    exit 1
  fi
  # builds the jar once, here, if it is missing or stale; the workers below then skip the check
  # dev-cluster also applies the cluster definition of $CONFIG when the cluster has none (cluster apply)
  (cd "$ROOT" && exec "$SHARDWORK" dev-cluster --config "$CONFIG") >"$DIR/dev-cluster.log" 2>&1 &
  echo $! >"$DIR/dev-cluster.pid"
  local waited=0
  until grep -q '^ready ' "$DIR/dev-cluster.log" 2>/dev/null; do
    if ! alive "$DIR/dev-cluster.pid"; then
      echo "local-cluster: the dev cluster exited; see $DIR/dev-cluster.log:" >&2
      tail -5 "$DIR/dev-cluster.log" >&2
      rm -f "$DIR/dev-cluster.pid"
      exit 4
    fi
    if (( waited >= READY_SECONDS * 5 )); then
      echo "local-cluster: the dev cluster was not ready within ${READY_SECONDS} s; see $DIR/dev-cluster.log" >&2
      stop
      exit 4
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  echo "$(grep '^ready ' "$DIR/dev-cluster.log")  (pid $(cat "$DIR/dev-cluster.pid"), log $DIR/dev-cluster.log)"
  for i in $(seq 1 "$n"); do
    (cd "$ROOT" && SHARDWORK_NO_BUILD=1 exec "$SHARDWORK" worker --config "$CONFIG" --id "worker-$i" ${supervise[@]+"${supervise[@]}"}) \
      >"$DIR/worker-$i.log" 2>&1 &
    echo $! >"$DIR/worker-$i.pid"
    echo "worker-$i started (pid $!${supervise[*]:+, supervised}, log $DIR/worker-$i.log)"
  done
  echo "watch it:  scripts/shardwork status --config ${CONFIG#$ROOT/} --watch"
}

stop_pid_file() {
  local file="$1" name
  name="$(basename "$file" .pid)"
  if alive "$file"; then
    local pid
    pid="$(cat "$file")"
    kill -TERM "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null && (( waited < STOP_SECONDS * 5 )); do
      sleep 0.2
      waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$name did not stop within ${STOP_SECONDS} s: SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "$name stopped"
  fi
  rm -f "$file"
}

stop() {
  [[ -d "$DIR" ]] || { echo "local-cluster: nothing runs ($DIR does not exist)"; return 0; }
  local workers=()
  for file in "$DIR"/worker-*.pid; do
    [[ -e "$file" ]] && workers+=("$file")
  done
  # the workers first, in parallel: each releases its regions while ZooKeeper and Kafka still run
  for file in "${workers[@]}"; do
    stop_pid_file "$file" &
  done
  wait
  [[ -e "$DIR/dev-cluster.pid" ]] && stop_pid_file "$DIR/dev-cluster.pid"
  return 0
}

status() {
  local any=0
  for file in "$DIR"/dev-cluster.pid "$DIR"/worker-*.pid; do
    [[ -e "$file" ]] || continue
    any=1
    if alive "$file"; then
      echo "$(basename "$file" .pid): running (pid $(cat "$file"))"
    else
      echo "$(basename "$file" .pid): not running (stale pid file $file)"
    fi
  done
  if (( any == 0 )); then
    echo "local-cluster: nothing started (no pid file in $DIR)"
    return 0
  fi
  if alive "$DIR/dev-cluster.pid"; then
    echo
    (cd "$ROOT" && SHARDWORK_NO_BUILD=1 "$SHARDWORK" status --config "$CONFIG")
  fi
}

case "${1:-}" in
  start) [[ $# -eq 2 || $# -eq 3 ]] || usage; start "$2" "${3:-}" ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
