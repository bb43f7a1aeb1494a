package io.shardwork.cli.chaos;

import io.shardwork.billing.BillingHandler;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.cli.process.WorkerProcess;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.coordination.status.ClusterStatusReader;
import io.shardwork.history.HistoryChecker;
import io.shardwork.history.HistoryEvent;
import io.shardwork.history.HistoryFiles;
import io.shardwork.history.HistoryReport;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.produce.OrderProducer;
import io.shardwork.produce.SequenceTail;
import io.shardwork.runner.KafkaClientSettings;
import io.shardwork.verify.Verifier;
import io.shardwork.verify.VerifyReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One chaos scenario: its own cluster name (so its own ZooKeeper subtree and transactional ids), its own
 * three topics on the shared broker, its deployment files, its worker processes, its ownership history
 * directory, and the waits and checks every scenario ends with.
 */
final class Scenario implements AutoCloseable {
    static final int REGIONS = 4;

    final String name;
    final Path dir;
    final Path historyDir;
    private final String zookeeperConnect;
    private final String kafkaBootstrap;
    private final Map<String, String> overrides;
    private final Map<String, WorkerProcess> workers = new LinkedHashMap<>();
    private final List<Feeder> feeders = new ArrayList<>();
    private final CuratorFramework client;
    private final ClusterStatusReader reader;
    private final ShardworkConfig config;
    private final Path configFile;
    private long seed = 1;
    private boolean definitionApplied;
    private final Map<Boolean, KafkaConsumer<byte[], byte[]>> offsetReaders = new HashMap<>();

    Scenario(String name, Path root, String zookeeperConnect, String kafkaBootstrap, Map<String, String> overrides) throws Exception {
        this.name = name;
        this.dir = Files.createDirectories(root.resolve(name));
        this.historyDir = dir.resolve("history");
        this.zookeeperConnect = zookeeperConnect;
        this.kafkaBootstrap = kafkaBootstrap;
        this.overrides = Map.copyOf(overrides);
        this.configFile = writeConfig("worker.properties", zookeeperConnect);
        this.config = ShardworkConfig.load(configFile);
        this.client = CuratorFrameworkFactory.newClient(zookeeperConnect, 10_000, 5_000, new ExponentialBackoffRetry(100, 5));
        client.start();
        this.reader = new ClusterStatusReader(client, new ClusterPaths(config.clusterName()));
    }

    /** The topics of this scenario, one partition per region. */
    Map<String, Integer> topics() {
        return Map.of(config.ordersTopic(), REGIONS, config.invoicesTopic(), REGIONS, config.deadLetterTopic(), REGIONS);
    }

    ShardworkConfig config() {
        return config;
    }

    /** A deployment file of this scenario whose workers reach ZooKeeper at {@code connect} (a proxy, say). */
    Path writeConfig(String fileName, String connect) throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("cluster.name", name);
        keys.put("deployment.environment", "development");
        keys.put("zookeeper.connect", connect);
        keys.put("zookeeper.session.timeout.ms", Integer.toString(ChaosTiming.SESSION_TIMEOUT_MS));
        keys.put("kafka.bootstrap.servers", kafkaBootstrap);
        keys.put("topic.orders", name + "-orders");
        keys.put("topic.invoices", name + "-invoices");
        keys.put("topic.dead.letters", name + "-dlq");
        keys.put("regions", IntStream.range(0, REGIONS).mapToObj(i -> "r" + i).collect(Collectors.joining(",")));
        for (int i = 0; i < REGIONS; i++) {
            keys.put("region.r" + i + ".partition", Integer.toString(i));
        }
        keys.put("handler", "billing");
        keys.put("delivery", "at-least-once");
        keys.put("checkpoint.interval.ms", Integer.toString(ChaosTiming.CHECKPOINT_INTERVAL_MS));
        keys.put("rebalance.delay.ms", Integer.toString(ChaosTiming.REBALANCE_DELAY_MS));
        keys.put("retry.backoff.initial.ms", "5");
        keys.put("retry.backoff.max.ms", "20");
        keys.put("shutdown.timeout.ms", "15000");
        keys.put("history.dir", historyDir.toString());
        keys.putAll(overrides);
        Path file = dir.resolve(fileName);
        Files.writeString(file, keys.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
        return file;
    }

    // ---------------------------------------------------------------- workers

    WorkerProcess start(String workerId) throws Exception {
        return start(workerId, configFile);
    }

    WorkerProcess start(String workerId, Path deploymentFile) throws Exception {
        if (!definitionApplied) {
            ClusterDefinitions.applyOrThrow(config, false);
            definitionApplied = true;
        }
        WorkerProcess worker = WorkerProcess.start(deploymentFile, workerId, "256m", dir.resolve(workerId + ".log"));
        workers.put(workerId, worker);
        return worker;
    }

