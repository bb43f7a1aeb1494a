#!/usr/bin/env bash
# Benchmarks of shardwork, each measured against a peer in the same run. Not tests: nothing asserts a time.
#
#   scripts/bench.sh [throughput|takeover|handoff|coordination|assigner|slow-handler|all]
#
# throughput    1,000,000 orders over 16 regions (then again over 4), one worker (WorkerNode, and runners alone) vs a raw Kafka
#               loop over the same topic, alternating rounds, medians: noop, billing at-least-once,
#               billing exactly-once; writes bench/results/throughput.json
# takeover      3 worker JVMs under load, 10 x kill -9 and restart; kill to first invoice of each region by
#               its new owner; the same for a Kafka consumer group (classic cooperative-sticky, and the
#               consumer protocol) with the same session timeout; bench/results/takeover.json and .svg
# handoff       a worker joins a loaded cluster, one leaves with SIGTERM: gaps of unmoved regions, pause of
#               moved ones, duplicates; the same for the Kafka group; bench/results/handoff.json
# coordination  ZooKeeper operations per 1,000 orders at 100,000 and 1,000,000 orders (Curator's tracer,
#               3 in-process WorkerNodes); bench/results/coordination.json
# assigner      StickyWeightedAssigner vs Kafka's CooperativeStickyAssignor and the broker's uniform assignor
#               (10,000 regions x 1,000 members, then 100,000 x 10,000); writes bench/results/assigner.json
# slow-handler  billing with a simulated 5 ms wait, 8 regions, one worker (WorkerNode): runner.ordering=region
#               vs key at concurrency 16, 64, 256 (the worker's pool is capped at 1,024 threads), and a peer
#               (a KafkaConsumer per partition, 64 threads, per-key order); orders keyed by customer; per-customer order violations and
#               exactly-once duplicates of key-64; writes bench/results/slow-handler.json
#
# all           each of the above in turn, waiting before each for the load to settle (see settle below).
#
# Sizes (environment): BENCH_ORDERS (throughput, 1000000), BENCH_ROUNDS (5: rounds of one side varied by a factor 1.5 within a run, 3 were too few for a stable median), BENCH_KILLS (10),
# BENCH_RATE (orders/s offered in takeover and handoff, 1000), BENCH_SESSION_MS (4000),
# BENCH_COORD_SMALL (100000), BENCH_COORD_LARGE (1000000),
# BENCH_SLOW_ORDERS (slow-handler, orders per region, 4000: the sequential case takes about 20 s on a quiet machine), BENCH_HEAP (-Xmx512m, the bench JVM, which also
# runs the embedded ZooKeeper and Kafka), BENCH_SKIP_BUILD=1 to use bench/target/bench.jar as it is, BENCH_SETTLE_S (all: the
# longest wait for the load to settle before each benchmark, 180).
# Every run appends a dated row with the machine's description, load average and commit to bench/RESULTS.md;
# every JSON holds the machine, the commit, load_average_start/_end and "quiet" (false, with a warning, when
# the 1-minute load at the start is above 1.5: such a run's ratios are not results; rerun on a quiet machine).
# Exit codes: 0 done, 1 a benchmark failed, 2 unknown benchmark.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
HEAP="${BENCH_HEAP:--Xmx512m}"
JAR=bench/target/bench.jar
BUILT=""
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo -dirty)"

usage() {
  echo "usage: scripts/bench.sh [throughput|takeover|handoff|coordination|assigner|slow-handler|all]" >&2
}

machine() {
  local mem java
  mem="$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo "unknown")"
  java="$(java -version 2>&1 | head -n 1 | tr -d '"')"
  echo "nproc $(nproc), memory ${mem}, ${java}, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
}

record() { # name, summary
  local file="bench/RESULTS.md"
  if [[ ! -f "$file" ]]; then
    printf '# Benchmark runs\n\nOne row per run of scripts/bench.sh; figures in bench/results/*.json.\n\n' > "$file"
    printf '| date (UTC) | benchmark | machine | summary |\n| --- | --- | --- | --- |\n' >> "$file"
  fi
  local json="bench/results/$1.json" quiet=""
  if [[ -f "$json" && "$(jget "$json" quiet)" == "false" ]]; then
    quiet=" [NOT QUIET: load above 1.5 at the start, not a result]"
  fi
  printf '| %s | %s | %s | %s%s (commit %s) |\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$1" "$(machine)" "$2" "$quiet" "$COMMIT" >> "$file"
}

