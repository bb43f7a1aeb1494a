#!/usr/bin/env bash
# Chaos drill against a running local cluster (scripts/local-cluster.sh start N): while orders keep being
# produced, every interval one action picked by a seeded generator:
#   kill -9 a random worker | kill -9 the leader | SIGSTOP a worker past the session timeout, then SIGCONT
#   | restart ZooKeeper | restart the Kafka broker | stop the broker past the producers' delivery timeout
#   (kafka.producer.delivery.timeout.ms of the config, +3 s), then start it | hang one worker's handler on
#   one of its regions for shutdown.timeout.ms + 5 s and drain that worker meanwhile (needs handler=chaos and
#   handler.config.chaos.trigger.dir, as config/three-workers.properties sets; the drain must end within
#   shutdown.timeout.ms + 10 s) | restart a killed worker
# Then it stops acting, restarts the killed workers, waits until every order is invoiced or dead-lettered,
# runs 'shardwork verify' (with --history when the config sets history.dir) and prints the verdict.
#
#   scripts/chaos.sh [--duration S] [--interval S] [--seed N] [--rate R]
#
# Same seed, same schedule of actions. Exit: 0 verdict ok, 3 loss/conflict/order violation, 2 usage or no
# cluster running, 1 another failure. Environment: LOCAL_CLUSTER_CONFIG, LOCAL_CLUSTER_DIR (as local-cluster.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIG="${LOCAL_CLUSTER_CONFIG:-$ROOT/config/three-workers.properties}"
DIR="${LOCAL_CLUSTER_DIR:-$ROOT/run/local-cluster}"
SHARDWORK="$ROOT/scripts/shardwork"
export SHARDWORK_NO_BUILD=1

DURATION=120
INTERVAL=10
SEED=1
RATE=400
DRAIN_SECONDS=300

usage() { sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="${2:?}"; shift 2 ;;
    --interval) INTERVAL="${2:?}"; shift 2 ;;
    --seed) SEED="${2:?}"; shift 2 ;;
    --rate) RATE="${2:?}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "chaos: unknown argument '$1'" >&2; usage ;;
  esac
done
for n in "$DURATION" "$INTERVAL" "$SEED" "$RATE"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "chaos: --duration, --interval, --seed and --rate take whole numbers, not '$n'" >&2; exit 2; }
done
(( INTERVAL >= 1 && RATE >= 1 )) || { echo "chaos: --interval and --rate must be at least 1" >&2; exit 2; }

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
log() { echo "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)  $*" | tee -a "$DIR/chaos.log"; }
config_value() { sed -n "s/^$1=//p" "$CONFIG" | tail -1; }

