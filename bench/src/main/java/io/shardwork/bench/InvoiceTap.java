package io.shardwork.bench;

import io.shardwork.billing.BillingHandler;
import io.shardwork.order.OrderCodec;
import io.shardwork.order.ParseResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads an invoices topic from the beginning on its own thread (read_uncommitted: every invoice as
 * written) and keeps, per region, each invoice's timestamp (the writer's CreateTime: when it billed the
 * order), writer and epoch headers and order id (its key), and counts every order id, for duplicates. Given the
 * orders topic too, it keeps each order's CreateTime (when the load producer sent it), so a gap between two
 * invoices can be told from the gap between their orders.
 */
final class InvoiceTap implements AutoCloseable {
    /** One invoice as seen. */
    record Inv(long ts, String worker, long epoch, String orderId) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final List<List<Inv>> byPartition = new ArrayList<>();
    private final Map<String, Integer> orderIds = new HashMap<>();
    private final String ordersTopic;
    private final Map<String, Long> orderTimes = new HashMap<>();
    private long total;
    private volatile boolean closed;

    InvoiceTap(String bootstrap, String topic, int partitions) {
        this(bootstrap, topic, null, partitions);
    }

    /** Also reads {@code ordersTopic} (null: not), for {@link #orderTime}. */
    InvoiceTap(String bootstrap, String topic, String ordersTopic, int partitions) {
        this.ordersTopic = ordersTopic;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-tap-" + topic);
        // The figures come from the invoices' CreateTime, not from when the tap reads them: its fetches may wait
        // and batch. With a fetch per invoice or two, a supervised fleet at 300 orders/s used 132-144% of a core;
        // 108-110% without.
        c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(64 * 1024));
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100"); // within awaitSteady's 250 ms margin
        consumer = new KafkaConsumer<>(c);
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
            byPartition.add(new ArrayList<>());
            if (ordersTopic != null) {
                tps.add(new TopicPartition(ordersTopic, p));
            }
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        thread = new Thread(this::run, "invoice-tap");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!closed) {
                var records = consumer.poll(Duration.ofMillis(50));
                synchronized (this) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        if (r.topic().equals(ordersTopic)) {
                            if (OrderCodec.decode(BenchEnv.region(r.partition()), r.key(), r.value())
                                    instanceof ParseResult.Parsed parsed) {
                                orderTimes.put(parsed.order().orderId(), r.timestamp());
                            }
                            continue;
                        }
                        String orderId = new String(r.key(), StandardCharsets.UTF_8);
                        byPartition.get(r.partition()).add(new Inv(r.timestamp(), header(r, BillingHandler.HEADER_WORKER),
                                parseLong(header(r, BillingHandler.HEADER_EPOCH)), orderId));
                        orderIds.merge(orderId, 1, Integer::sum);
                        total++;
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** When the order {@code orderId} was sent (its CreateTime), or -1 when unknown (no orders topic, or not read yet). */
    synchronized long orderTime(String orderId) {
        return orderTimes.getOrDefault(orderId, -1L);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A copy of the invoices of {@code partition} seen so far, in offset order. */
    synchronized List<Inv> invoices(int partition) {
        return new ArrayList<>(byPartition.get(partition));
    }

    synchronized long total() {
        return total;
    }

    synchronized long distinctOrders() {
        return orderIds.size();
    }

    /** Invoices beyond the first of each order id. */
    synchronized long duplicates() {
        return total - orderIds.size();
    }

    /** The writer of the last invoice of {@code partition} with a timestamp at or after {@code sinceMs}, or null. */
    synchronized String lastWriterSince(int partition, long sinceMs) {
        List<Inv> list = byPartition.get(partition);
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).ts >= sinceMs) {
                return list.get(i).worker;
            }
            break;
        }
        return null;
    }

    /** The writers of invoices of {@code partition} timestamped in [fromMs, toMs). */
    synchronized java.util.Set<String> writers(int partition, long fromMs, long toMs) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        List<Inv> list = byPartition.get(partition);
        for (int i = list.size() - 1; i >= 0; i--) {
            Inv inv = list.get(i);
            if (inv.ts < fromMs - 5_000) {
                break;
            }
            if (inv.ts >= fromMs && inv.ts < toMs) {
                out.add(inv.worker);
            }
        }
        return out;
    }

    /** The first invoice of {@code partition} timestamped after {@code afterMs} by a writer other than {@code notBy}, or null. */
    synchronized Inv firstAfterBy(int partition, long afterMs, String notBy) {
        for (Inv inv : byPartition.get(partition)) {
            if (inv.ts > afterMs && !inv.worker.equals(notBy)) {
                return inv;
            }
        }
        return null;
    }

    /** Invoices per bucket of {@code bucketMs}, over all partitions, from {@code fromMs} to {@code toMs}. */
    synchronized long[] histogram(long fromMs, long toMs, long bucketMs) {
        long[] buckets = new long[(int) Math.max(1, (toMs - fromMs + bucketMs - 1) / bucketMs)];
        for (List<Inv> list : byPartition) {
            for (Inv inv : list) {
                if (inv.ts >= fromMs && inv.ts < toMs) {
                    buckets[(int) ((inv.ts - fromMs) / bucketMs)]++;
                }
            }
        }
        return buckets;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
