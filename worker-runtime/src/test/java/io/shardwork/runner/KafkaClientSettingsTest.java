package io.shardwork.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardwork.config.ShardworkConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class KafkaClientSettingsTest {
    private static ShardworkConfig config(Map<String, String> extra) {
        Map<String, String> raw = new HashMap<>(Map.of(
                "zookeeper.connect", "127.0.0.1:2181",
                "kafka.bootstrap.servers", "127.0.0.1:9092",
                "deployment.environment", "development",
                "regions", "eu",
                "region.eu.partition", "0"));
        raw.putAll(extra);
        return ShardworkConfig.parse("test", raw);
    }

    private static String pollRecords(Map<String, String> extra) {
        return KafkaClientSettings.regionConsumer(config(extra), "c").getProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
    }

    @Test
    void aRegionPollsAQuarterOfTheDefaultInFlightCapSoAWorkerHoldsLittleInMemory() {
        assertEquals("250", pollRecords(Map.of()), "not runner.max.in.flight (1000) per region");
    }

    @Test
    void theInFlightCapBoundsThePollAndTheClientSettingMayMoveItUpToThere() {
        assertEquals("100", pollRecords(Map.of("runner.max.in.flight", "100")));
        assertEquals("800", pollRecords(Map.of("kafka.consumer.max.poll.records", "800")));
        assertEquals("1000", pollRecords(Map.of("kafka.consumer.max.poll.records", "5000")));
        assertEquals("40", pollRecords(Map.of("runner.max.in.flight", "2000", "kafka.consumer.max.poll.records", "40")));
    }

    private static String sharedBuffer(Map<String, String> extra) {
        return KafkaClientSettings.idempotentProducer(config(extra), "p").getProperty(ProducerConfig.BUFFER_MEMORY_CONFIG);
    }

    private static String transactionalBuffer(Map<String, String> extra) {
        return KafkaClientSettings.transactionalProducer(config(extra), "eu", "p").getProperty(ProducerConfig.BUFFER_MEMORY_CONFIG);
    }

    @Test
    void producersBufferLittleSoThatSentInvoicesDoNotOutliveYoungCollections() {
        assertEquals(Integer.toString(4 * 1024 * 1024), sharedBuffer(Map.of()), "not Kafka's 32 MiB for the shared producer");
        assertEquals(Integer.toString(256 * 1024), transactionalBuffer(Map.of()), "per region in exactly-once mode");
    }

    @Test
    void anExactlyOnceRegionsBufferHoldsFourOfItsBatchesWhateverTheirSize() {
        assertEquals(Integer.toString(4 * 512 * 1024), transactionalBuffer(Map.of("kafka.producer.batch.size", "524288")),
                "Kafka refuses to allocate a batch larger than the buffer");
        assertEquals("100000", transactionalBuffer(Map.of("kafka.producer.batch.size", "524288",
                "kafka.producer.buffer.memory", "100000")), "a buffer told is kept");
    }

    @Test
    void theProducerBufferSettingMovesBothProducers() {
        Map<String, String> set = Map.of("kafka.producer.buffer.memory", "8388608");
        assertEquals("8388608", sharedBuffer(set));
        assertEquals("8388608", transactionalBuffer(set));
    }

    @Test
    void anExactlyOnceRegionsProducerLingersLongerForLargerBatchesUnlessTold() {
        var transactional = KafkaClientSettings.transactionalProducer(config(Map.of()), "eu", "p");
        assertEquals("20", transactional.getProperty(ProducerConfig.LINGER_MS_CONFIG));
        assertEquals(Integer.toString(64 * 1024), transactional.getProperty(ProducerConfig.BATCH_SIZE_CONFIG));
        var shared = KafkaClientSettings.idempotentProducer(config(Map.of()), "p");
        assertEquals("5", shared.getProperty(ProducerConfig.LINGER_MS_CONFIG), "the shared producer's invoices are read at once");

        var told = KafkaClientSettings.transactionalProducer(config(Map.of("kafka.producer.linger.ms", "2",
                "kafka.producer.batch.size", "16384")), "eu", "p");
        assertEquals("2", told.getProperty(ProducerConfig.LINGER_MS_CONFIG));
        assertEquals("16384", told.getProperty(ProducerConfig.BATCH_SIZE_CONFIG));
    }

    @Test
    void aStandbysFetchesWaitToBatchWhatARegionsFetchReturnsAtOnce() {
        var standby = KafkaClientSettings.standbyConsumer(config(Map.of("kafka.consumer.fetch.min.bytes", "1")), "s");
        assertEquals(Integer.toString(64 * 1024), standby.getProperty(ConsumerConfig.FETCH_MIN_BYTES_CONFIG));
        assertEquals("200", standby.getProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG));
        assertEquals("10000", standby.getProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), "a history is read in large polls");
        assertEquals("read_committed", standby.getProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "else a region consumer's");

        var region = KafkaClientSettings.regionConsumer(config(Map.of()), "r");
        assertEquals(null, region.getProperty(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), "Kafka's 1 byte: an order is handled as it comes");
    }
}
