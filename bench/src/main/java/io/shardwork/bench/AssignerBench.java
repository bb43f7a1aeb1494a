package io.shardwork.bench;

import io.shardwork.assigner.Assignment;
import io.shardwork.assigner.AssignmentInput;
import io.shardwork.assigner.AssignmentOptions;
import io.shardwork.assigner.Member;
import io.shardwork.assigner.MoveReason;
import io.shardwork.assigner.Region;
import io.shardwork.assigner.StickyWeightedAssigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmarks {@link StickyWeightedAssigner} against Kafka's assignors on the same inputs in the same JVM:
 * the client-side {@code CooperativeStickyAssignor} (the {@code peer_} keys) and the broker's server-side
 * {@code uniform} assignor of the consumer protocol (the {@code uniform_} keys); 10,000 regions with skewed
 * weights and 1,000 members of equal capacity, then 100,000 regions and 10,000 members (the {@code large_}
 * keys).
 *
 * <p>Scenarios: cold (no previous assignment: every region orphaned), join (all but one member in a stable
 * assignment, one joins) and leave (one of the 1,000 leaves the stable post-join assignment). Times are medians
 * of interleaved rounds after a warm-up long enough for the JIT to compile every side (300 rounds; the first
 * round's 30 measured interpreted code); spreads are (max load - min load) / heaviest region weight, with the
 * same weights for all.
 *
 * <p>Usage: {@code java -jar bench.jar [output.json]} (default {@code bench/results/assigner.json}).
 */
public final class AssignerBench {
    static final long SEED = 42L;
    static final int REGIONS = 10_000;
    static final int MEMBERS = 1_000;
    static final int WARMUPS = 300;
    static final int RUNS = 51;

    private final BenchWorkload workload = BenchWorkload.create(SEED, REGIONS, MEMBERS);
    private final StickyWeightedAssigner assigner = new StickyWeightedAssigner();
    private final Map<String, Integer> partitionOf = new HashMap<>();

    private AssignerBench() {
        for (int p = 0; p < REGIONS; p++) {
            partitionOf.put(workload.regions().get(p).name(), p);
        }
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/assigner.json");
        Map<String, Object> results = BenchEnv.begin("assigner");
        results.putAll(new AssignerBench().run());
        results.putAll(large());
        BenchEnv.finish(out, results);
        printTable(results);
    }

    private Map<String, Object> run() {
        Map<String, Object> r = new LinkedHashMap<>();
        List<Member> all = workload.members();
        List<Member> before = all.subList(0, MEMBERS - 1);
        Member joiner = all.get(MEMBERS - 1);
        Member leaver = all.get(MEMBERS / 2);
        long heaviest = workload.heaviest();
        double fairShare = (double) workload.totalWeight() / MEMBERS;

        r.put("regions", REGIONS);
        r.put("members", MEMBERS);
        r.put("total_weight", workload.totalWeight());
        r.put("heaviest_region_weight", heaviest);
        r.put("warmups", WARMUPS);
        r.put("runs", RUNS);

        // the inputs of both sides: cold (no previous owners), and a stable assignment of 999 members that one joins
        AssignmentInput cold = input(all, Map.of());
        Map<String, String> stableBefore = stable(before);
        AssignmentInput join = input(all, stableBefore);
        KafkaStickyPeer peer = new KafkaStickyPeer(REGIONS);
        List<String> allIds = all.stream().map(Member::id).toList();
        List<String> beforeIds = allIds.subList(0, MEMBERS - 1);
        Map<Integer, String> peerBefore = peer.rebalance(beforeIds, Map.of(), -1, REGIONS);

        // times: both sides warmed up in turn, then measured in alternating rounds (Medians.interleavedMedianMillis)
        java.util.LinkedHashMap<String, Runnable> tasks = new java.util.LinkedHashMap<>();
        tasks.put("assign_cold_ms_median", () -> assigner.assign(cold));
        tasks.put("peer_assign_cold_ms_median", () -> peer.assignOnce(allIds, Map.of(), -1));
        tasks.put("assign_ms_median", () -> assigner.assign(join));
        tasks.put("peer_assign_ms_median", () -> peer.assignOnce(allIds, peerBefore, 1));
        KafkaUniformPeer uniform = new KafkaUniformPeer(REGIONS);
        Map<Integer, String> uniformBefore = uniform.assign(beforeIds, Map.of());
        tasks.put("uniform_assign_cold_ms_median", () -> uniform.assign(allIds, Map.of()));
        tasks.put("uniform_assign_ms_median", () -> uniform.assign(allIds, uniformBefore));
        Medians.interleavedMedianMillis(WARMUPS, RUNS, tasks).forEach((key, median) -> r.put(key, round(median)));
        Map<Integer, String> uniformJoined = uniform.assign(allIds, uniformBefore);
        r.put("uniform_load_spread_in_region_weights", round(spread(uniformJoined) / (double) heaviest));
        r.put("uniform_join_moved_weight", movedWeight(uniformBefore, uniformJoined));

        // ours: what the join moved, then one of the 1,000 leaves
        Assignment joined = assigner.assign(join);
        r.put("load_spread_in_region_weights", round(spread(ownersByIndex(joined.owners())) / (double) heaviest));
        r.put("join_moved_weight", joined.moves().stream().mapToLong(m -> weightOf(m.region())).sum());
        r.put("join_moved_regions", joined.moves().size());
        r.put("join_fair_share_weight", round(waterFilledShare(ownersByIndex(joined.owners()), joiner.id())));
        r.put("plain_fair_share_weight", round(fairShare));
        Map<String, String> stableAfter = stable(all);
        List<Member> remaining = new ArrayList<>(all);
        remaining.remove(leaver);
        Assignment left = assigner.assign(input(remaining, stableAfter));
        r.put("leave_moved_regions", left.moves().size());
        r.put("leave_orphaned_regions", left.moves().stream().filter(m -> m.reason() == MoveReason.ORPHANED).count());

        // peer: the same members as consumers, the same regions as partitions of one topic
        Map<Integer, String> peerJoined = peer.rebalance(allIds, peerBefore, 1, REGIONS);
        r.put("peer_load_spread_in_region_weights", round(spread(peerJoined) / (double) heaviest));
        r.put("peer_join_moved_weight", movedWeight(peerBefore, peerJoined));
        r.put("peer_join_moved_regions", moved(peerBefore, peerJoined));
        List<String> remainingIds = new ArrayList<>(allIds);
        remainingIds.remove(leaver.id());
        Map<Integer, String> peerLeft = peer.rebalance(remainingIds, peerJoined, 3, REGIONS);
        r.put("peer_leave_moved_regions", moved(peerJoined, peerLeft));
        r.put("peer_leave_orphaned_regions", peerJoined.values().stream().filter(leaver.id()::equals).count());
        return r;
    }

    static final int LARGE_REGIONS = 100_000;
    static final int LARGE_MEMBERS = 10_000;

    /**
     * 100,000 regions x 10,000 members: ours cold and join against Kafka's uniform assignor (the sticky client
     * assignor is left out at this size: one call takes seconds), fewer rounds.
     */
    private static Map<String, Object> large() {
        BenchWorkload large = BenchWorkload.create(SEED, LARGE_REGIONS, LARGE_MEMBERS);
        StickyWeightedAssigner assigner = new StickyWeightedAssigner();
        List<Member> all = large.members();
        Map<String, String> owners = Map.of();
        for (int round = 0; round < 100; round++) {
            Assignment a = assigner.assign(new AssignmentInput(all.subList(0, LARGE_MEMBERS - 1), large.regions(), owners,
                    AssignmentOptions.unlimited()));
            owners = a.owners();
            if (a.moves().isEmpty()) {
                break;
            }
        }
        AssignmentInput cold = new AssignmentInput(all, large.regions(), Map.of(), AssignmentOptions.unlimited());
        AssignmentInput join = new AssignmentInput(all, large.regions(), owners, AssignmentOptions.unlimited());
        List<String> ids = all.stream().map(Member::id).toList();
        KafkaUniformPeer uniform = new KafkaUniformPeer(LARGE_REGIONS);
        Map<Integer, String> uniformBefore = uniform.assign(ids.subList(0, LARGE_MEMBERS - 1), Map.of());
        java.util.LinkedHashMap<String, Runnable> tasks = new java.util.LinkedHashMap<>();
        tasks.put("large_assign_cold_ms_median", () -> assigner.assign(cold));
        tasks.put("large_uniform_assign_cold_ms_median", () -> uniform.assign(ids, Map.of()));
        tasks.put("large_assign_ms_median", () -> assigner.assign(join));
        tasks.put("large_uniform_assign_ms_median", () -> uniform.assign(ids, uniformBefore));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("large_regions", LARGE_REGIONS);
        r.put("large_members", LARGE_MEMBERS);
        Medians.interleavedMedianMillis(30, 11, tasks).forEach((key, median) -> r.put(key, round(median)));
        return r;
    }

    private AssignmentInput input(List<Member> members, Map<String, String> previous) {
        return new AssignmentInput(members, workload.regions(), previous, AssignmentOptions.unlimited());
    }

    /** Rounds without a move limit until nothing moves. */
    private Map<String, String> stable(List<Member> members) {
        Map<String, String> owners = Map.of();
        for (int round = 0; round < 100; round++) {
            Assignment a = assigner.assign(input(members, owners));
            owners = a.owners();
            if (a.moves().isEmpty()) {
                return owners;
            }
        }
        throw new IllegalStateException("The assigner did not reach a stable assignment in 100 rounds.");
    }

    private Map<Integer, String> ownersByIndex(Map<String, String> owners) {
        Map<Integer, String> byIndex = new HashMap<>();
        owners.forEach((region, member) -> byIndex.put(partitionOf.get(region), member));
        return byIndex;
    }

    private long weightOf(String region) {
        return workload.weightOfPartition(partitionOf.get(region));
    }

    /** Max load minus min load over all members, members without regions counting as zero. */
    private long spread(Map<Integer, String> owners) {
        Map<String, Long> load = new HashMap<>();
        workload.members().forEach(m -> load.put(m.id(), 0L));
        owners.forEach((p, m) -> load.merge(m, workload.weightOfPartition(p), Long::sum));
        return load.values().stream().mapToLong(Long::longValue).max().orElse(0)
                - load.values().stream().mapToLong(Long::longValue).min().orElse(0);
    }

    /**
     * The member's share water-filled around oversized regions (all capacities are 1 here): a member whose
     * heaviest region outweighs the level {@code T' / C'} is pinned with that region as its share; {@code T'}
     * and {@code C'} are the weight and the member count left after the pinned ones. Recomputed here from the
     * result, independently of the assigner.
     */
    private double waterFilledShare(Map<Integer, String> owners, String member) {
        Map<String, Long> heaviestHeld = new HashMap<>();
        owners.forEach((p, m) -> heaviestHeld.merge(m, workload.weightOfPartition(p), Math::max));
        long freeWeight = workload.totalWeight();
        long freeCapacity = MEMBERS;
        java.util.Set<String> pinned = new java.util.HashSet<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Map.Entry<String, Long> e : heaviestHeld.entrySet()) {
                if (!pinned.contains(e.getKey()) && e.getValue() * freeCapacity > freeWeight) {
                    pinned.add(e.getKey());
                    freeWeight -= e.getValue();
                    freeCapacity--;
                    changed = true;
                }
            }
        }
        return pinned.contains(member) ? heaviestHeld.get(member) : (double) freeWeight / freeCapacity;
    }

    private long movedWeight(Map<Integer, String> before, Map<Integer, String> after) {
        long moved = 0;
        for (Map.Entry<Integer, String> e : after.entrySet()) {
            if (!e.getValue().equals(before.get(e.getKey()))) {
                moved += workload.weightOfPartition(e.getKey());
            }
        }
        return moved;
    }

    private static long moved(Map<Integer, String> before, Map<Integer, String> after) {
        return after.entrySet().stream().filter(e -> !e.getValue().equals(before.get(e.getKey()))).count();
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static void printTable(Map<String, Object> r) {
        System.out.printf(Locale.ROOT, "%nassigner benchmark: %s regions (skewed weights, heaviest %s), %s members of equal capacity%n",
                r.get("regions"), r.get("heaviest_region_weight"), r.get("members"));
        System.out.printf(Locale.ROOT, "%-34s %14s %14s %10s%n", "figure", "shardwork", "kafka sticky", "ours/peer");
        row(r, "join assign, ms (median)", "assign_ms_median", "peer_assign_ms_median");
        row(r, "cold assign, ms (median)", "assign_cold_ms_median", "peer_assign_cold_ms_median");
        row(r, "join assign vs uniform, ms", "assign_ms_median", "uniform_assign_ms_median");
        row(r, "cold assign vs uniform, ms", "assign_cold_ms_median", "uniform_assign_cold_ms_median");
        row(r, "100k x 10k join vs uniform, ms", "large_assign_ms_median", "large_uniform_assign_ms_median");
        row(r, "100k x 10k cold vs uniform, ms", "large_assign_cold_ms_median", "large_uniform_assign_cold_ms_median");
        row(r, "load spread, heaviest weights", "load_spread_in_region_weights", "peer_load_spread_in_region_weights");
        row(r, "join moved weight", "join_moved_weight", "peer_join_moved_weight");
        row(r, "join moved regions", "join_moved_regions", "peer_join_moved_regions");
        row(r, "leave moved regions", "leave_moved_regions", "peer_leave_moved_regions");
        System.out.printf(Locale.ROOT, "fair share of the joiner: %s weight water-filled (%s plain); the leaver held %s regions%n",
                r.get("join_fair_share_weight"), r.get("plain_fair_share_weight"), r.get("leave_orphaned_regions"));
    }

    private static void row(Map<String, Object> r, String label, String ours, String peer) {
        double a = ((Number) r.get(ours)).doubleValue();
        double b = ((Number) r.get(peer)).doubleValue();
        String ratio = b == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", a / b);
        System.out.printf(Locale.ROOT, "%-34s %14s %14s %10s%n", label, r.get(ours), r.get(peer), ratio);
    }
}
