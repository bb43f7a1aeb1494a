package io.shardwork.embedded;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    @TempDir
    static Path dataDir;

    static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start("127.0.0.1", 0, 0, dataDir);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void createTopicsIsIdempotentForTheSamePartitionCount() throws Exception {
        kafka.createTopics(Map.of("orders.apac", 4, "orders.latam", 2));
        assertDoesNotThrow(() -> kafka.createTopics(Map.of("orders.apac", 4, "orders.latam", 2)));
        assertDoesNotThrow(() -> kafka.createTopics(Map.of("orders.apac", 4, "orders.mea", 1)));

        assertEquals(Map.of("orders.apac", 4, "orders.latam", 2, "orders.mea", 1),
                partitionCounts("orders.apac", "orders.latam", "orders.mea"));
    }

    @Test
    void anotherPartitionCountForAnExistingTopicIsRefusedClearly() throws Exception {
        kafka.createTopics(Map.of("orders.na", 4));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> kafka.createTopics(Map.of("orders.na", 6)));

        assertEquals("Cannot create topics on " + kafka.bootstrapServers()
                + ": topic 'orders.na' already exists with 4 partitions, not the 6 requested"
                + " (Kafka cannot shrink a topic; delete it or ask for its current count)", e.getMessage());
        assertEquals(Map.of("orders.na", 4), partitionCounts("orders.na"));
    }

    @Test
    void restartKeepsAProducedRecordOnTheSamePorts(@TempDir Path ownDir) throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.start("127.0.0.1", 0, 0, ownDir)) {
            int brokerPort = broker.brokerPort();
            broker.createTopics(Map.of("orders.eu", 2));
            var written = TestClients.produce(broker.bootstrapServers(), "orders.eu", 1, "order-9", "shipped");

            broker.stop();
            broker.restart();

            assertEquals(brokerPort, broker.brokerPort());
            var read = TestClients.readAt(broker.bootstrapServers(), "orders.eu", 1, written.offset());
            assertEquals("shipped", read.value());
        }
    }

    private static Map<String, Integer> partitionCounts(String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            var described = admin.describeTopics(java.util.List.of(topics)).allTopicNames()
                    .get(Timeouts.KAFKA_OPERATION.toMillis(), TimeUnit.MILLISECONDS);
            var counts = new java.util.TreeMap<String, Integer>();
            described.forEach((name, d) -> counts.put(name, d.partitions().size()));
            return counts;
        }
    }
}