    WorkerProcess worker(String workerId) {
        return workers.get(workerId);
    }

    // ---------------------------------------------------------------- orders

    /** Writes {@code count} orders plus {@code poison} bad ones, every region's seq continuing; returns when acknowledged. */
    void produce(long count, int poison) throws Exception {
        try (OrderProducer producer = new OrderProducer(config)) {
            producer.produce(new OrderGenerator(config.regions(), seed++).orders(count, poison, SequenceTail.read(config)), 0);
        }
    }

    /** Writes orders at {@code ratePerSecond} on a background thread until {@link Feeder#stop()}. */
    Feeder feed(double ratePerSecond) throws Exception {
        Feeder feeder = new Feeder(config, SequenceTail.read(config), seed++, ratePerSecond);
        feeders.add(feeder);
        return feeder;
    }

    /** Background order production; {@link #stop()} returns once every order sent is acknowledged. */
    static final class Feeder {
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final Thread thread;
        private volatile Exception failure;

        Feeder(ShardworkConfig config, Map<String, Long> lastSeqs, long seed, double rate) {
            Iterator<io.shardwork.produce.GeneratedOrder> orders = new OrderGenerator(config.regions(), seed).orders(10_000_000, 0, lastSeqs);
            Iterator<io.shardwork.produce.GeneratedOrder> untilStopped = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return !stopping.get() && orders.hasNext();
                }

