package io.shardwork.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.testing.Timing;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The spare consumers of a worker against a real broker: connected before they are taken, refilled after. */
class WarmConsumersKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void testASpareIsConnectedBeforeItsFirstPollFetchesFromTheSeekAndIsReplaced() throws Exception {
        TestSetup setup = TestSetup.create("at-least-once", 2, Map.of());
        setup.produce(5, 50, 0);
        try (RegionRunnerFactory factory = RegionRunnerFactory.builder(setup.config).workerId("w1")
                .warmConsumers(2).refillDelay(Duration.ZERO).build()) {
            factory.warmUp();
            Timing.await("two spares ready", WAIT, () -> factory.warmConsumersReady() == 2, factory::warmConsumersReady);

            try (Consumer<byte[], byte[]> spare = factory.consumer("r1", 1)) {
                assertTrue(connections(spare) >= 1, "a spare has its connections open before its first poll: " + connections(spare));
                TopicPartition input = new TopicPartition(setup.config.ordersTopic(), 1);
                spare.assign(List.of(input));
                spare.seek(input, 3);
                List<ConsumerRecord<byte[], byte[]>> fetched = new ArrayList<>();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (fetched.isEmpty() && System.nanoTime() < deadline) {
                    spare.poll(Duration.ofMillis(200)).records(input).forEach(fetched::add);
                }
                assertEquals(3, fetched.get(0).offset(), "the first record fetched is the one sought");
                Timing.await("the pool refilled to two", WAIT, () -> factory.warmConsumersReady() == 2, factory::warmConsumersReady);
            }
        }
    }

    @Test
    void testAtLeastOnceWarmUpOpensTheSharedProducerBeforeAnyClaim() throws Exception {
        TestSetup setup = TestSetup.create("at-least-once", 1, Map.of());
        ObjectName producer = new ObjectName("kafka.producer:type=app-info,id=shardwork-warm-w9-effects");
        try (RegionRunnerFactory factory = RegionRunnerFactory.builder(setup.config).workerId("warm-w9").warmConsumers(0).build()) {
            assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(producer), "no producer before the warm-up");
            factory.warmUp();
            Timing.await("the shared producer open", WAIT, () -> ManagementFactory.getPlatformMBeanServer().isRegistered(producer));
        }
        assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(producer), "closed with the factory");
    }

    @Test
    void testWithoutSparesEveryClaimBuildsAColdConsumer() throws Exception {
        TestSetup setup = TestSetup.create("at-least-once", 1, Map.of("runner.warm.consumers", "0"));
        try (RegionRunnerFactory factory = RegionRunnerFactory.builder(setup.config).workerId("w1").build()) {
            factory.warmUp();
            assertEquals(0, factory.warmConsumersReady());
            try (Consumer<byte[], byte[]> cold = factory.consumer("r0", 1)) {
                assertEquals(0, connections(cold), "a consumer built at the claim has connected nowhere yet");
            }
        }
    }

    private static double connections(Consumer<byte[], byte[]> consumer) {
        for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
            if (metric.getKey().name().equals("connection-count") && metric.getKey().group().equals("consumer-metrics")) {
                return ((Number) metric.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("no connection-count metric in " + consumer.metrics().keySet());
    }
}
