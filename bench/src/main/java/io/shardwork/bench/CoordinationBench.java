package io.shardwork.bench;

import io.shardwork.coordination.definition.ClusterDefinitions;

import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.worker.OwnershipListener;
import io.shardwork.node.WorkerNode;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.produce.OrderProducer;
import io.shardwork.runner.RunnerStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;

/**
 * Coordination cost: ZooKeeper operations per 1,000 orders, counted by the ZooKeeper clients themselves
 * (Curator's tracer driver sees every operation: reads, writes, multis, watches set, background ones) on
 * three in-process {@link WorkerNode}s (billing, at-least-once, default checkpoint interval) that process
 * a backlog of N orders from start to graceful close, for a small and a large N. The close stops every node
 * at once, as a deployment is stopped; {@code -Dbench.close=one-by-one} closes them in turn, as a rolling stop.
 *
 * <p>Usage: {@code CoordinationBench OUT.json [small] [large]} (default 100,000 and 1,000,000).
 */
public final class CoordinationBench {
    private static final int NODES = 3;
    /** How the run ends: every node at once (default), or one after another ({@code -Dbench.close=one-by-one}). */
    private static final boolean CLOSE_TOGETHER = !"one-by-one".equals(System.getProperty("bench.close", "together"));

    /** Counts operations by name. */
    static final class OpCounter extends AdvancedTracerDriver {
        final Map<String, LongAdder> byName = new ConcurrentHashMap<>();
        final Map<String, LongAdder> byPath = new ConcurrentHashMap<>();
        final AtomicLong events = new AtomicLong();
        /** start, processing or close: set by the bench as the run moves on. */
        volatile String phase = "start";

        @Override
        public void addTrace(OperationTrace trace) {
            byName.computeIfAbsent(trace.getName(), k -> new LongAdder()).increment();
            byPath.computeIfAbsent(phase + " " + shortName(trace.getName()) + " " + pathKind(trace.getPath()), k -> new LongAdder()).increment();
        }

        @Override
        public void addEvent(EventTrace trace) {
            events.incrementAndGet();
        }

        long total() {
            return byName.values().stream().mapToLong(LongAdder::sum).sum();
        }
    }