alive "$DIR/dev-cluster.pid" || { echo "chaos: no local cluster runs in $DIR; start one: scripts/local-cluster.sh start 3" >&2; exit 2; }
DEV_PID="$(cat "$DIR/dev-cluster.pid")"
SESSION_MS="$(config_value zookeeper.session.timeout.ms)"; SESSION_MS="${SESSION_MS:-6000}"
HISTORY_DIR="$(config_value history.dir)"
DELIVERY_MS="$(config_value kafka.producer.delivery.timeout.ms)"; DELIVERY_MS="${DELIVERY_MS:-120000}"
SHUTDOWN_MS="$(config_value shutdown.timeout.ms)"; SHUTDOWN_MS="${SHUTDOWN_MS:-30000}"
TRIGGER_DIR="$(config_value handler.config.chaos.trigger.dir)"
[[ -z "$TRIGGER_DIR" || "$TRIGGER_DIR" == /* ]] || TRIGGER_DIR="$ROOT/$TRIGGER_DIR"
RANDOM="$SEED"

workers() { for f in "$DIR"/worker-*.pid; do [[ -e "$f" ]] && basename "$f" .pid; done | sort -V; }
alive_workers() { for w in $(workers); do alive "$DIR/$w.pid" && echo "$w"; done; true; }
dead_workers() { for w in $(workers); do alive "$DIR/$w.pid" || echo "$w"; done; true; }
# sets PICKED to one of its arguments; runs in this shell, not a subshell (bash reseeds RANDOM in subshells)
pick() { (( $# > 0 )) || return 1; local items=("$@"); PICKED="${items[$((RANDOM % $#))]}"; }
leader() { "$SHARDWORK" status --config "$CONFIG" --json 2>/dev/null | sed -n 's/^  "leader" : "\(.*\)",$/\1/p'; }
held_region() { "$SHARDWORK" status --config "$CONFIG" --json 2>/dev/null | awk -v w="$1" -F'"' '/"name" :/ {name=$4} /"claimed_by" :/ && $4 == w {print name; exit}'; }

hang_and_drain() { # worker: its handler hangs on one of its regions past shutdown.timeout.ms while it is drained
  local region hang_ms trigger began waited
  [[ -n "$TRIGGER_DIR" ]] || { log "hang a handler: the config sets no handler.config.chaos.trigger.dir"; return 0; }
  region="$(held_region "$1")"
  [[ -n "$region" ]] || { log "hang a handler: $1 holds no region"; return 0; }
  hang_ms=$(( SHUTDOWN_MS + 5000 ))
  mkdir -p "$TRIGGER_DIR"
  trigger="$TRIGGER_DIR/hang-$1"
  printf 'region=%s\nms=%s\n' "$region" "$hang_ms" >"$trigger"
  waited=0
  while [[ -e "$trigger" ]] && (( waited < 100 )); do sleep 0.1; waited=$(( waited + 1 )); done
  if [[ -e "$trigger" ]]; then rm -f "$trigger"; log "hang a handler: $1 handled no order of $region within 10 s"; return 0; fi
  log "hang: $1's handler blocks on $region for ${hang_ms} ms; drain $1 meanwhile"
  began=$SECONDS
  if "$SHARDWORK" drain --config "$CONFIG" --worker "$1" --timeout $(( SHUTDOWN_MS / 1000 + 10 )) >>"$DIR/chaos-drain.log" 2>&1; then
    log "drain of $1 finished in $(( SECONDS - began )) s (bound: shutdown.timeout.ms + 10 s)"
  else
    log "drain of $1 did NOT finish within $(( SHUTDOWN_MS / 1000 + 10 )) s"
  fi
  "$SHARDWORK" undrain --config "$CONFIG" --worker "$1" >>"$DIR/chaos-drain.log" 2>&1 || log "undrain of $1 failed"
}

start_worker() {
  (cd "$ROOT" && exec "$SHARDWORK" worker --config "$CONFIG" --id "$1") >>"$DIR/$1.log" 2>&1 &
  echo $! >"$DIR/$1.pid"
}

kill_worker() { # worker, why
  local pid; pid="$(cat "$DIR/$1.pid")"
  kill -KILL "$pid" 2>/dev/null || true
  log "kill -9 $1 (pid $pid)$2"
}

act() {
  local action=$((RANDOM % 8)) victim
  local up; up=($(alive_workers))
  # never take the last worker away: fall back to restarting a killed one
  if (( ${#up[@]} <= 1 )) && (( action <= 2 )); then action=5; fi
  case "$action" in
    0) pick "${up[@]}" && kill_worker "$PICKED" "" ;;
    1) victim="$(leader)"
       if [[ -n "$victim" && -f "$DIR/$victim.pid" ]] && alive "$DIR/$victim.pid"; then kill_worker "$victim" " (the leader)"
       else log "kill -9 the leader: no live leader to kill"; fi ;;
    2) pick "${up[@]}" || return 0
       victim="$PICKED"
       local pid; pid="$(cat "$DIR/$victim.pid")"
       local pause=$(( SESSION_MS / 1000 + 3 ))
       kill -STOP "$pid"; log "SIGSTOP $victim (pid $pid) for ${pause} s, past the ${SESSION_MS} ms session: a zombie"
       sleep "$pause"
       kill -CONT "$pid" 2>/dev/null || true; log "SIGCONT $victim (pid $pid)" ;;
    3) kill -USR1 "$DEV_PID"; log "restart ZooKeeper" ;;
    4) kill -HUP "$DEV_PID"; log "restart the Kafka broker" ;;
    6) local outage=$(( DELIVERY_MS / 1000 + 3 ))
       kill -USR2 "$DEV_PID"; log "stop the Kafka broker for ${outage} s, past the ${DELIVERY_MS} ms delivery timeout"
       sleep "$outage"
       kill -HUP "$DEV_PID"; log "start the Kafka broker again" ;;
    7) pick "${up[@]}" && hang_and_drain "$PICKED" ;;
    5) local down; down=($(dead_workers))
       pick "${down[@]}" || { log "restart a killed worker: none is down"; return 0; }
       victim="$PICKED"
       start_worker "$victim"; log "restart $victim (pid $(cat "$DIR/$victim.pid"))" ;;
  esac
}

: >"$DIR/chaos.log"
ORDERS=$(( RATE * DURATION ))
log "chaos: seed $SEED, duration ${DURATION} s, interval ${INTERVAL} s, ${ORDERS} orders at ${RATE}/s, config ${CONFIG#$ROOT/}"
# the drill's own producer outlives the broker outages it causes: its copy of the config waits 10 minutes
# before giving a send up (the workers keep the config's short delivery timeout)
PRODUCE_CONFIG="$DIR/chaos-produce.properties"
grep -v '^kafka\.producer\.delivery\.timeout\.ms=' "$CONFIG" >"$PRODUCE_CONFIG"
echo "kafka.producer.delivery.timeout.ms=600000" >>"$PRODUCE_CONFIG"
"$SHARDWORK" produce --config "$PRODUCE_CONFIG" --orders "$ORDERS" --rate "$RATE" --seed "$SEED" >"$DIR/chaos-produce.log" 2>&1 &
PRODUCER=$!

END=$(( SECONDS + DURATION ))
while (( SECONDS + INTERVAL <= END )); do
  sleep "$INTERVAL"
  act
done
log "chaos: acting stopped"
for w in $(dead_workers); do start_worker "$w"; log "restart $w (pid $(cat "$DIR/$w.pid")) for the drain"; done

if ! wait "$PRODUCER"; then
  log "chaos: the producer failed; see $DIR/chaos-produce.log"; tail -3 "$DIR/chaos-produce.log" >&2; exit 1
fi
log "chaos: $(grep "^produced" "$DIR/chaos-produce.log" || tail -1 "$DIR/chaos-produce.log")"

VERIFY=("$SHARDWORK" verify --config "$CONFIG" --json)
[[ -n "$HISTORY_DIR" ]] && VERIFY+=(--history "$HISTORY_DIR")
deadline=$(( SECONDS + DRAIN_SECONDS ))
while :; do
  report="$("${VERIFY[@]}" 2>>"$DIR/chaos-verify.log" || true)"
  [[ "$report" == *'"lost":0'* ]] && break
  if (( SECONDS >= deadline )); then log "chaos: orders still unprocessed after ${DRAIN_SECONDS} s"; break; fi
  sleep 2
done
set +e
report="$("${VERIFY[@]}" 2>>"$DIR/chaos-verify.log")"; code=$?
set -e
log "verify: $report"
if (( code == 0 )); then log "verdict: ok"; else log "verdict: NOT ok (verify exit $code)"; fi
exit "$code"
