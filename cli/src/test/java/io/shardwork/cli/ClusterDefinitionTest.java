package io.shardwork.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.config.DefinitionMerge;
import io.shardwork.config.RegionSpec;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.coordination.definition.DefinitionStore;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.coordination.status.ClusterStatusReader;
import io.shardwork.coordination.worker.OwnershipListener;
import io.shardwork.embedded.EmbeddedCluster;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.DefinitionDocument;
import io.shardwork.layout.MoveRecord;
import io.shardwork.node.WorkerNode;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.produce.OrderProducer;
import io.shardwork.verify.Verifier;
import io.shardwork.verify.VerifyReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import io.shardwork.deadletter.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster definition against a real ZooKeeper and Kafka broker (one pair for the class, a cluster name and
 * topics per test): {@code cluster apply} and {@code cluster show} run in-process through the command line,
 * workers are in-process {@link WorkerNode}s (refused starts go through the {@code worker} command).
 */
class ClusterDefinitionTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final AtomicInteger NEXT = new AtomicInteger();

    @TempDir
    static Path dir;
    private static EmbeddedCluster cluster;
    private final List<WorkerNode> nodes = new ArrayList<>();
    private CuratorFramework observer;

    @BeforeAll
    static void startServers() {
        cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.onFreePorts(dir.resolve("servers")));
    }

    @AfterAll
    static void stopServers() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void stopWorkers() {
        nodes.forEach(WorkerNode::close);
        if (observer != null) {
            observer.close();
        }
    }

    // ---------------------------------------------------------------- tests

    @Test
    void applyCreatesAFreshChrootAndAWorkerWithoutADefinitionIsToldToApply() throws Exception {
        String name = "fresh" + NEXT.incrementAndGet();
        Map<String, String> keys = keys(name, 3, "at-least-once");
        keys.put("zookeeper.connect", cluster.zookeeperConnect() + "/" + name + "-root");
        Path full = write(name + ".properties", keys);
        Map<String, String> hostKeys = new LinkedHashMap<>(keys);
        hostKeys.keySet().removeIf(key -> key.startsWith("region") || key.startsWith("topic.") || key.equals("handler"));
        Path host = write(name + "-host.properties", hostKeys);

        CliRun missing = CliRun.of("worker", "--config", host.toString());
        assertEquals(ExitCodes.USAGE, missing.exitCode(), missing.out() + missing.err());
        assertTrue(missing.err().contains("has no definition") && missing.err().contains("cluster apply")
                && missing.err().contains("chroot /" + name + "-root"), missing.err());
        assertFalse(missing.err().contains("KeeperErrorCode"), missing.err());

        CliRun applied = CliRun.of("cluster", "apply", "--config", full.toString(), "--create-topics");
        assertEquals(ExitCodes.OK, applied.exitCode(), applied.out() + applied.err());
        assertTrue(applied.out().contains("created the ZooKeeper chroot /" + name + "-root"), applied.out());
        assertTrue(applied.out().contains("+ region r2 (partition 2, weight 1, zones any)"), applied.out());
        assertTrue(applied.out().contains("created topic " + name + "-orders with 3 partitions"), applied.out());
        assertTrue(applied.out().contains("applied: definition version 0"), applied.out());
        try (org.apache.curator.framework.CuratorFramework zk = org.apache.curator.framework.CuratorFrameworkFactory
                .newClient(cluster.zookeeperConnect() + "/" + name + "-root", new org.apache.curator.retry.RetryOneTime(100))) {
            zk.start();
            io.shardwork.layout.ClusterPaths paths = new io.shardwork.layout.ClusterPaths(name);
            for (String region : java.util.List.of("r0", "r1", "r2")) {
                assertTrue(zk.checkExists().forPath(paths.regionEpoch(region)) != null
                        && zk.checkExists().forPath(paths.regionCheckpoint(region)) != null,
                        region + "'s epoch and checkpoint nodes are created with its definition, before any claim");
            }
        }

        CliRun shown = CliRun.of("cluster", "show", "--config", host.toString(), "--json");
        assertEquals(ExitCodes.OK, shown.exitCode(), shown.err());
        assertTrue(shown.out().contains("\"version\" : 0") && shown.out().contains("\"handler\" : \"billing\""), shown.out());
        CliRun again = CliRun.of("cluster", "apply", "--config", full.toString());
        assertEquals(ExitCodes.OK, again.exitCode(), again.err());
        assertTrue(again.out().contains("no change (definition version 0)"), again.out());
    }

    @Test
    void topicsWithFewerPartitionsThanRegionsAreRefusedByApplyAndByAStartingWorker() throws Exception {
        String name = "narrow" + NEXT.incrementAndGet();
        Path file = write(name + ".properties", keys(name, 3, "at-least-once"));
        cluster.kafka().createTopics(Map.of(name + "-orders", 2, name + "-invoices", 2, name + "-dlq", 2));

        CliRun refused = CliRun.of("cluster", "apply", "--config", file.toString());
        assertEquals(ExitCodes.USAGE, refused.exitCode(), refused.out() + refused.err());
        assertTrue(refused.err().contains("topic " + name + "-orders has 2 partitions, fewer than the 3 regions"), refused.err());
        assertTrue(refused.err().contains("refused: the cluster definition is unchanged"), refused.err());
        assertEquals(ExitCodes.USAGE, CliRun.of("cluster", "show", "--config", file.toString()).exitCode(), "no definition was written");

        // a definition written behind apply's back: the worker still refuses to run regions on partitions that do not exist
        ShardworkConfig config = ShardworkConfig.load(file);
        new DefinitionStore(observer(), new ClusterPaths(name)).write(DefinitionMerge.definitionOf(config), DefinitionDocument.NO_VERSION);
        CliRun worker = CliRun.of("worker", "--config", file.toString());
        assertEquals(ExitCodes.USAGE, worker.exitCode(), worker.out() + worker.err());
        assertTrue(worker.err().contains("has 2 partitions, fewer than the 3 regions"), worker.err());
    }

    @Test
    void eachDriftIsRefusedAtStartNamingTheKeysWithFileAndClusterValues() throws Exception {
        String name = "drift" + NEXT.incrementAndGet();
        Map<String, String> base = keys(name, 3, "at-least-once");
        base.put("region.r0.zones", "z1");
        applyOk(write(name + ".properties", base), true);

        Map<String, Function<Map<String, String>, String>> cases = new LinkedHashMap<>();
        cases.put("region.r0.partition: file 1, cluster 0", k -> {
            k.put("region.r0.partition", "1");
            k.put("region.r1.partition", "0");
            return "swapped";
        });
        cases.put("regions: file r0,r1, cluster r0,r1,r2", k -> {
            k.put("regions", "r0,r1");
            k.remove("region.r2.partition");
            return "fewer";
        });
        cases.put("region.r0.zones: file z2, cluster z1", k -> {
            k.put("region.r0.zones", "z2");
            return "zones";
        });
        cases.put("handler: file noop, cluster billing", k -> {
            k.put("handler", "noop");
            return "handler";
        });
        cases.put("delivery: file exactly-once, cluster at-least-once", k -> {
            k.put("delivery", "exactly-once");
            return "delivery";
        });
        for (Map.Entry<String, Function<Map<String, String>, String>> drift : cases.entrySet()) {
            Map<String, String> keys = new LinkedHashMap<>(base);
            String label = drift.getValue().apply(keys);
            CliRun run = CliRun.of("worker", "--config", write(name + "-" + label + ".properties", keys).toString());
            assertEquals(ExitCodes.USAGE, run.exitCode(), label + ": " + run.out() + run.err());
            assertTrue(run.err().contains(drift.getKey()), label + ": " + run.err());
            assertTrue(run.err().contains("cluster definition (version 0)"), label + ": " + run.err());
        }
        CliRun swapped = CliRun.of("worker", "--config", dir.resolve(name + "-swapped.properties").toString());
        assertTrue(swapped.err().contains("region.r1.partition: file 0, cluster 1"), "every drifted key has its line: " + swapped.err());
        assertTrue(status(name).members().isEmpty(), "no refused worker registered");

        // a host file without the cluster-wide keys runs the definition: nothing lost or dead-lettered
        ShardworkConfig cluster = ShardworkConfig.load(dir.resolve(name + ".properties"));
        produce(cluster, cluster.regions(), 60, 5);
        Map<String, String> host = hostKeys(base);
        host.put("worker.zone", "z1"); // r0 may only be processed in z1
        nodes.add(startWorker(write(name + "-host.properties", host), "w1"));
        VerifyReport report = awaitVerified(cluster, 60);
        assertEquals(0, report.deadLettered(), report.toString());
        assertTrue(report.ok(), report.toString());
    }

    @Test
    void verifyFailsWithExitThreeWhenValidOrdersWereDeadLetteredAsAnotherRegionsAndCountsThoseNeverInvoiced() throws Exception {
        String name = "misrouted" + NEXT.incrementAndGet();
        Path file = write(name + ".properties", keys(name, 3, "at-least-once"));
        applyOk(file, true);
        ShardworkConfig config = ShardworkConfig.load(file);
        produce(config, config.regions(), 30, 7);
        // what a host with r0 and r1 swapped wrote for an order of partition 0 (issue 13's reproduction)
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(config);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     cluster.kafkaBootstrap()), new ByteArraySerializer(), new ByteArraySerializer())) {
            TopicPartition p0 = new TopicPartition(config.ordersTopic(), 0);
            consumer.assign(List.of(p0));
            consumer.seekToBeginning(List.of(p0));
            ConsumerRecord<byte[], byte[]> order = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (order == null && System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(100));
                order = records.isEmpty() ? null : records.iterator().next();
            }
            assertTrue(order != null, "an order on partition 0");
            DeadLetter letter = DeadLetter.unparseable(order.key(), order.value(),
                    "region 'r0' is not the region of this partition ('r1')", "r1", 0, order.offset(), "drifted-host", 1);
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(config.deadLetterTopic(), 0, letter.key(), letter.value());
            letter.headers().forEach(record.headers()::add);
            producer.send(record).get();
        }
        CliRun before = CliRun.of("verify", "--config", file.toString(), "--json");
        assertEquals(ExitCodes.CHECK_FAILED, before.exitCode(), before.out() + before.err());
        assertTrue(before.out().contains("\"misrouted_dead_letters\":1") && before.out().contains("\"misrouted_never_invoiced\":1"), before.out());

        nodes.add(startWorker(file, "w1"));
        awaitVerified(config, 30);
        CliRun after = CliRun.of("verify", "--config", file.toString(), "--json");
        assertEquals(ExitCodes.CHECK_FAILED, after.exitCode(), "misrouting alone fails verify: " + after.out());
        assertTrue(after.out().contains("\"lost\":0") && after.out().contains("\"misrouted_dead_letters\":1")
                && after.out().contains("\"misrouted_never_invoiced\":0"), after.out());
    }

    @Test
    void theKeyOrderedPoolOfARunningWorkerGrowsWithARegionAddedAtRuntime() throws Exception {
        String name = "keyedgrow" + NEXT.incrementAndGet();
        Map<String, String> two = keys(name, 2, "at-least-once");
        two.put("runner.ordering", "key");
        two.put("runner.concurrency", "8");
        applyOk(write(name + ".properties", two), true);
        WorkerNode worker = startWorker(dir.resolve(name + ".properties"), "w1");
        nodes.add(worker);
        assertEquals(16, keyedPoolThreads(worker), "8 threads for each of 2 regions");

        Map<String, String> three = keys(name, 3, "at-least-once");
        three.put("runner.ordering", "key");
        three.put("runner.concurrency", "8");
        Path threePath = write(name + "-three.properties", three);
        applyOk(threePath, true);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (keyedPoolThreads(worker) != 24 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(24, keyedPoolThreads(worker), "the definition's third region adds 8 threads without a restart");
        ShardworkConfig after = ShardworkConfig.load(threePath);
        produce(after, after.regions(), 600, 31);
        VerifyReport report = awaitVerified(after, 600);
        assertTrue(report.ok() && report.invoiced() == 600, "every region, r2 too, billed by the grown pool: " + report);
    }

    /** The worker's gauge of the threads for key-ordered handler calls. */
    private static long keyedPoolThreads(WorkerNode worker) {
        return (long) worker.meterRegistry().get("shardwork.keyed.pool.threads").gauge().value();
    }

    @Test
    void refusedChangesExitTwoWithTheirMessageAndLeaveTheDefinitionUnchanged() throws Exception {
        String name = "refuse" + NEXT.incrementAndGet();
        Map<String, String> base = keys(name, 3, "at-least-once");
        Path basePath = write(name + ".properties", base);
        applyOk(basePath, true);
        ShardworkConfig config = ShardworkConfig.load(basePath);
        produce(config, config.regions(), 90, 11);

        Map<String, String> swapped = new LinkedHashMap<>(base);
        swapped.put("region.r0.partition", "1");
        swapped.put("region.r1.partition", "0");
        assertRefused(name, write(name + "-swapped.properties", swapped), "region.r0.partition 0 -> 1 is refused: a region's partition never changes");

        Map<String, String> fewer = new LinkedHashMap<>(base);
        fewer.put("regions", "r0,r1");
        fewer.remove("region.r2.partition");
        Path fewerPath = write(name + "-fewer.properties", fewer);
        long onR2 = new Verifier(config).verify().produced() - ordersOn(config, 0) - ordersOn(config, 1);
        assertTrue(onR2 > 0, "orders were produced to r2");
        assertRefused(name, fewerPath, "Removing region r2 is refused: " + onR2 + " of its orders (partition 2) are not processed yet");

        nodes.add(startWorker(basePath, "w1"));
        Map<String, String> exactly = new LinkedHashMap<>(base);
        exactly.put("delivery", "exactly-once");
        assertRefused(name, write(name + "-eos.properties", exactly), "delivery at-least-once -> exactly-once is refused while 1 worker(s) are alive");

        awaitVerified(config, 90);
        CliRun removed = CliRun.of("cluster", "apply", "--config", fewerPath.toString());
        assertEquals(ExitCodes.OK, removed.exitCode(), "once r2's orders are processed it may go: " + removed.out() + removed.err());
        assertTrue(removed.out().contains("- region r2") && removed.out().contains("applied: definition version 1"), removed.out());
    }

    @Test
    void aRegionAddedAtRuntimeWithCreateTopicsIsClaimedAndInvoicedWithoutRestarts() throws Exception {
        String name = "grow" + NEXT.incrementAndGet();
        Path three = write(name + ".properties", keys(name, 3, "at-least-once"));
        applyOk(three, true);
        ShardworkConfig before = ShardworkConfig.load(three);
        for (String id : List.of("w1", "w2", "w3")) {
            nodes.add(startWorker(three, id));
        }
        awaitStatus(name, "every region claimed", s -> s.regions().stream().filter(r -> r.claimedBy() != null).count() == 3);
        CompletableFuture<Void> feeder = produceAsync(before, before.regions(), 1500, 500, 21);

        Path four = write(name + "-four.properties", keys(name, 4, "at-least-once"));
        ShardworkConfig after = ShardworkConfig.load(four);
        CliRun dryRun = CliRun.of("cluster", "apply", "--config", four.toString(), "--create-topics", "--dry-run");
        assertEquals(ExitCodes.OK, dryRun.exitCode(), dryRun.out() + dryRun.err());
        assertTrue(dryRun.out().contains("+ region r3 (partition 3, weight 1, zones any)") && dryRun.out().contains("dry run: nothing changed."),
                dryRun.out());
        assertTrue(dryRun.out().lines().anyMatch(line -> line.matches("\\s+r3: \\(none\\) -> w[123] \\(orphaned\\)")), dryRun.out());
        assertEquals(0, status(name).definitionVersion(), "a dry run changes nothing");
        long appliedAt = System.nanoTime();
        CliRun applied = CliRun.of("cluster", "apply", "--config", four.toString(), "--create-topics");
        assertEquals(ExitCodes.OK, applied.exitCode(), applied.out() + applied.err());
        assertTrue(applied.out().contains("+ region r3 (partition 3") && applied.out().contains("added partitions to topic " + name + "-orders: 3 -> 4"),
                applied.out());
        RegionSpec r3 = after.regions().get(3);
        produce(after, List.of(r3), 100, 22);
        long firstInvoiceMs = awaitFirstInvoice(after, 3, appliedAt);
        System.out.printf("cluster apply -> first invoice of the new region r3: %d ms (apply itself %s)%n", firstInvoiceMs,
                applied.out().lines().filter(l -> l.startsWith("applied")).findFirst().orElse(""));
        feeder.get();

        VerifyReport report = awaitVerified(after, 1600);
        assertTrue(report.ok(), report.toString());
        for (WorkerNode node : nodes) {
            assertEquals(1, node.coordinator().definition().orElseThrow().version(), node.workerId() + " runs version 1 without a restart");
        }
        ClusterStatus status = status(name);
        assertEquals(1, status.definitionVersion());
        assertTrue(status.lagging().isEmpty() && status.unplaced().isEmpty(), status.toString());
    }

    @Test
    void aWeightChangeMovesRegionsThroughTheNormalReleaseWithNoDuplicateInExactlyOnce() throws Exception {
        String name = "weigh" + NEXT.incrementAndGet();
        Map<String, String> base = keys(name, 6, "exactly-once");
        Path basePath = write(name + ".properties", base);
        applyOk(basePath, true);
        ShardworkConfig config = ShardworkConfig.load(basePath);
        for (String id : List.of("w1", "w2", "w3")) {
            nodes.add(startWorker(basePath, id));
        }
        ClusterStatus settled = awaitStatus(name, "two regions each", s -> s.members().size() == 3
                && s.members().stream().allMatch(m -> m.regions().size() == 2)
                && s.regions().stream().allMatch(r -> r.owner() != null && r.owner().equals(r.claimedBy())));
        long generation = settled.generation();
        CompletableFuture<Void> feeder = produceAsync(config, config.regions(), 1800, 600, 31);

        // both regions of one worker become heavy: it is then more than the heaviest region above the others
        ClusterStatus.MemberStatus loaded = settled.members().get(0);
        Map<String, String> heavy = new LinkedHashMap<>(base);
        loaded.regions().forEach(region -> heavy.put("region." + region + ".weight", "5"));
        CliRun applied = CliRun.of("cluster", "apply", "--config", write(name + "-heavy.properties", heavy).toString());
        assertEquals(ExitCodes.OK, applied.exitCode(), applied.out() + applied.err());
        assertTrue(applied.out().contains("~ region " + loaded.regions().get(0) + " weight 1 -> 5 (reweighted)"), applied.out());
        ClusterStatus moved = awaitStatus(name, "one of " + loaded.id() + "'s heavy regions moved away", s -> s.generation() > generation
                && s.members().stream().filter(m -> m.id().equals(loaded.id())).allMatch(m -> m.regions().size() == 1)
                && s.regions().stream().allMatch(r -> r.owner() != null && r.owner().equals(r.claimedBy())));
        List<MoveRecord> moves = moved.recentMoves().stream().filter(m -> m.generation() > generation).toList();
        assertFalse(moves.isEmpty());
        assertTrue(moves.stream().allMatch(m -> m.reason().equals("balance") || m.reason().equals("capacity")), moves.toString());
        feeder.get();
        VerifyReport report = awaitVerified(config, 1800);
        assertEquals(0, report.duplicateInvoices(), report.toString());
        assertTrue(report.ok(), report.toString());
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, String> keys(String name, int regions, String delivery) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("cluster.name", name);
        keys.put("deployment.environment", "development");
        keys.put("zookeeper.connect", cluster.zookeeperConnect());
        keys.put("zookeeper.session.timeout.ms", "4000");
        keys.put("kafka.bootstrap.servers", cluster.kafkaBootstrap());
        keys.put("topic.orders", name + "-orders");
        keys.put("topic.invoices", name + "-invoices");
        keys.put("topic.dead.letters", name + "-dlq");
        keys.put("regions", java.util.stream.IntStream.range(0, regions).mapToObj(i -> "r" + i).collect(Collectors.joining(",")));
        for (int i = 0; i < regions; i++) {
            keys.put("region.r" + i + ".partition", Integer.toString(i));
        }
        keys.put("handler", "billing");
        keys.put("delivery", delivery);
        keys.put("checkpoint.interval.ms", "200");
        keys.put("rebalance.delay.ms", "500");
        keys.put("runner.warm.consumers", "2");
        return keys;
    }

    /** {@code keys} without the cluster-wide ones: a host's file. */
    private static Map<String, String> hostKeys(Map<String, String> keys) {
        java.util.Set<String> cluster = io.shardwork.config.ShardworkConfigDef.keys().stream()
                .filter(io.shardwork.config.ConfigKey::clusterWide).map(io.shardwork.config.ConfigKey::name)
                .collect(Collectors.toSet());
        Map<String, String> host = new LinkedHashMap<>(keys);
        host.keySet().removeIf(key -> cluster.contains(key) || key.startsWith("region."));
        return host;
    }

    private static Path write(String file, Map<String, String> keys) throws Exception {
        Path path = dir.resolve(file);
        Files.writeString(path, keys.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
        return path;
    }

    private static void applyOk(Path file, boolean createTopics) {
        CliRun run = createTopics ? CliRun.of("cluster", "apply", "--config", file.toString(), "--create-topics")
                : CliRun.of("cluster", "apply", "--config", file.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
    }

    private void assertRefused(String name, Path file, String message) throws Exception {
        int before = status(name).definitionVersion();
        CliRun run = CliRun.of("cluster", "apply", "--config", file.toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains(message), run.err());
        assertEquals(before, status(name).definitionVersion(), "the definition is unchanged");
    }

    private WorkerNode startWorker(Path file, String id) throws Exception {
        WorkerNode node = new WorkerNode(ClusterDefinitions.resolve(ShardworkConfig.load(file).with("worker.id", id)), OwnershipListener.NONE);
        node.start();
        return node;
    }

    private CuratorFramework observer() throws InterruptedException {
        if (observer == null) {
            observer = CuratorFrameworkFactory.newClient(cluster.zookeeperConnect(), new RetryOneTime(100));
            observer.start();
            assertTrue(observer.blockUntilConnected(10, java.util.concurrent.TimeUnit.SECONDS));
        }
        return observer;
    }

    private ClusterStatus status(String name) throws Exception {
        return new ClusterStatusReader(observer(), new ClusterPaths(name)).read();
    }

    private ClusterStatus awaitStatus(String name, String what, java.util.function.Predicate<ClusterStatus> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        ClusterStatus last = status(name);
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + WAIT.toSeconds() + " s waiting for " + what + "; last status " + last);
            }
            Thread.sleep(50);
            last = status(name);
        }
        return last;
    }

    private static void produce(ShardworkConfig config, List<RegionSpec> regions, int count, long seed) throws InterruptedException {
        try (OrderProducer producer = new OrderProducer(config)) {
            producer.produce(new OrderGenerator(regions, seed).orders(count, 0), 0);
        }
    }

    private static CompletableFuture<Void> produceAsync(ShardworkConfig config, List<RegionSpec> regions, int count, double rate,
                                                        long seed) {
        return CompletableFuture.runAsync(() -> {
            try (OrderProducer producer = new OrderProducer(config)) {
                producer.produce(new OrderGenerator(regions, seed).orders(count, 0), rate);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static long ordersOn(ShardworkConfig config, int partition) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(config)) {
            TopicPartition tp = new TopicPartition(config.ordersTopic(), partition);
            return consumer.endOffsets(List.of(tp)).get(tp);
        }
    }

    /** Polls the invoices partition until its first record; returns the ms since {@code sinceNanos}. */
    private static long awaitFirstInvoice(ShardworkConfig config, int partition, long sinceNanos) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(config)) {
            TopicPartition tp = new TopicPartition(config.invoicesTopic(), partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (consumer.poll(Duration.ofMillis(20)).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("No invoice on partition " + partition + " within " + WAIT.toSeconds() + " s.");
                }
            }
            return (System.nanoTime() - sinceNanos) / 1_000_000;
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(ShardworkConfig config) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.kafkaBootstrapServers()));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static VerifyReport awaitVerified(ShardworkConfig config, long produced) throws InterruptedException {
        Verifier verifier = new Verifier(config);
        long deadline = System.nanoTime() + WAIT.toNanos();
        Supplier<VerifyReport> check = verifier::verify;
        VerifyReport last = check.get();
        while (last.produced() < produced || last.lost() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + produced + " orders processed; last " + last);
            }
            Thread.sleep(200);
            last = check.get();
        }
        return last;
    }
}
