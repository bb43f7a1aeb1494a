package io.shardwork.node;

import io.shardwork.coordination.definition.ClusterDefinitions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.worker.OwnershipListener;
import io.shardwork.embedded.EmbeddedCluster;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.produce.OrderProducer;
import io.shardwork.runner.Timing;
import io.shardwork.verify.Verifier;
import io.shardwork.verify.VerifyReport;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole worker nodes (coordination + runners, each with its own ZooKeeper and Kafka clients) in one JVM,
 * against a real ZooKeeper and a real Kafka broker: a node stopped hard, and a node leaving gracefully,
 * under load. The checker must find nothing lost, nothing conflicting, nothing out of order.
 */
class WorkerNodeKafkaTest {
    private static final int ORDERS = 6000;
    private static final int REGIONS = 4;
    private static final Duration ALL_PROCESSED = Duration.ofSeconds(120);
    private static final AtomicInteger NEXT = new AtomicInteger();

    private static EmbeddedCluster cluster;
    private final List<WorkerNode> nodes = new ArrayList<>();

    @BeforeAll
    static void startServers() throws Exception {
        cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.onFreePorts(Files.createTempDirectory("worker-node-test")));
    }

    @AfterAll
    static void stopServers() {
        cluster.close();
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(WorkerNode::crash);
    }

    private static ShardworkConfig config(String delivery) {
        String name = "node" + NEXT.incrementAndGet() + "-" + delivery.charAt(0);
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("cluster.name", name);
        raw.put("deployment.environment", "development");
        raw.put("zookeeper.connect", cluster.zookeeperConnect());
        raw.put("zookeeper.session.timeout.ms", "3000");
        raw.put("kafka.bootstrap.servers", cluster.kafkaBootstrap());
        raw.put("topic.orders", name + ".orders");
        raw.put("topic.invoices", name + ".invoices");
        raw.put("topic.dead.letters", name + ".orders.dlq");
        List<String> regions = new ArrayList<>();
        for (int i = 0; i < REGIONS; i++) {
            regions.add("r" + i);
            raw.put("region.r" + i + ".partition", Integer.toString(i));
        }
        raw.put("regions", String.join(",", regions));
        raw.put("handler", "billing");
        raw.put("delivery", delivery);
        raw.put("checkpoint.interval.ms", "200");
        raw.put("rebalance.delay.ms", "300");
        ShardworkConfig config = ShardworkConfig.parse("test " + name, raw);
        cluster.kafka().createTopics(config.topicPartitions());
        return config;
    }

    private WorkerNode startNode(ShardworkConfig config, String id) throws Exception {
        WorkerNode node = new WorkerNode(ClusterDefinitions.applyAndResolve(config.with("worker.id", id)), OwnershipListener.NONE);
        nodes.add(node);
        node.start();
        return node;
    }

    /** Produces the orders in the background at a steady rate, so that a stop lands in the middle. */
    private static CompletableFuture<Void> produceInBackground(ShardworkConfig config, long seed) {
        return CompletableFuture.runAsync(() -> {
            try (OrderProducer producer = new OrderProducer(config)) {
                producer.produce(new OrderGenerator(config.regions(), seed).orders(ORDERS, 0), 2000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static VerifyReport awaitAllProcessed(ShardworkConfig config) throws InterruptedException {
        Verifier verifier = new Verifier(config);
        AtomicReference<VerifyReport> last = new AtomicReference<>();
        Timing.awaitUntil(() -> {
            VerifyReport report = verifier.verify();
            last.set(report);
            return report.produced() == ORDERS && report.lost() == 0;
        }, ALL_PROCESSED, "every order invoiced", last::get);
        return last.get();
    }

    private static void awaitSomeInvoiced(ShardworkConfig config, long atLeast) throws InterruptedException {
        Verifier verifier = new Verifier(config);
        AtomicReference<VerifyReport> last = new AtomicReference<>();
        Timing.awaitUntil(() -> {
            last.set(verifier.verify());
            return last.get().invoiced() >= atLeast;
        }, ALL_PROCESSED, atLeast + " orders invoiced", last::get);
    }

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once", "exactly-once"})
    void aNodeStoppedHardMidStreamLosesNothing(String delivery) throws Exception {
        ShardworkConfig config = config(delivery);
        WorkerNode first = startNode(config, "w1");
        startNode(config, "w2");
        startNode(config, "w3");
        CompletableFuture<Void> producing = produceInBackground(config, 11);
        awaitSomeInvoiced(config, ORDERS / 3);
        Timing.awaitUntil(() -> !first.coordinator().heldRegions().isEmpty(), Timing.RUNNER, "w1 to hold a region", first.coordinator()::heldRegions);

        first.crash();
        producing.get();
        VerifyReport report = awaitAllProcessed(config);

        assertTrue(report.ok(), report.toJson());
        assertEquals(0, report.lost(), report.toJson());
        assertEquals(0, report.conflictingInvoices(), report.toJson());
        assertEquals(0, report.orderViolations(), report.toJson());
        if (delivery.equals("exactly-once")) {
            assertEquals(0, report.duplicateInvoices(), report.toJson());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once"})
    void aNodeLeavingGracefullyUnderLoadCausesNoDuplicate(String delivery) throws Exception {
        ShardworkConfig config = config(delivery);
        WorkerNode leaving = startNode(config, "w1");
        startNode(config, "w2");
        CompletableFuture<Void> producing = produceInBackground(config, 12);
        awaitSomeInvoiced(config, ORDERS / 3);
        Timing.awaitUntil(() -> !leaving.coordinator().heldRegions().isEmpty(), Timing.RUNNER, "w1 to hold a region", leaving.coordinator()::heldRegions);

        leaving.close();
        producing.get();
        VerifyReport report = awaitAllProcessed(config);

        assertTrue(report.ok(), report.toJson());
        assertEquals(0, report.duplicateInvoices(), "a graceful handoff delivers nothing twice: " + report.toJson());
    }
}