build() {
  if [[ -n "$BUILT" || "${BENCH_SKIP_BUILD:-}" == "1" ]]; then
    return
  fi
  mvn -q -B -pl bench -am package -DskipTests
  mkdir -p bench/results
  BUILT=1
}

# jget FILE KEY: the first value of "KEY": in FILE (the top-level summary keys come first and are unique)
jget() {
  grep -o "\"$2\": \(\"[^\"]*\"\|[^,}]*\)" "$1" | head -n 1 | sed -E "s/\"$2\": //; s/\"//g; s/([0-9]+\.[0-9]{1,2})[0-9]*$/\1/"
}

run_bench() { # class, json, args...
  local class="$1" json="$2"
  shift 2
  java "$HEAP" -XX:+UseParallelGC -Dbench.commit="$COMMIT" -cp "$JAR" "io.shardwork.bench.$class" "$json" "$@"
}

bench_assigner() {
  build
  local f=bench/results/assigner.json
  java "$HEAP" -XX:+UseSerialGC -Dbench.commit="$COMMIT" -jar "$JAR" "$f"
  record assigner "10,000 x 1,000: join $(jget $f assign_ms_median) ms vs sticky $(jget $f peer_assign_ms_median) / uniform $(jget $f uniform_assign_ms_median); cold $(jget $f assign_cold_ms_median) ms vs sticky $(jget $f peer_assign_cold_ms_median) / uniform $(jget $f uniform_assign_cold_ms_median); spread $(jget $f load_spread_in_region_weights) vs $(jget $f peer_load_spread_in_region_weights) / $(jget $f uniform_load_spread_in_region_weights) heaviest weights; 100,000 x 10,000: join $(jget $f large_assign_ms_median) ms vs uniform $(jget $f large_uniform_assign_ms_median), cold $(jget $f large_assign_cold_ms_median) vs $(jget $f large_uniform_assign_cold_ms_median); load $(jget $f load_average)"
}

bench_throughput() {
  build
  local f=bench/results/throughput.json
  run_bench ThroughputBench "$f" "${BENCH_ORDERS:-1000000}" "${BENCH_ROUNDS:-5}"
  record throughput "$(jget $f orders) orders; ratio to raw: noop $(jget $f noop_ratio), billing at-least-once $(jget $f billing_alo_ratio), billing exactly-once $(jget $f billing_eos_ratio) (from the first order: $(jget $f noop_steady_ratio) / $(jget $f billing_alo_steady_ratio) / $(jget $f billing_eos_steady_ratio)); with 4 regions $(jget $f noop_ratio_4_regions) / $(jget $f billing_alo_ratio_4_regions) / $(jget $f billing_eos_ratio_4_regions) (runtime $(jget $f noop_runtime_orders_per_s) / $(jget $f billing_alo_runtime_orders_per_s) / $(jget $f billing_eos_runtime_orders_per_s) orders/s); load $(jget $f load_average)"
}

bench_takeover() {
  build
  local f=bench/results/takeover.json
  run_bench TakeoverBench "$f" "${BENCH_KILLS:-10}" "${BENCH_RATE:-1000}" "${BENCH_SESSION_MS:-4000}"
  record takeover "$(jget $f kills_per_system) kills, session $(jget $f session_timeout_ms) ms: shardwork p50/p99 $(jget $f shardwork_p50_ms)/$(jget $f shardwork_p99_ms) ms; supervised (worker --supervise) $(jget $f supervised_p50_ms)/$(jget $f supervised_p99_ms) ms (first kill max $(jget $f supervised_first_kill_max_ms), later kills p99 $(jget $f supervised_after_first_kill_p99_ms)); Kafka group classic $(jget $f kafka_group_classic_p50_ms)/$(jget $f kafka_group_classic_p99_ms) ms, consumer protocol $(jget $f kafka_group_consumer_p50_ms)/$(jget $f kafka_group_consumer_p99_ms) ms; load $(jget $f load_average)"
}

