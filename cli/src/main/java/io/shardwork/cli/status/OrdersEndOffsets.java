package io.shardwork.cli.status;

import io.shardwork.config.RegionSpec;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.runner.KafkaClientSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the end offset of each region's orders partition (one request per call), for the LAG column.
 * A consumer without a group: it commits nothing and joins nothing. Blocks up to the timeout per call;
 * when Kafka cannot be reached in time the answer is empty and {@code status} shows no lag.
 */
final class OrdersEndOffsets implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OrdersEndOffsets.class);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, String> regionOf = new HashMap<>();
    private final Duration timeout;
    private boolean first = true;

    /** @param timeout how long each read may block; the first read, which also fetches metadata, may take three times as long */
    OrdersEndOffsets(ShardworkConfig config, Duration timeout) {
        this.consumer = new KafkaConsumer<>(KafkaClientSettings.reader(config, "shardwork-status", false));
        for (RegionSpec region : config.regions()) {
            regionOf.put(new TopicPartition(config.ordersTopic(), region.partition()), region.name());
        }
        this.timeout = timeout;
    }

    /** Region to end offset; empty when Kafka did not answer within the timeout. */
    Map<String, Long> read() {
        try {
            Duration allowed = first ? timeout.multipliedBy(3) : timeout;
            first = false;
            Map<TopicPartition, Long> ends = consumer.endOffsets(List.copyOf(regionOf.keySet()), allowed);
            Map<String, Long> byRegion = new HashMap<>();
            ends.forEach((partition, end) -> byRegion.put(regionOf.get(partition), end));
            return byRegion;
        } catch (KafkaException unreachable) {
            log.debug("Cannot read the end offsets of the orders topic: {}", unreachable.toString());
            return Map.of();
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
