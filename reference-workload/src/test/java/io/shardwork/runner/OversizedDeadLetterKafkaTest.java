package io.shardwork.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.deadletter.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A record that is not a valid order and is larger than the dead-letter topic or the region's producer accepts
 * must not kill its region (which would be claimed again, replay and die again, forever): the dead letter is
 * written with the value cut to fit and headers saying so. Real Kafka.
 */
class OversizedDeadLetterKafkaTest {
    @Test
    void anOversizedDeadLetterIsWrittenTruncatedAndTheRegionGoesOn() throws Exception {
        int dlqMaxBytes = 4_000;
        ConsumerRecord<byte[], byte[]> letter = deadLetterOf("at-least-once", 20_000, dlqMaxBytes);
        assertTrue(letter.value().length < dlqMaxBytes && letter.value().length > 0, "cut: " + letter.value().length);
    }

    /** An exactly-once region's producer buffers 256 KiB, below the topic's 1 MB: the buffer bounds the letter. */
    @Test
    void anExactlyOnceDeadLetterFitsTheRegionsProducerBuffer() throws Exception {
        ConsumerRecord<byte[], byte[]> letter = deadLetterOf("exactly-once", 400_000, 0);
        assertTrue(letter.value().length <= 256 * 1024 && letter.value().length > 200_000, "cut: " + letter.value().length);
    }

    /** Produces a record of {@code originalBytes} junk, then 20 orders, and returns the one dead letter written. */
    private static ConsumerRecord<byte[], byte[]> deadLetterOf(String delivery, int originalBytes, int dlqMaxBytes) throws Exception {
        TestSetup setup = TestSetup.create(delivery, 1, Map.of());
        if (dlqMaxBytes > 0) {
            Properties admin = new Properties();
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, setup.kafka.bootstrapServers());
            try (Admin client = Admin.create(admin)) {
                ConfigResource dlq = new ConfigResource(ConfigResource.Type.TOPIC, setup.config.deadLetterTopic());
                Map<ConfigResource, Collection<AlterConfigOp>> change = Map.of(dlq, List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(dlqMaxBytes)), AlterConfigOp.OpType.SET)));
                client.incrementalAlterConfigs(change).all().get(Timing.KAFKA.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        byte[] junk = new byte[originalBytes];
        Arrays.fill(junk, (byte) 'x');
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, setup.kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> orders = new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer())) {
            orders.send(new ProducerRecord<>(setup.config.ordersTopic(), 0, "big".getBytes(StandardCharsets.UTF_8), junk)).get();
        }
        setup.produce(3L, 20, 0);
        long end = 21;

        InMemoryCheckpoints checkpoints = new InMemoryCheckpoints();
        try (RegionRunnerFactory factory = RegionRunnerFactory.builder(setup.config).workerId("w-big").warmConsumers(0).build()) {
            factory.deadLetterMaxBytes(TopicLayout.check(setup.config, Timing.KAFKA).deadLetterMaxBytes());
            long epoch = checkpoints.claim("r0");
            RegionRunner runner = factory.newRunner(checkpoints.writer("r0"), RunnerListener.NONE);
            runner.start("r0", 0, epoch, 0);
            Timing.awaitUntil(() -> checkpoints.offset("r0") >= end || runner.state().terminal(), Timing.RUNNER,
                    "r0 checkpointed past every record", runner::stats);
            assertEquals(RunnerState.RUNNING, runner.state(), () -> "the runner ended: " + runner.stats());
            runner.stop();
        }
        List<ConsumerRecord<byte[], byte[]>> letters = setup.read(setup.config.deadLetterTopic(), true);
        assertEquals(1, letters.size());
        ConsumerRecord<byte[], byte[]> letter = letters.get(0);
        assertEquals(Integer.toString(originalBytes), header(letter, DeadLetter.HEADER_ORIGINAL_SIZE));
        assertEquals("0", header(letter, DeadLetter.HEADER_OFFSET));
        assertTrue(header(letter, DeadLetter.HEADER_TRUNCATED).contains("max.message.bytes"), header(letter, DeadLetter.HEADER_TRUNCATED));
        return letter;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertNotNull(header, "header " + name);
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