bench_handoff() {
  build
  local f=bench/results/handoff.json
  run_bench HandoffBench "$f" "${BENCH_RATE:-1000}" "${BENCH_SESSION_MS:-4000}"
  record handoff "shardwork: unmoved max gap $(jget $f unmoved_max_gap_ms) ms (baseline $(jget $f baseline_max_gap_ms)), beyond its orders' gap $(jget $f unmoved_max_extra_gap_ms) ms (baseline $(jget $f baseline_max_extra_gap_ms)), pause p99 join $(jget $f join_pause_p99_ms) / leave $(jget $f leave_pause_p99_ms) ms, duplicates $(jget $f duplicates); Kafka group classic: $(jget $f kafka_group_unmoved_max_gap_ms) ms (beyond its orders' $(jget $f kafka_group_unmoved_max_extra_gap_ms), baseline $(jget $f kafka_group_baseline_max_extra_gap_ms)), join $(jget $f kafka_group_join_pause_p99_ms) / leave $(jget $f kafka_group_leave_pause_p99_ms) ms, $(jget $f kafka_group_duplicates); consumer protocol: $(jget $f kafka_group_consumer_unmoved_max_gap_ms) ms, join $(jget $f kafka_group_consumer_join_pause_p99_ms) / leave $(jget $f kafka_group_consumer_leave_pause_p99_ms) ms, $(jget $f kafka_group_consumer_duplicates); load $(jget $f load_average)"
}

bench_coordination() {
  build
  local f=bench/results/coordination.json
  run_bench CoordinationBench "$f" "${BENCH_COORD_SMALL:-100000}" "${BENCH_COORD_LARGE:-1000000}"
  record coordination "ZooKeeper ops per 1,000 orders: $(jget $f zk_ops_per_1k_orders_small) at $(jget $f orders_small) orders, $(jget $f zk_ops_per_1k_orders_large) at $(jget $f orders_large); load $(jget $f load_average)"
}

bench_slow_handler() {
  build
  local f=bench/results/slow-handler.json
  run_bench SlowHandlerBench "$f" "${BENCH_SLOW_ORDERS:-4000}"
  record slow-handler "billing 5 ms, 8 regions x ${BENCH_SLOW_ORDERS:-4000} orders, one worker: sequential $(jget $f sequential_orders_per_s) orders/s; key ordering ratio 16: $(jget $f key_16_ratio), 64: $(jget $f key_64_ratio), 256: $(jget $f key_256_ratio); peer (consumer per partition, 64 threads) $(jget $f peer_64_ratio); order violations $(jget $f order_violations), exactly-once duplicates $(jget $f duplicates_eos); load $(jget $f load_average)"
}

# settle: before each benchmark of 'all', waits (at most BENCH_SETTLE_S, 180 s) for the 1-minute load to fall to
# 1.5: the benchmark before it leaves the load above that for a minute or two, and a run that starts above it is
# not quiet. A machine that does not settle in time runs the next benchmark anyway, marked not quiet.
settle() {
  local waited=0 limit="${BENCH_SETTLE_S:-180}"
  while awk '{ exit !($1 > 1.5) }' /proc/loadavg 2>/dev/null && (( waited < limit )); do
    sleep 5
    waited=$((waited + 5))
  done
  echo "bench.sh: load average $(cut -d' ' -f1-3 /proc/loadavg) after waiting ${waited} s for it to settle" >&2
}

case "${1:-}" in
  assigner) bench_assigner ;;
  throughput) bench_throughput ;;
  takeover) bench_takeover ;;
  handoff) bench_handoff ;;
  coordination) bench_coordination ;;
  slow-handler) bench_slow_handler ;;
  all)
    build
    began=$SECONDS
    for name in assigner throughput takeover handoff coordination slow_handler; do
      settle
      "bench_$name"
    done
    echo "bench.sh all: $(( (SECONDS - began) / 60 )) min $(( (SECONDS - began) % 60 )) s" >&2 ;;
  *) usage; exit 2 ;;
esac
