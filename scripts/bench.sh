#!/usr/bin/env bash
# Benchmarks of shardwork, each measured against a peer in the same run. Not tests.
#
#   scripts/bench.sh [throughput|takeover|handoff|coordination|assigner|all]
#
# assigner  StickyWeightedAssigner vs Kafka's CooperativeStickyAssignor (10,000 regions, 1,000 members);
#           writes bench/results/assigner.json
# Every run appends a dated row with the machine's description to bench/RESULTS.md.
# Exit codes: 0 done, 1 a benchmark failed, 2 unknown or not implemented benchmark.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
HEAP="${BENCH_HEAP:--Xmx512m}"

usage() {
  echo "usage: scripts/bench.sh [throughput|takeover|handoff|coordination|assigner|all]" >&2
}

machine() {
  local mem java
  mem="$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo "unknown")"
  java="$(java -version 2>&1 | head -n 1 | tr -d '"')"
  echo "nproc $(nproc), memory ${mem}, ${java}"
}

record() { # name, summary
  local file="bench/RESULTS.md"
  if [[ ! -f "$file" ]]; then
    printf '# Benchmark runs\n\nOne row per run of scripts/bench.sh; figures in bench/results/*.json.\n\n' > "$file"
    printf '| date (UTC) | benchmark | machine | summary |\n| --- | --- | --- | --- |\n' >> "$file"
  fi
  printf '| %s | %s | %s | %s |\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$1" "$(machine)" "$2" >> "$file"
}

bench_assigner() {
  mvn -q -B -pl bench -am package -DskipTests
  mkdir -p bench/results
  java "$HEAP" -XX:+UseSerialGC -jar bench/target/bench.jar bench/results/assigner.json
  local summary
  summary="$(tr -d '\n ' < bench/results/assigner.json | sed -E 's/.*"assign_ms_median":([0-9.]+).*"load_spread_in_region_weights":([0-9.]+).*"join_moved_weight":([0-9.]+).*"peer_assign_ms_median":([0-9.]+).*"peer_load_spread_in_region_weights":([0-9.]+).*"peer_join_moved_weight":([0-9.]+).*/join assign \1 ms vs peer \4 ms; spread \2 vs \5 heaviest weights; join moved weight \3 vs \6/')"
  record assigner "$summary"
}

not_implemented() {
  echo "bench $1: not implemented yet" >&2
  exit 2
}

case "${1:-}" in
  assigner) bench_assigner ;;
  throughput|takeover|handoff|coordination) not_implemented "$1" ;;
  all)
    bench_assigner
    for b in throughput takeover handoff coordination; do echo "bench $b: not implemented yet" >&2; done
    exit 2 ;;
  *) usage; exit 2 ;;
esac