    /** "GetDataBuilderImpl-Foreground" -> "getData". */
    static String shortName(String operation) {
        String name = operation.replace("BuilderImpl", "").replace("-Foreground", "").replace("-Background", "");
        return name.isEmpty() ? operation : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    /** A path without its cluster prefix, its per-region or per-member segment folded: /shardwork/c/regions/r03/epoch -> regions/&#42;/epoch. */
    static String pathKind(String path) {
        if (path == null || path.isEmpty()) {
            return "-";
        }
        String[] parts = path.split("/");
        // parts: "", "shardwork", cluster, kind, name...
        if (parts.length <= 3) {
            return path;
        }
        StringBuilder kind = new StringBuilder(parts[3]);
        for (int i = 4; i < parts.length; i++) {
            kind.append(i == 4 ? "/*" : "/" + parts[i]);
        }
        return kind.toString();
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/coordination.json");
        long small = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
        long large = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000;
        Map<String, Object> results = BenchEnv.begin("coordination");
        results.put("nodes", NODES);
        results.put("close", CLOSE_TOGETHER ? "together" : "one-by-one");
        results.put("close_method", CLOSE_TOGETHER
                ? "every node closed at the same moment, as a deployment stops all its workers (-Dbench.close=together)"
                : "the nodes closed one after another, as a rolling stop: each closing node's regions move to the others (-Dbench.close=one-by-one)");
        results.put("regions", BenchEnv.REGIONS);
        try (BenchEnv env = BenchEnv.start("coordination")) {
            Map<String, Object> s = measure(env, "co-small", small);
            Map<String, Object> l = measure(env, "co-large", large);
            results.put("zk_ops_per_1k_orders_small", s.get("zk_ops_per_1k_orders"));
            results.put("zk_ops_per_1k_orders_large", l.get("zk_ops_per_1k_orders"));
            results.put("orders_small", small);
            results.put("orders_large", large);
            results.put("small", s);
            results.put("large", l);
        }
        BenchEnv.finish(out, results);
        System.exit(0);
    }

    private static Map<String, Object> measure(BenchEnv env, String name, long orders) throws Exception {
        Map<String, String> raw = env.raw(name, name, "billing", "at-least-once");
        raw.put("zookeeper.session.timeout.ms", "10000");
        ShardworkConfig config = BenchEnv.config(raw);
        env.createTopics(config);
        try (OrderProducer producer = new OrderProducer(config)) {
            producer.produce(new OrderGenerator(config.regions(), 5).orders(orders, 0), 0);
        }
        Map<Integer, Long> ends = env.endOffsets(config.ordersTopic(), BenchEnv.REGIONS);
        BenchEnv.log("%s: %d orders produced; starting %d nodes", name, orders, NODES);
        List<WorkerNode> nodes = new ArrayList<>();
        List<OpCounter> counters = new ArrayList<>();
        for (int i = 1; i <= NODES; i++) {
            WorkerNode node = new WorkerNode(ClusterDefinitions.applyAndResolve(config.with("worker.id", "n" + i)), OwnershipListener.NONE);
            OpCounter counter = new OpCounter();
            node.coordinator().client().getZookeeperClient().setTracerDriver(counter);
            nodes.add(node);
            counters.add(counter);
        }
        long began = System.nanoTime();
        for (WorkerNode node : nodes) {
            node.start();
        }
        long opsAtStart = 0;
        long processedAt;
        long opsAtProcessed;
        while (true) {
            Map<String, RunnerStats> byRegion = new HashMap<>();
            for (WorkerNode node : nodes) {
                node.runnerStats().forEach(s -> byRegion.put(s.region(), s));
            }
            boolean done = byRegion.size() == BenchEnv.REGIONS;
            for (int p = 0; p < BenchEnv.REGIONS && done; p++) {
                RunnerStats s = byRegion.get(BenchEnv.region(p));
                done = s != null && s.checkpointedOffset() >= ends.get(p);
            }
            if (opsAtStart == 0 && byRegion.size() == BenchEnv.REGIONS) {
                opsAtStart = counters.stream().mapToLong(OpCounter::total).sum();
                counters.forEach(c -> c.phase = "processing");
            }
            if (done) {
                processedAt = System.nanoTime();
                opsAtProcessed = counters.stream().mapToLong(OpCounter::total).sum();
                break;
            }
            if (System.nanoTime() - began > 30L * 60 * 1_000_000_000L) {
                throw new IllegalStateException(name + " did not finish: " + byRegion.values());
            }
            BenchEnv.sleep(20);
        }
        counters.forEach(c -> c.phase = "close");
        close(nodes);
        long closedAt = System.nanoTime();
        // every operation, the fenced multis on the raw handle included (TracedMulti traces them), is counted by
        // the clients' tracers
        long total = counters.stream().mapToLong(OpCounter::total).sum();
        Map<String, Long> byName = new TreeMap<>();
        for (OpCounter c : counters) {
            c.byName.forEach((k, v) -> byName.merge(k, v.sum(), Long::sum));
        }
        Map<String, Long> byPath = new TreeMap<>();
        for (OpCounter c : counters) {
            c.byPath.forEach((k, v) -> byPath.merge(k, v.sum(), Long::sum));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("orders", orders);
        r.put("zk_ops", total);
        r.put("zk_ops_per_1k_orders", total * 1000.0 / orders);
        r.put("processing_seconds", (processedAt - began) / 1e9);
        r.put("curator_ops_until_all_regions_running", opsAtStart);
        r.put("curator_ops_while_processing", opsAtProcessed - opsAtStart);
        r.put("curator_ops_on_close", total - opsAtProcessed);
        r.put("zk_ops_per_s", total / ((closedAt - began) / 1e9));
        r.put("close_seconds", (closedAt - processedAt) / 1e9);
        r.put("zk_ops_by_name", byName);
        r.put("zk_ops_by_path", byPath);
        r.put("connection_events", counters.stream().mapToLong(c -> c.events.get()).sum());
        r.put("load_average", BenchEnv.loadAverage());
        BenchEnv.log("%s: %d ZooKeeper operations for %d orders: %.3f per 1,000 orders (%.1f s); load %s", name, total, orders,
                total * 1000.0 / orders, (processedAt - began) / 1e9, BenchEnv.loadAverage());
        env.deleteTopics(config.ordersTopic(), config.invoicesTopic());
        return r;
    }

    /** Gracefully closes the nodes: all at the same moment, or one after another (see {@link #CLOSE_TOGETHER}). */
    private static void close(List<WorkerNode> nodes) throws InterruptedException {
        if (!CLOSE_TOGETHER) {
            nodes.forEach(WorkerNode::close);
            return;
        }
        List<Thread> closing = new ArrayList<>();
        for (WorkerNode node : nodes) {
            Thread thread = new Thread(node::close, "close-" + closing.size());
            thread.start();
            closing.add(thread);
        }
        for (Thread thread : closing) {
            thread.join();
        }
    }
}
