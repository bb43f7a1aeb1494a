package io.shardwork.produce;

import io.shardwork.config.RegionSpec;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.order.OrderCodec;
import io.shardwork.order.ParseResult;
import io.shardwork.runner.KafkaClientSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Finds the last order seq already written per region, by reading the tail of each partition of the
 * orders topic, so that {@code produce} can run again and keep every region's seq increasing.
 */
public final class SequenceTail {
    /** How far back from the end of a partition to look for the last valid order. */
    static final int TAIL_RECORDS = 256;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private SequenceTail() {
    }

    /** Region name to its last seq; regions with no valid order in their tail are absent. Blocks (reads Kafka). */
    public static Map<String, Long> read(ShardworkConfig config) {
        Map<String, Long> last = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClientSettings.reader(config, "shardwork-produce-tail", false))) {
            for (RegionSpec region : config.regions()) {
                TopicPartition partition = new TopicPartition(config.ordersTopic(), region.partition());
                consumer.assign(List.of(partition));
                long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
                consumer.seek(partition, Math.max(0, end - TAIL_RECORDS));
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (consumer.position(partition, TIMEOUT) < end && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (OrderCodec.decode(region.name(), record.key(), record.value()) instanceof ParseResult.Parsed parsed) {
                            last.merge(region.name(), parsed.order().seq(), Math::max);
                        }
                    }
                }
            }
        }
        return last;
    }
}
