package io.shardwork.produce;

import io.shardwork.config.ShardworkConfig;
import io.shardwork.runner.KafkaClientSettings;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes generated orders to the orders topic, each to its region's partition, with an idempotent
 * producer (acks=all), optionally paced to a rate. Not thread-safe; {@link #close()} when done.
 */
public final class OrderProducer implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;
    private final String topic;

    public OrderProducer(ShardworkConfig config) {
        this(new KafkaProducer<>(KafkaClientSettings.idempotentProducer(config, "shardwork-produce")),
                config.ordersTopic());
    }

    OrderProducer(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** What one {@link #produce} call did. */
    public record Result(long records, long elapsedNanos) {
        public double perSecond() {
            return elapsedNanos == 0 ? 0 : records * 1e9 / elapsedNanos;
        }
    }

    /**
     * Sends every order and returns once all are acknowledged. Blocks.
     *
     * @param ratePerSecond at most this many orders per second; 0 or less for no limit
     * @throws IllegalStateException when a record could not be written (the first failure is the cause)
     */
    public Result produce(Iterator<GeneratedOrder> orders, double ratePerSecond) throws InterruptedException {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long began = System.nanoTime();
        long sent = 0;
        double nanosPerOrder = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        while (orders.hasNext()) {
            GeneratedOrder order = orders.next();
            if (nanosPerOrder > 0) {
                long due = began + (long) (sent * nanosPerOrder);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            producer.send(new ProducerRecord<>(topic, order.partition(), order.key(), order.value()), (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
            sent++;
            if (failure.get() != null) {
                break;
            }
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("Writing orders to " + topic + " failed after " + sent + " records: "
                    + failure.get(), failure.get());
        }
        return new Result(sent, System.nanoTime() - began);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
