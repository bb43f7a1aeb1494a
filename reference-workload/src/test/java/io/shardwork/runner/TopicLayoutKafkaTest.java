package io.shardwork.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.config.ConfigException;
import io.shardwork.config.ConfigProblem;
import io.shardwork.config.ShardworkConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The topics are checked before a worker takes a region: a region's partition missing from the orders,
 * invoices or dead-letter topic (or a missing topic) is a configuration error naming the key, the topic and
 * the counts, never a runner that dies on every claim. Real Kafka.
 */
class TopicLayoutKafkaTest {
    @Test
    void topicsWithAPartitionForEveryRegionPass() {
        TestSetup setup = TestSetup.create("at-least-once", 2, Map.of());
        TopicLayout.Observed observed = TopicLayout.check(setup.config, Timing.KAFKA);
        assertEquals(TopicLayout.DEFAULT_MAX_MESSAGE_BYTES, observed.deadLetterMaxBytes());
    }

    @Test
    void everyTopicWithTooFewPartitionsIsReportedAndAMissingOneIsNot() {
        TestSetup setup = TestSetup.create("at-least-once", 2, Map.of());
        Map<String, String> raw = new java.util.LinkedHashMap<>();
        raw.put("cluster.name", setup.config.clusterName());
        raw.put("deployment.environment", "development");
        raw.put("zookeeper.connect", "127.0.0.1:1");
        raw.put("kafka.bootstrap.servers", setup.kafka.bootstrapServers());
        raw.put("topic.orders", setup.config.ordersTopic());
        raw.put("topic.invoices", setup.config.invoicesTopic());
        raw.put("topic.dead.letters", setup.config.deadLetterTopic() + ".missing");
        raw.put("regions", "r0,r1,r2");
        for (int i = 0; i < 3; i++) {
            raw.put("region.r" + i + ".partition", Integer.toString(i));
        }
        ShardworkConfig wider = ShardworkConfig.parse("wider.properties", raw);

        ConfigException refused = assertThrows(ConfigException.class, () -> TopicLayout.check(wider, Timing.KAFKA));

        List<ConfigProblem> problems = refused.problems();
        assertEquals(List.of("topic.orders", "topic.invoices"), problems.stream().map(ConfigProblem::key).toList(),
                "the dead-letter topic does not exist yet: no problem");
        assertTrue(problems.get(1).message().contains("at least 3 partitions (region r2 uses partition 2); it has 2"), problems.get(1).message());
    }
}
