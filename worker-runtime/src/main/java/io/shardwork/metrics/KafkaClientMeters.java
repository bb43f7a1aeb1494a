package io.shardwork.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's own client metrics through Micrometer's {@link KafkaClientMetrics} ({@code kafka_producer_*}, tagged
 * with {@code client_id}), for the client a worker keeps for its whole life: the at-least-once shared producer
 * ({@code shardwork-<worker>-effects}). The per-region consumers and exactly-once transactional producers are
 * not bound: they come and go with claims (a series set and a refresh thread per claim), and their lag and
 * fencing already show in {@code shardwork_region_lag_records} and {@code shardwork_fenced_writes_rejected_total}.
 */
public final class KafkaClientMeters {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaClientMeters.class);

    private KafkaClientMeters() {
    }

    /** Binds {@code producer}'s metrics to {@code registry}; close the result before the registry. */
    public static AutoCloseable bind(Producer<?, ?> producer, MeterRegistry registry) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        return metrics;
    }

    /** Closes a binding from {@link #bind}; null is nothing. Never throws. */
    public static void close(AutoCloseable binding) {
        if (binding == null) {
            return;
        }
        try {
            binding.close();
        } catch (Exception e) {
            LOG.debug("Closing the Kafka client metrics failed: {}", e.toString());
        }
    }
}
