package io.shardwork.bench;

import io.shardwork.config.ShardworkConfig;
import io.shardwork.embedded.EmbeddedCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * What every benchmark shares: a real ZooKeeper and Kafka broker in this JVM on free ports
 * ({@link EmbeddedCluster}, ZooKeeper tick 200 ms), deployment files with 16 regions, the machine's
 * description and load average, percentiles, and writing the JSON.
 */
final class BenchEnv implements AutoCloseable {
    static final int REGIONS = 16;

    final Path dir;
    final EmbeddedCluster cluster;
    private Admin admin;

    private BenchEnv(Path dir, EmbeddedCluster cluster) {
        this.dir = dir;
        this.cluster = cluster;
    }

    static BenchEnv start(String name) throws IOException {
        quietLogs();
        Path dir = Files.createTempDirectory("shardwork-bench-" + name);
        long began = System.nanoTime();
        EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.onFreePorts(dir.resolve("cluster")));
        log("servers ready in %d ms: zookeeper %s, kafka %s (data in %s)", (System.nanoTime() - began) / 1_000_000,
                cluster.zookeeperConnect(), cluster.kafkaBootstrap(), dir);
        return new BenchEnv(dir, cluster);
    }

    /** The runtime's INFO lines (a line per region start and stop) would drown the bench's own; -Dbench.runtime.logs=true keeps them. */
    private static void quietLogs() {
        if (!Boolean.getBoolean("bench.runtime.logs")
                && org.slf4j.LoggerFactory.getLogger("io.shardwork") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    static String region(int partition) {
        return String.format("r%02d", partition);
    }

    /** A development deployment of {@link #REGIONS} regions r00..r15 (partitions 0..15, weight 1) named {@code clusterName}. */
    Map<String, String> raw(String clusterName, String topicPrefix, String handler, String delivery) {
        return raw(clusterName, topicPrefix, handler, delivery, REGIONS);
    }

    /** Like {@link #raw(String, String, String, String)} with {@code regions} regions (partitions 0..regions-1). */
    Map<String, String> raw(String clusterName, String topicPrefix, String handler, String delivery, int regionCount) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("cluster.name", clusterName);
        raw.put("deployment.environment", "development");
        raw.put("zookeeper.connect", cluster.zookeeperConnect());
        raw.put("kafka.bootstrap.servers", cluster.kafkaBootstrap());
        raw.put("topic.orders", topicPrefix + ".orders");
        raw.put("topic.invoices", topicPrefix + ".invoices");
        raw.put("topic.dead.letters", topicPrefix + ".orders.dlq");
        List<String> regions = new ArrayList<>();
        for (int p = 0; p < regionCount; p++) {
            regions.add(region(p));
            raw.put("region." + region(p) + ".partition", Integer.toString(p));
        }
        raw.put("regions", String.join(",", regions));
        raw.put("handler", handler);
        raw.put("delivery", delivery);
        return raw;
    }

    static ShardworkConfig config(Map<String, String> raw) {
        return ShardworkConfig.parse("bench " + raw.get("cluster.name"), raw);
    }

    static Path writeProperties(Map<String, String> raw, Path file) throws IOException {
        StringBuilder text = new StringBuilder("# written by the shardwork bench\n");
        raw.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, text);
        return file;
    }

    /** Creates the topics of {@code config} and applies its cluster definition (workers start only on one). */
    void createTopics(ShardworkConfig config) {
        cluster.kafka().createTopics(config.topicPartitions());
        try {
            io.shardwork.coordination.definition.ClusterDefinitions.applyOrThrow(config, false);
        } catch (Exception refused) {
            throw new IllegalStateException("Cannot apply the cluster definition of " + config.source() + ": " + refused.getMessage(), refused);
        }
    }

    void createTopic(String topic, int partitions) {
        cluster.kafka().createTopics(Map.of(topic, partitions));
    }

    synchronized Admin admin() {
        if (admin == null) {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
            admin = Admin.create(p);
        }
        return admin;
    }

    void deleteTopics(String... topics) {
        try {
            admin().deleteTopics(List.of(topics)).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            log("could not delete %s: %s", List.of(topics), e);
        }
    }

    /** The end offset of each partition of {@code topic}, by partition. */
    Map<Integer, Long> endOffsets(String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<Integer, Long> ends = new HashMap<>();
        admin().listOffsets(request).all().get(60, TimeUnit.SECONDS)
                .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
        return ends;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        cluster.close();
        // the broker's and ZooKeeper's data (gigabytes after a full throughput run); worker logs stay in dir
        deleteQuietly(dir.resolve("cluster"));
    }

    // ------------------------------------------------------------------ reporting

    /** The 1-, 5- and 15-minute load averages as "a b c", or "unknown". */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Above this 1-minute load at the start a run is not quiet: its ratios are not results. */
    static final double QUIET_LOAD = 1.5;

    /**
     * Starts a benchmark's JSON: its name, the machine, the commit, the load average at the start and
     * {@code quiet} (false, with a warning on the output, when the 1-minute load is above {@link #QUIET_LOAD}).
     * {@link #finish} adds the load at the end and writes it.
     */
    static Map<String, Object> begin(String benchmark) {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("benchmark", benchmark);
        results.put("machine", machine());
        results.put("commit", commit());
        String load = loadAverage();
        results.put("load_average_start", load);
        boolean quiet = quiet(load);
        results.put("quiet", quiet);
        if (!quiet) {
            log("WARNING: load average %s at the start is above %.1f: this run's figures are not results", load, QUIET_LOAD);
        }
        return results;
    }

    /** Adds the load average at the end to {@code results} and writes them to {@code out}. */
    static void finish(Path out, Map<String, Object> results) throws IOException {
        results.put("load_average_end", loadAverage());
        results.put("load_average", results.get("load_average_start") + " (start), " + results.get("load_average_end") + " (end)");
        writeResults(out, results);
    }

    static boolean quiet(String loadAverage) {
        try {
            return Double.parseDouble(loadAverage.split(" ")[0]) <= QUIET_LOAD;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The commit measured (bench.commit, set by scripts/bench.sh, with "-dirty" when the tree had changes). */
    static String commit() {
        return System.getProperty("bench.commit", "unknown");
    }

    /** The machine: processors, memory, Java and heap, and when the run started. */
    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        m.put("memory", memory());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        m.put("started_at", Instant.now().toString());
        return m;
    }

    private static String memory() {
        try (var lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal:")).findFirst()
                    .map(l -> String.format("%.1f GiB", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1048576.0))
                    .orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static void writeResults(Path out, Map<String, Object> results) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Json.write(results));
        log("wrote %s", out);
    }

    /** The nearest-rank percentile (0 < p <= 100) of {@code values}; NaN when empty. */
    static double percentile(List<? extends Number> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>();
        values.forEach(v -> sorted.add(v.doubleValue()));
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static double median(List<? extends Number> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>();
        values.forEach(v -> sorted.add(v.doubleValue()));
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
        System.out.flush();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }

    static Set<String> regionNames() {
        Set<String> names = new java.util.TreeSet<>();
        for (int p = 0; p < REGIONS; p++) {
            names.add(region(p));
        }
        return names;
    }
}
