package io.shardwork.cli.demo;

import io.shardwork.billing.BillingHandler;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.deadletter.DeadLetter;
import io.shardwork.runner.KafkaClientSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

/**
 * Follows the invoices and dead-letter topics (read_committed) on its own thread while the demo runs:
 * counts the distinct orders invoiced (by order id, the invoice's key) or dead-lettered (by the position of the
 * orders record, as a demo's orders never repeat an id, an order is one or the other unless a defect made it
 * both, which {@code verify} reports), and, for each region whose owner was killed,
 * notes the first invoice written under a higher region epoch (its new owner) with its record
 * timestamp. Counters are read from any thread; {@link #close()} stops the thread.
 */
final class InvoiceTracker implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);

    /** A region whose owner was killed: waits for the first invoice of a higher epoch on its partition. */
    static final class TakeoverWatch {
        final String region;
        final int partition;
        final long epochAtKill;
        private volatile long firstInvoiceAtMs = -1;
        private volatile String newOwner;

        TakeoverWatch(String region, int partition, long epochAtKill) {
            this.region = region;
            this.partition = partition;
            this.epochAtKill = epochAtKill;
        }

        /** The record timestamp of the new owner's first invoice, empty while none was seen. */
        OptionalLong firstInvoiceAtMs() {
            long at = firstInvoiceAtMs;
            return at < 0 ? OptionalLong.empty() : OptionalLong.of(at);
        }

        String newOwner() {
            return newOwner;
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String invoicesTopic;
    private final Thread thread;
    private final Set<String> invoicedIds = new HashSet<>();
    private final Set<String> deadLetteredIds = new HashSet<>();
    private final Map<Integer, TakeoverWatch> watches = new ConcurrentHashMap<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile long invoiced;
    private volatile long deadLettered;
    private volatile long settled;
    private volatile long invoiceRecords;
    private volatile boolean closing;

    InvoiceTracker(ShardworkConfig config) {
        this.consumer = new KafkaConsumer<>(KafkaClientSettings.reader(config, "shardwork-demo-tracker", true));
        this.invoicesTopic = config.invoicesTopic();
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(config.invoicesTopic(), config.deadLetterTopic())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "demo-invoice-tracker");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Starts watching a region's partition for its new owner; call before killing the owner. */
    TakeoverWatch watchTakeover(String region, int partition, long epochAtKill) {
        TakeoverWatch watch = new TakeoverWatch(region, partition, epochAtKill);
        watches.put(partition, watch);
        return watch;
    }

    /** Distinct orders with an invoice. */
    long invoiced() {
        return invoiced;
    }

    /** Distinct orders with a dead letter. */
    long deadLettered() {
        return deadLettered;
    }

    /** Distinct orders with an invoice or a dead letter. */
    long settled() {
        return settled;
    }

    /** Invoice records read, duplicates included. */
    long invoiceRecords() {
        return invoiceRecords;
    }

    /** The exception that stopped the tracking thread, if any. */
    Exception failure() {
        return failure.get();
    }

    private void run() {
        try {
            while (!closing) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.topic().equals(invoicesTopic)) {
                        onInvoice(record);
                    } else {
                        onDeadLetter(record);
                    }
                }
            }
        } catch (WakeupException woken) {
            // close() asked to stop
        } catch (Exception unexpected) {
            failure.compareAndSet(null, unexpected);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void onInvoice(ConsumerRecord<byte[], byte[]> record) {
        invoiceRecords++;
        String id = new String(record.key(), StandardCharsets.UTF_8);
        if (invoicedIds.add(id)) {
            invoiced++;
            settled++;
        }
        TakeoverWatch watch = watches.get(record.partition());
        if (watch != null && watch.firstInvoiceAtMs < 0) {
            Header epoch = record.headers().lastHeader(BillingHandler.HEADER_EPOCH);
            if (epoch != null && Long.parseLong(new String(epoch.value(), StandardCharsets.UTF_8)) > watch.epochAtKill) {
                Header worker = record.headers().lastHeader(BillingHandler.HEADER_WORKER);
                watch.newOwner = worker == null ? "?" : new String(worker.value(), StandardCharsets.UTF_8);
                watch.firstInvoiceAtMs = record.timestamp();
            }
        }
    }

    /**
     * A dead letter counts the orders record it stands for, known by its position (its offset header): the
     * key is no identity, a poison order's key is its customer, shared by the other poison orders.
     */
    private void onDeadLetter(ConsumerRecord<byte[], byte[]> record) {
        Header offset = record.headers().lastHeader(DeadLetter.HEADER_OFFSET);
        String id = "p" + record.partition() + "@"
                + (offset == null ? "?" + record.offset() : new String(offset.value(), StandardCharsets.UTF_8));
        if (deadLetteredIds.add(id)) {
            deadLettered++;
            settled++;
        }
    }

    /** Stops the thread and closes the consumer; blocks up to a few seconds. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        if (thread.isAlive()) {
            consumer.wakeup();
            thread.join(10_000);
        } else if (!thread.isAlive() && thread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
