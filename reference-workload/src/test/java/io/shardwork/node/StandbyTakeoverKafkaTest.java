package io.shardwork.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.coordination.worker.OwnershipListener;
import io.shardwork.embedded.EmbeddedCluster;
import io.shardwork.layout.AssignmentDocument;
import io.shardwork.order.Order;
import io.shardwork.order.OrderCodec;
import io.shardwork.runner.KafkaClientSettings;
import io.shardwork.runner.RunnerStats;
import io.shardwork.runner.Timing;
import io.shardwork.verify.Verifier;
import io.shardwork.verify.VerifyReport;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code standby.replicas=1} on whole worker nodes against a real ZooKeeper and a real Kafka broker: the leader names
 * each region's standby, the standby keeps the region's memory warm, and when the owner crashes the standby takes the
 * region over on that memory, without reading the partition back, and the memory is whole: an order id reused with
 * other content after the takeover is refused, as it would be by the owner.
 */
class StandbyTakeoverKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static EmbeddedCluster cluster;
    private final List<WorkerNode> nodes = new ArrayList<>();

    @BeforeAll
    static void startServers() throws Exception {
        cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.onFreePorts(Files.createTempDirectory("standby-test")));
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
        String name = "standby-" + delivery.charAt(0);
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("cluster.name", name);
        raw.put("deployment.environment", "development");
        raw.put("zookeeper.connect", cluster.zookeeperConnect());
        raw.put("zookeeper.session.timeout.ms", "3000");
        raw.put("kafka.bootstrap.servers", cluster.kafkaBootstrap());
        raw.put("topic.orders", name + ".orders");
        raw.put("topic.invoices", name + ".invoices");
        raw.put("topic.dead.letters", name + ".orders.dlq");
        raw.put("regions", "r0,r1");
        raw.put("region.r0.partition", "0");
        raw.put("region.r1.partition", "1");
        raw.put("handler", "billing");
        raw.put("delivery", delivery);
        raw.put("checkpoint.interval.ms", "200");
        raw.put("rebalance.delay.ms", "300");
        raw.put("standby.replicas", "1");
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

    private static void send(Producer<byte[], byte[]> producer, ShardworkConfig config, int partition, Order order) {
        producer.send(new ProducerRecord<>(config.ordersTopic(), partition, OrderCodec.recordKey(order), OrderCodec.encode(order)));
    }

    private static Order order(String id, String region, long amountCents, long seq) {
        return new Order(id, region, "c-" + seq % 7, amountCents, "EUR", seq, Instant.parse("2025-01-01T00:00:00Z").plusSeconds(seq));
    }

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once", "exactly-once"})
    void theStandbyTakesACrashedOwnersRegionOverOnItsWarmMemory(String delivery) throws Exception {
        ShardworkConfig config = config(delivery);
        WorkerNode w1 = startNode(config, "w1");
        WorkerNode w2 = startNode(config, "w2");
        AtomicReference<Object> assignment = new AtomicReference<>();
        Timing.awaitUntil(() -> {
            Optional<AssignmentDocument> seen = w2.coordinator().lastAssignment();
            assignment.set(seen.orElse(null));
            return seen.isPresent() && seen.get().owners().size() == 2 && seen.get().owners().containsValue("w1")
                    && seen.get().owners().containsValue("w2") && seen.get().standbys().size() == 2;
        }, WAIT, "one region each, and a standby for each", assignment::get);
        AssignmentDocument document = w2.coordinator().lastAssignment().orElseThrow();
        String region = document.owners().get("r0").equals("w1") ? "r0" : "r1";
        int partition = region.equals("r0") ? 0 : 1;
        assertEquals("w2", document.standbys().get(region), "the other worker stands by: " + document);
        Timing.awaitUntil(() -> w2.standbyRegions().contains(region), WAIT, "w2 to keep " + region + " warm", w2::standbyRegions);

        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClientSettings.idempotentProducer(config, "standby-test"))) {
            for (int seq = 1; seq <= 300; seq++) {
                send(producer, config, partition, order("o-" + seq, region, 100 + seq, seq));
            }
            producer.flush();
            Verifier verifier = new Verifier(config);
            AtomicReference<VerifyReport> report = new AtomicReference<>();
            Timing.awaitUntil(() -> {
                report.set(verifier.verify());
                return report.get().invoiced() == 300;
            }, WAIT, "the first orders invoiced by w1", report::get);

            w1.crash();
            Timing.awaitUntil(() -> w2.coordinator().heldRegions().contains(region), WAIT, "w2 to take " + region + " over",
                    w2.coordinator()::heldRegions);
            send(producer, config, partition, order("o-7", region, 999_999, 7)); // o-7 again, with other content
            send(producer, config, partition, order("o-301", region, 401, 301));
            producer.flush();
            Timing.awaitUntil(() -> {
                report.set(verifier.verify());
                return report.get().invoiced() == 301 && report.get().deadLettered() == 1;
            }, WAIT, "the new order invoiced and the reused id refused", report::get);
            assertEquals(0, report.get().lost(), report.get().toJson());
            assertEquals(0, report.get().conflictingInvoices(), "o-7 keeps its first invoice: " + report.get().toJson());
        }
        RunnerStats run = w2.runnerStats().stream().filter(s -> s.region().equals(region)).findFirst().orElseThrow();
        assertTrue(run.fromStandby(), "the run started on the standby's memory: " + run);
    }
}
