package io.shardwork.bench;

import io.shardwork.billing.BillingHandler;
import io.shardwork.billing.Invoice;
import io.shardwork.billing.InvoiceCodec;
import io.shardwork.order.OrderCodec;
import io.shardwork.order.ParseResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The peer of a shardwork worker process: a plain Kafka consumer group member with subscribe(), which
 * bills every order like the {@code billing} handler (same decode, same invoice, same headers, the group
 * generation as the epoch) through an idempotent producer (acks=all, linger 5 ms, as the runtime's), and
 * commits at least once: every {@code commitIntervalMs} and when partitions are revoked, after flushing the
 * producer. SIGTERM: commit, leave the group, exit (the JVM's code for SIGTERM, 143).
 *
 * <p>Usage: {@code GroupWorker BOOTSTRAP ORDERS INVOICES GROUP classic|consumer SESSION_TIMEOUT_MS WORKER_ID COMMIT_INTERVAL_MS}.
 * With {@code classic}: cooperative-sticky assignment, {@code session.timeout.ms} as given, heartbeat
 * every 500 ms (the embedded broker's heartbeat interval for the consumer protocol). With {@code consumer}
 * (KIP-848) the session timeout and heartbeat are the group's, set on the broker by the benchmark.
 */
public final class GroupWorker {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String orders = args[1];
        String invoices = args[2];
        String group = args[3];
        String protocol = args[4];
        int sessionTimeoutMs = Integer.parseInt(args[5]);
        String workerId = args[6];
        long commitIntervalMs = Long.parseLong(args[7]);

        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, workerId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        if (protocol.equals("classic")) {
            c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
            c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(sessionTimeoutMs));
            c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(Math.min(500, sessionTimeoutMs / 3)));
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, workerId + "-effects");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        final boolean[] stopping = {false};
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (stopping) {
                stopping[0] = true;
            }
            consumer.wakeup();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "group-worker-shutdown"));

        consumer.subscribe(List.of(orders), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                producer.flush();
                Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>();
                for (TopicPartition tp : partitions) {
                    OffsetAndMetadata at = positions.remove(tp);
                    if (at != null) {
                        revoked.put(tp, at);
                    }
                }
                if (!revoked.isEmpty()) {
                    try {
                        consumer.commitSync(revoked);
                    } catch (RuntimeException e) {
                        // fenced or the generation moved on: the new owner starts from the last commit (duplicates)
                        System.err.println("commit on revocation failed: " + e);
                    }
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                partitions.forEach(positions::remove);
            }
        });
        byte[] worker = workerId.getBytes(StandardCharsets.UTF_8);
        long lastCommit = System.nanoTime();
        try {
            while (true) {
                synchronized (stopping) {
                    if (stopping[0]) {
                        break;
                    }
                }
                var records = consumer.poll(Duration.ofMillis(100));
                byte[] epoch = Integer.toString(consumer.groupMetadata().generationId()).getBytes(StandardCharsets.UTF_8);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    ParseResult parsed = OrderCodec.decode(BenchEnv.region(record.partition()), record.key(), record.value());
                    if (parsed instanceof ParseResult.Parsed ok) {
                        ProducerRecord<byte[], byte[]> invoice = new ProducerRecord<>(invoices, record.partition(),
                                Invoice.recordKey(ok.order()), InvoiceCodec.encode(Invoice.of(ok.order())));
                        invoice.headers().add(BillingHandler.HEADER_WORKER, worker);
                        invoice.headers().add(BillingHandler.HEADER_EPOCH, epoch);
                        invoice.headers().add(BillingHandler.HEADER_OFFSET,
                                Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
                        producer.send(invoice);
                    }
                    positions.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                }
                if (System.nanoTime() - lastCommit >= commitIntervalMs * 1_000_000L && !positions.isEmpty()) {
                    producer.flush();
                    try {
                        consumer.commitSync(Map.copyOf(positions));
                    } catch (RebalanceInProgressException | CommitFailedException e) {
                        // a rebalance is under way: poll() completes it, the next interval commits
                    }
                    lastCommit = System.nanoTime();
                }
            }
        } catch (WakeupException expected) {
            // SIGTERM
        } finally {
            try {
                producer.flush();
                if (!positions.isEmpty()) {
                    consumer.commitSync(Map.copyOf(positions));
                }
            } catch (RuntimeException e) {
                System.err.println("final commit failed: " + e);
            }
            try {
                consumer.close();
            } finally {
                producer.close();
            }
            done.countDown();
        }
        if (main != Thread.currentThread()) {
            throw new AssertionError();
        }
    }
}
