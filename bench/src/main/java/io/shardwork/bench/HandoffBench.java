package io.shardwork.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Graceful handoff: two worker JVMs bill a steady load; a third joins (the cluster moves regions to it),
 * then the first leaves with SIGTERM (its regions move to the others). From the invoices (timestamps and
 * writer headers): in regions that did not move, the longest gap between two invoices during each event
 * compared with the longest gap of a quiet baseline window, and the most a gap exceeded the gap between its two
 * orders (the longest gaps are mostly the seeded order stream's own: the same region at the same point of every
 * run); in moved regions, the pause between the last
 * invoice of the old owner and the first of the new; duplicates over the whole run (every order counted
 * once all are invoiced). The same for a Kafka consumer group (classic cooperative-sticky, and the
 * consumer protocol) whose members commit on revocation.
 *
 * <p>Usage: {@code HandoffBench OUT.json [orders_per_s] [session_timeout_ms]}.
 */
public final class HandoffBench {
    private static final long BASELINE_MS = 8000;
    private static final long AFTER_SETTLED_MS = 2000;

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/handoff.json");
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 1000;
        int session = args.length > 2 ? Integer.parseInt(args[2]) : 4000;
        Map<String, Object> results = BenchEnv.begin("handoff");
        results.put("orders_per_s_offered", rate);
        results.put("session_timeout_ms", session);
        results.put("regions", BenchEnv.REGIONS);
        results.put("standby_replicas", Fleet.standbyReplicas());
        try (BenchEnv env = BenchEnv.start("handoff")) {
            Map<String, Map<String, Object>> systems = new LinkedHashMap<>();
            if (TakeoverBench.wanted("shardwork")) {
                systems.put("shardwork", measure(new Fleet.Shardwork(env, "ho_shardwork", session), rate));
            }
            if (TakeoverBench.wanted("kafka_group_classic")) {
                systems.put("kafka_group_classic", measure(new Fleet.KafkaGroup(env, "ho_classic", "classic", session), rate));
            }
            if (TakeoverBench.wanted("kafka_group_consumer")) {
                systems.put("kafka_group_consumer", measure(new Fleet.KafkaGroup(env, "ho_consumer", "consumer", session), rate));
            }
            List<String> keys = List.of("unmoved_max_gap_ms", "baseline_max_gap_ms", "unmoved_max_extra_gap_ms",
                    "baseline_max_extra_gap_ms", "join_pause_p99_ms", "leave_pause_p99_ms", "moved_pause_p99_ms", "moved_pause_max_ms",
                    "duplicates");
            Map<String, Object> sw = systems.getOrDefault("shardwork", Map.of());
            for (String key : keys) {
                results.put(key, sw.get(key));
            }
            // kafka_group_* is the classic protocol with cooperative-sticky; the consumer protocol follows with its own prefix
            for (String protocol : List.of("classic", "consumer")) {
                Map<String, Object> g = systems.getOrDefault("kafka_group_" + protocol, Map.of());
                String prefix = protocol.equals("classic") ? "kafka_group_" : "kafka_group_consumer_";
                for (String key : keys) {
                    results.put(prefix + key, g.get(key));
                }
            }
            results.put("systems", systems);
        }
        BenchEnv.finish(out, results);
        System.exit(0);
    }

    private static Map<String, Object> measure(Fleet fleet, double rate) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        try (fleet; InvoiceTap tap = fleet.tapWithOrders()) {
            BenchEnv.log("%s: two workers", fleet.name);
            fleet.start("w1");
            fleet.start("w2");
            fleet.startLoad(rate, 31);
            Fleet.awaitSteady(tap, Set.of("w1", "w2"), Duration.ofSeconds(180));
            long b0 = System.currentTimeMillis();
            BenchEnv.sleep(BASELINE_MS);
            long b1 = System.currentTimeMillis();

            BenchEnv.log("%s: w3 joins", fleet.name);
            long j0 = System.currentTimeMillis();
            fleet.start("w3");
            long joinSettled = Fleet.awaitSteady(tap, Set.of("w1", "w2", "w3"), Duration.ofSeconds(180));
            BenchEnv.sleep(AFTER_SETTLED_MS);
            long j1 = System.currentTimeMillis();

            BenchEnv.log("%s: w1 leaves (SIGTERM)", fleet.name);
            long l0 = System.currentTimeMillis();
            int exit = fleet.terminate("w1");
            long leaveSettled = Fleet.awaitSteady(tap, Set.of("w2", "w3"), Duration.ofSeconds(180));
            BenchEnv.sleep(AFTER_SETTLED_MS);
            long l1 = System.currentTimeMillis();

            long produced = fleet.stopLoad();
            long waitUntil = System.currentTimeMillis() + 60_000;
            while (tap.distinctOrders() < produced && System.currentTimeMillis() < waitUntil) {
                BenchEnv.sleep(200);
            }
            BenchEnv.sleep(1000);
            Window baseline = analyse(tap, b0, b1);
            Window join = analyse(tap, j0, j1);
            Window leave = analyse(tap, l0, l1);
            List<Long> pauses = new ArrayList<>(join.movedPauses);
            pauses.addAll(leave.movedPauses);
            r.put("unmoved_max_gap_ms", Math.max(join.unmovedMaxGap, leave.unmovedMaxGap));
            r.put("baseline_max_gap_ms", baseline.unmovedMaxGap);
            r.put("baseline_max_gap_where", baseline.unmovedMaxGapWhere);
            r.put("unmoved_max_extra_gap_ms", Math.max(join.unmovedMaxExtraGap, leave.unmovedMaxExtraGap));
            r.put("baseline_max_extra_gap_ms", baseline.unmovedMaxExtraGap);
            r.put("moved_pause_p50_ms", BenchEnv.percentile(pauses, 50));
            r.put("join_pause_p99_ms", join.movedPauses.isEmpty() ? -1 : BenchEnv.percentile(join.movedPauses, 99));
            r.put("leave_pause_p99_ms", leave.movedPauses.isEmpty() ? -1 : BenchEnv.percentile(leave.movedPauses, 99));
            // the max of the two p99s: a goal on the moved pause holds for joins and leaves alike
            r.put("moved_pause_p99_ms", Math.max(((Number) r.get("join_pause_p99_ms")).doubleValue(),
                    ((Number) r.get("leave_pause_p99_ms")).doubleValue()));
            r.put("moved_pause_max_ms", pauses.stream().mapToLong(Long::longValue).max().orElse(-1));
            r.put("duplicates", tap.duplicates());
            r.put("orders_produced", produced);
            r.put("orders_invoiced", tap.distinctOrders());
            r.put("join", join.json(joinSettled));
            r.put("leave", leave.json(leaveSettled));
            r.put("leaver_exit_code", exit);
            r.put("load_average", BenchEnv.loadAverage());
            BenchEnv.log("%s: unmoved max gap %d ms (baseline %d), moved pauses %s, duplicates %d; load %s", fleet.name,
                    r.get("unmoved_max_gap_ms"), r.get("baseline_max_gap_ms"), pauses, tap.duplicates(), BenchEnv.loadAverage());
            BenchEnv.log("%s: longest unmoved gaps: join %d ms (%s), leave %d ms (%s), baseline %d ms (%s)", fleet.name,
                    join.unmovedMaxGap, join.unmovedMaxGapWhere, leave.unmovedMaxGap, leave.unmovedMaxGapWhere,
                    baseline.unmovedMaxGap, baseline.unmovedMaxGapWhere);
            BenchEnv.log("%s: most added to an unmoved gap beyond its orders' gap: join %d ms (%s), leave %d ms (%s), baseline %d ms (%s)",
                    fleet.name, join.unmovedMaxExtraGap, join.unmovedMaxExtraGapWhere, leave.unmovedMaxExtraGap,
                    leave.unmovedMaxExtraGapWhere, baseline.unmovedMaxExtraGap, baseline.unmovedMaxExtraGapWhere);
        }
        return r;
    }

    /**
     * One window's figures.
     *
     * @param unmovedMaxGap      the longest gap between two invoices of a region that did not move
     * @param unmovedMaxExtraGap the most such a gap exceeded the gap between the two orders (their CreateTimes):
     *                           what the system added, where the longest gap itself may be the order stream's own
     */
    private record Window(long unmovedMaxGap, String unmovedMaxGapWhere, long unmovedMaxExtraGap, String unmovedMaxExtraGapWhere,
                          List<Long> movedPauses, List<String> moved, long windowMs) {
        Map<String, Object> json(long settledMs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("window_ms", windowMs);
            m.put("settled_after_ms", settledMs);
            m.put("moved_regions", moved);
            m.put("moved_pause_ms", movedPauses);
            m.put("unmoved_max_gap_ms", unmovedMaxGap);
            m.put("unmoved_max_gap_where", unmovedMaxGapWhere);
            m.put("unmoved_max_extra_gap_ms", unmovedMaxExtraGap);
            m.put("unmoved_max_extra_gap_where", unmovedMaxExtraGapWhere);
            return m;
        }
    }

    /** Gaps between consecutive invoices (offset order) timestamped in [from, to), and the last one before, per region. */
    private static Window analyse(InvoiceTap tap, long from, long to) {
        long unmovedMax = 0;
        String unmovedMaxWhere = "";
        long unmovedMaxExtra = 0;
        String unmovedMaxExtraWhere = "";
        List<Long> pauses = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        for (int p = 0; p < BenchEnv.REGIONS; p++) {
            List<InvoiceTap.Inv> all = tap.invoices(p);
            // the window's invoices and the one just before it: a region whose old owner wrote its last invoice
            // before the event began (a leaver stops at once on SIGTERM) still shows its pause and its move
            List<InvoiceTap.Inv> window = new ArrayList<>();
            InvoiceTap.Inv before = null;
            for (InvoiceTap.Inv inv : all) {
                if (inv.ts() < from) {
                    before = inv;
                } else if (inv.ts() < to) {
                    window.add(inv);
                }
            }
            if (before != null) {
                window.add(0, before);
            }
            boolean changed = false;
            long maxGap = 0;
            String maxGapWhere = "";
            long maxExtra = 0;
            String maxExtraWhere = "";
            for (int i = 1; i < window.size(); i++) {
                InvoiceTap.Inv a = window.get(i - 1);
                InvoiceTap.Inv b = window.get(i);
                if (!a.worker().equals(b.worker())) {
                    changed = true;
                    pauses.add(b.ts() - a.ts());
                } else {
                    String where = BenchEnv.region(p) + " on " + a.worker() + " from " + (a.ts() - from) + " ms into the window";
                    long gap = b.ts() - a.ts();
                    if (gap > maxGap) {
                        maxGap = gap;
                        maxGapWhere = where;
                    }
                    long orderA = tap.orderTime(a.orderId());
                    long orderB = tap.orderTime(b.orderId());
                    if (orderA >= 0 && orderB >= 0 && gap - (orderB - orderA) > maxExtra) {
                        maxExtra = gap - (orderB - orderA);
                        maxExtraWhere = where;
                    }
                }
            }
            if (changed) {
                moved.add(BenchEnv.region(p));
            } else {
                if (maxGap > unmovedMax) {
                    unmovedMax = maxGap;
                    unmovedMaxWhere = maxGapWhere;
                }
                if (maxExtra > unmovedMaxExtra) {
                    unmovedMaxExtra = maxExtra;
                    unmovedMaxExtraWhere = maxExtraWhere;
                }
            }
        }
        return new Window(unmovedMax, unmovedMaxWhere, unmovedMaxExtra, unmovedMaxExtraWhere, pauses, moved, to - from);
    }
}