                @Override
                public io.shardwork.produce.GeneratedOrder next() {
                    return orders.next();
                }
            };
            thread = new Thread(() -> {
                try (OrderProducer producer = new OrderProducer(config)) {
                    producer.produce(untilStopped, rate);
                } catch (Exception e) {
                    failure = e;
                }
            }, "chaos-feeder");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws Exception {
            stopping.set(true);
            thread.join(60_000);
            if (thread.isAlive()) {
                throw new AssertionError("the order feeder did not stop within 60 s");
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    // ---------------------------------------------------------------- waits

    ClusterStatus status() throws Exception {
        return reader.read();
    }

    /** Polls ZooKeeper (cheap reads) until {@code condition} holds; fails naming {@code what} and the last status. */
    ClusterStatus await(String what, Duration deadline, Predicate<ClusterStatus> condition) throws Exception {
        long began = System.nanoTime();
        long end = began + deadline.toNanos();
        ClusterStatus last = null;
        Exception lastFailure = null;
        while (System.nanoTime() < end) {
            try {
                last = reader.read();
                if (condition.test(last)) {
                    System.out.printf("%s: %s after %d ms%n", name, what, (System.nanoTime() - began) / 1_000_000);
                    return last;
                }
            } catch (Exception e) {
                lastFailure = e;
            }
            Thread.sleep(ChaosTiming.POLL.toMillis());
        }
        throw new AssertionError(name + ": " + what + " not reached within " + deadline + "; last status: " + last
                + (lastFailure != null ? "; last read failure: " + lastFailure : ""));
    }

    /** Every region assigned to and claimed by a live worker of {@code live}, exactly those members, a leader among them. */
    static boolean settledOn(ClusterStatus status, Set<String> live) {
        Set<String> members = status.members().stream().map(ClusterStatus.MemberStatus::id).collect(Collectors.toSet());
        return members.equals(live) && live.contains(status.leader()) && status.regions().size() == REGIONS
                && status.regions().stream().allMatch(r -> r.owner() != null && r.owner().equals(r.claimedBy()) && live.contains(r.owner()));
    }

    ClusterStatus awaitSettled(Set<String> live, Duration deadline) throws Exception {
        return await("settled on " + live, deadline, status -> settledOn(status, live));
    }

    static Map<String, Long> epochs(ClusterStatus status) {
        return status.regions().stream().collect(Collectors.toMap(ClusterStatus.RegionStatus::name, ClusterStatus.RegionStatus::epoch, (a, b) -> a, TreeMap::new));
    }

    static Map<String, Long> checkpoints(ClusterStatus status) {
        return status.regions().stream().collect(Collectors.toMap(ClusterStatus.RegionStatus::name,
                r -> r.checkpoint() == null ? 0L : r.checkpoint(), (a, b) -> a, TreeMap::new));
    }

    static Set<String> regionsOf(ClusterStatus status, String workerId) {
        return status.regions().stream().filter(r -> workerId.equals(r.claimedBy())).map(ClusterStatus.RegionStatus::name)
                .collect(Collectors.toSet());
    }

    /** End offsets of a topic of this scenario by region name; one consumer, reused (the scenario's thread only). */
    Map<String, Long> endOffsets(String topic) {
        return endOffsets(topic, false);
    }

    /**
     * End offsets of a topic by region name; with {@code readCommitted} the last stable offsets, which stay below
     * the first record of a transaction still open. One consumer per isolation level, reused (the scenario's thread only).
     */
    Map<String, Long> endOffsets(String topic, boolean readCommitted) {
        KafkaConsumer<byte[], byte[]> consumer = offsetReaders.computeIfAbsent(readCommitted, committed -> {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committed ? "read_committed" : "read_uncommitted");
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "chaos-" + name + "-offsets" + (committed ? "-stable" : ""));
            return new KafkaConsumer<>(props);
        });
        List<TopicPartition> partitions = IntStream.range(0, REGIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        Map<String, Long> byRegion = new TreeMap<>();
        ends.forEach((partition, offset) -> byRegion.put("r" + partition.partition(), offset));
        return byRegion;
    }

    /**
     * The invoice records whose {@code worker} header is {@code worker} and whose {@code epoch} header is at most
     * {@code epochsAtMost} of their region (by region name), read from the beginning to the end offsets
     * as of now (with {@code readCommitted}, to the last stable offset: an aborted transaction's records are left
     * out). Blocks; call once everything is caught up.
     */
    long invoicesWrittenBy(String worker, Map<String, Long> epochsAtMost, boolean readCommitted) {
        byte[] name = worker.getBytes(StandardCharsets.UTF_8);
        long count = 0;
        Properties props = KafkaClientSettings.reader(config, "chaos-" + this.name + "-invoices", readCommitted);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = IntStream.range(0, REGIONS)
                    .mapToObj(p -> new TopicPartition(config.invoicesTopic(), p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + ChaosTiming.CATCH_UP.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(this.name + ": reading " + config.invoicesTopic() + " to " + ends + " took too long");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header writer = record.headers().lastHeader(BillingHandler.HEADER_WORKER);
                    Header epoch = record.headers().lastHeader(BillingHandler.HEADER_EPOCH);
                    if (writer != null && epoch != null && java.util.Arrays.equals(writer.value(), name)
                            && Long.parseLong(new String(epoch.value(), StandardCharsets.UTF_8)) <= epochsAtMost.get("r" + record.partition())
                            && record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /** Waits until every region's checkpoint is at the end of its orders partition: everything written so far is done. */
    ClusterStatus awaitCaughtUp() throws Exception {
        Map<String, Long> ends = endOffsets(config.ordersTopic());
        return await("every checkpoint at the end of " + config.ordersTopic() + " " + ends, ChaosTiming.CATCH_UP,
                status -> checkpoints(status).equals(ends));
    }

    // ---------------------------------------------------------------- checks

    List<HistoryEvent> history() throws Exception {
        return HistoryFiles.read(historyDir).events();
    }

    /** The order check and the history check of this scenario, printed as one line. */
    Outcome verify(String figures) throws Exception {
        long began = System.nanoTime();
        VerifyReport report = new Verifier(config, Duration.ofMinutes(2)).verify();
        System.out.printf("%s: verified in %d ms%n", name, (System.nanoTime() - began) / 1_000_000);
        HistoryFiles.Contents contents = HistoryFiles.read(historyDir);
        HistoryReport history = new HistoryChecker().check(contents.events(), contents.unreadableLines());
        Outcome outcome = new Outcome(name, report, history, figures);
        ChaosReport.record(outcome.line());
        return outcome;
    }

    record Outcome(String scenario, VerifyReport report, HistoryReport history, String figures) {
        String line() {
            return String.format("%-34s produced=%d invoiced=%d lost=%d duplicates=%d conflicting=%d order_violations=%d"
                            + " dead_lettered=%d ok=%s | history claims=%d checkpoints=%d overlapping=%d epoch_regressions=%d"
                            + " checkpoint_epoch_regressions=%d foreign=%d fenced_writes_rejected=%d ok=%s | %s",
                    scenario, report.produced(), report.invoiced(), report.lost(), report.duplicateInvoices(), report.conflictingInvoices(),
                    report.orderViolations(), report.deadLettered(), report.ok(), history.claims(), history.checkpointsAccepted(),
                    history.overlappingClaims(), history.epochRegressions(), history.checkpointEpochRegressions(), history.foreignCheckpoints(),
                    history.fencedWritesRejected(), history.ok(), figures);
        }
    }

    @Override
    public void close() throws Exception {
        for (Feeder feeder : feeders) {
            try {
                feeder.stop();
            } catch (Exception | AssertionError e) {
                // already reported by the scenario, or irrelevant at cleanup
            }
        }
        for (WorkerProcess worker : workers.values()) {
            try {
                Signals.resume(worker.pid());
            } catch (Exception e) {
                // not stopped or already gone
            }
            worker.close();
        }
        for (KafkaConsumer<byte[], byte[]> reader : offsetReaders.values()) {
            reader.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
        client.close();
    }
}
