package io.shardwork.bench;

import io.shardwork.billing.BillingHandler;
import io.shardwork.billing.Invoice;
import io.shardwork.billing.InvoiceCodec;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.coordination.worker.OwnershipListener;
import io.shardwork.node.WorkerNode;
import io.shardwork.order.OrderCodec;
import io.shardwork.order.ParseResult;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.produce.OrderProducer;
import io.shardwork.runner.KafkaClientSettings;
import io.shardwork.runner.RunnerStats;
import io.shardwork.verify.Verifier;
import io.shardwork.verify.VerifyReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A handler that waits on I/O: the billing handler with {@code handler.config.billing.latency.ms=5}, 8 regions,
 * one in-process {@link WorkerNode}, at {@code runner.ordering=region} (sequential) and at {@code key} with
 * {@code runner.concurrency} 16, 64 and 256; orders/s to the last order checkpointed, as a ratio to
 * sequential, over the window from the first order handled to the last (the worker's start and the wait for
 * the last checkpoint are not counted; the case still waits for it). The peer, in the same run: one plain KafkaConsumer per partition, each with a pool of 64 threads
 * that runs different record keys concurrently and each key's records one at a time in offset order (Confluent's
 * parallel consumer does not resolve from Maven Central here), the same 5 ms wait and the same invoice.
 *
 * <p>Orders are keyed by customer (the reference workload's record key, 5,000 customers), so the key cases keep
 * each customer's order. Every case writes its own invoices topic (keyed by order id, as billing does); the
 * {@link Verifier} then counts per-customer order violations (the key cases) and duplicate invoices (the key-64 case once more in exactly-once). The pool of a worker is capped at
 * 1024 threads, so concurrency 256 over 8 regions runs at most 1024 calls at once, 128 per region on average.
 *
 * <p>Usage: {@code SlowHandlerBench OUT.json [orders per region]}.
 */
public final class SlowHandlerBench {
    static final int REGIONS = 8;
    static final int LATENCY_MS = 5;
    static final int PEER_CONCURRENCY = 64;
    private static final Duration RUN_DEADLINE = Duration.ofMinutes(10);
    private static final String PEER = "plain KafkaConsumer per partition, a pool of 64 threads per partition, one record at a time per key"
            + " in offset order, the same 5 ms wait and invoice (io.confluent.parallelconsumer:parallel-consumer-core:0.5.3.2 does not"
            + " resolve from Maven Central here: its dependency io.stubbs.truth:truth-generator-api:0.1.1 cannot be retrieved)";

    private final BenchEnv env;
    private final long perRegion;
    private ShardworkConfig base;
    private Map<Integer, Long> ends;
    private int runCounter;

    private SlowHandlerBench(BenchEnv env, long perRegion) {
        this.env = env;
        this.perRegion = perRegion;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/slow-handler.json");
        long perRegion = args.length > 1 ? Long.parseLong(args[1]) : 4_000;
        Map<String, Object> results = BenchEnv.begin("slow-handler");
        try (BenchEnv env = BenchEnv.start("slow-handler")) {
            new SlowHandlerBench(env, perRegion).run(results);
        }
        BenchEnv.finish(out, results);
        System.exit(0);
    }

    /** {@link BenchEnv#raw} cut down to regions r00..r07, billing with the simulated wait. */
    private Map<String, String> raw(String clusterName, String delivery) {
        Map<String, String> raw = env.raw(clusterName, "sh", "billing", delivery);
        List<String> regions = new ArrayList<>();
        for (int p = 0; p < BenchEnv.REGIONS; p++) {
            if (p < REGIONS) {
                regions.add(BenchEnv.region(p));
            } else {
                raw.remove("region." + BenchEnv.region(p) + ".partition");
            }
        }
        raw.put("regions", String.join(",", regions));
        raw.put("handler.config." + BillingHandler.LATENCY_MS, Integer.toString(LATENCY_MS));
        return raw;
    }

    private void run(Map<String, Object> results) throws Exception {
        base = BenchEnv.config(raw("sh", "at-least-once"));
        env.createTopics(base);
        try (OrderProducer producer = new OrderProducer(base)) {
            producer.produce(new OrderGenerator(base.regions(), 1).orders(perRegion * REGIONS, 0), 0);
        }
        ends = env.endOffsets(base.ordersTopic(), REGIONS);
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        BenchEnv.log("produced %d orders over %d regions (%s per partition)", total, REGIONS, ends);

        double sequential = node("region", 1, "at-least-once").rate;
        long violations = 0;
        Map<Integer, Double> keyRates = new LinkedHashMap<>();
        for (int concurrency : new int[] {16, 64, 256}) {
            Case c = node("key", concurrency, "at-least-once");
            keyRates.put(concurrency, c.rate);
            violations += c.report.orderViolations();
        }
        double peer = peer();
        Case eos = node("key", 64, "exactly-once");
        violations += eos.report.orderViolations();

        results.put("sequential_orders_per_s", sequential);
        results.put("key_16_ratio", keyRates.get(16) / sequential);
        results.put("key_64_ratio", keyRates.get(64) / sequential);
        results.put("key_256_ratio", keyRates.get(256) / sequential);
        results.put("peer_64_ratio", peer / sequential);
        results.put("order_violations", violations);
        results.put("duplicates_eos", eos.report.duplicateInvoices());
        results.put("peer", PEER);
    }

    /** One timed case and the checker's report on its invoices. */
    private record Case(double rate, VerifyReport report) {
    }

    /** A config of its own per case: a fresh ZooKeeper layout, consumer group, transactional ids and invoices topic. */
    private ShardworkConfig caseConfig(String side, String ordering, int concurrency, String delivery) {
        String name = "sh-" + side + "-" + concurrency + "-" + (delivery.equals("exactly-once") ? "eos" : "alo") + "-" + (++runCounter);
        Map<String, String> raw = raw(name, delivery);
        raw.put("topic.invoices", "sh." + name + ".invoices");
        raw.put("runner.ordering", ordering);
        raw.put("runner.concurrency", Integer.toString(concurrency));
        raw.put("worker.id", "bench-" + name);
        raw.put("zookeeper.session.timeout.ms", "10000");
        ShardworkConfig config = BenchEnv.config(raw);
        env.createTopic(config.invoicesTopic(), REGIONS);
        return config;
    }

    private Case node(String ordering, int concurrency, String delivery) throws Exception {
        ShardworkConfig config = caseConfig(ordering, ordering, concurrency, delivery);
        WorkerNode node = new WorkerNode(ClusterDefinitions.applyAndResolve(config), OwnershipListener.NONE);
        long began = System.nanoTime();
        double seconds;
        try {
            node.start();
            seconds = awaitCheckpointed(node, began);
        } finally {
            node.close();
        }
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        VerifyReport report = new Verifier(config, Duration.ofMinutes(2)).verify();
        Case c = new Case(total / seconds, report);
        BenchEnv.log("%s ordering, concurrency %d, %s: %.0f orders/s (%.1f s); invoiced %d, lost %d, duplicates %d, order violations %d; load %s",
                ordering, concurrency, delivery, c.rate, seconds, report.invoiced(), report.lost(), report.duplicateInvoices(),
                report.orderViolations(), BenchEnv.loadAverage());
        env.deleteTopics(config.invoicesTopic());
        return c;
    }

    /**
     * Waits until every region has checkpointed its last order; returns the seconds from the first order handled
     * to the last (every region's handled count at its end offset), so that neither the worker's start nor the
     * wait for the next checkpoint interval counts.
     */
    private double awaitCheckpointed(WorkerNode node, long began) {
        long first = -1;
        long last = -1;
        while (System.nanoTime() - began < RUN_DEADLINE.toNanos()) {
            Map<String, RunnerStats> byRegion = new HashMap<>();
            node.runnerStats().forEach(s -> byRegion.put(s.region(), s));
            long now = System.nanoTime();
            long processed = byRegion.values().stream().mapToLong(RunnerStats::processed).sum();
            if (first < 0 && processed > 0) {
                first = now;
            }
            boolean handled = byRegion.size() == REGIONS;
            boolean durable = handled;
            for (int p = 0; p < REGIONS && handled; p++) {
                RunnerStats s = byRegion.get(BenchEnv.region(p));
                handled = s.processed() >= ends.get(p);
                durable &= s.checkpointedOffset() >= ends.get(p);
            }
            if (handled && last < 0) {
                last = now;
            }
            if (handled && durable) {
                return (last - first) / 1e9;
            }
            BenchEnv.sleep(5);
        }
        throw new IllegalStateException("the worker did not checkpoint every order within " + RUN_DEADLINE + ": " + node.runnerStats());
    }

    // ------------------------------------------------------------------ the peer

    /**
     * One KafkaConsumer per partition on its own thread, handing records to a pool of {@link #PEER_CONCURRENCY}
     * threads: a key with a record in flight queues its later records, which start one at a time as each completes
     * (offset order per key); at most runner.max.in.flight records are outstanding per partition (the consumer
     * pauses there). Timed from the first order handled to the last, as the worker; returns orders/s.
     */
    private double peer() throws Exception {
        ShardworkConfig config = caseConfig("peer", "key", PEER_CONCURRENCY, "at-least-once");
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong first = new AtomicLong(-1);
        AtomicLong last = new AtomicLong(-1);
        List<Thread> threads = new ArrayList<>();
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClientSettings.idempotentProducer(config, "peer-" + config.clusterName()))) {
            for (int p = 0; p < REGIONS; p++) {
                int partition = p;
                Thread thread = new Thread(() -> {
                    try {
                        peerPartition(config, producer, partition, first, last);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "peer-" + p);
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join(RUN_DEADLINE.toMillis());
            }
        }
        double seconds = (last.get() - first.get()) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("the peer failed", failure.get());
        }
        VerifyReport report = new Verifier(config, Duration.ofMinutes(2)).verify();
        BenchEnv.log("peer, %d threads per partition: %.0f orders/s (%.1f s); invoiced %d, lost %d, order violations %d; load %s",
                PEER_CONCURRENCY, total / seconds, seconds, report.invoiced(), report.lost(), report.orderViolations(), BenchEnv.loadAverage());
        env.deleteTopics(config.invoicesTopic());
        return total / seconds;
    }

    /** {@code first} and {@code last}: when the peer's first and last orders were handled (nanoTime), over all partitions. */
    private void peerPartition(ShardworkConfig config, Producer<byte[], byte[]> producer, int partition, AtomicLong first,
                               AtomicLong last) throws Exception {
        TopicPartition input = new TopicPartition(config.ordersTopic(), partition);
        long end = ends.get(partition);
        int cap = config.runnerMaxInFlight();
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers().get(0));
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(cap));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaClientSettings.groupId(config));
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "peer-" + config.clusterName() + "-" + partition);
        String region = BenchEnv.region(partition);
        byte[] worker = "peer".getBytes(StandardCharsets.UTF_8);
        byte[] epoch = "1".getBytes(StandardCharsets.UTF_8);
        ExecutorService pool = Executors.newFixedThreadPool(PEER_CONCURRENCY);
        KeyLanes lanes = new KeyLanes(pool, record -> {
            ParseResult parsed = OrderCodec.decode(region, record.key(), record.value());
            sleepLatency();
            if (parsed instanceof ParseResult.Parsed ok) {
                ProducerRecord<byte[], byte[]> invoice = new ProducerRecord<>(config.invoicesTopic(), partition,
                        Invoice.recordKey(ok.order()), InvoiceCodec.encode(Invoice.of(ok.order())));
                invoice.headers().add(BillingHandler.HEADER_WORKER, worker);
                invoice.headers().add(BillingHandler.HEADER_EPOCH, epoch);
                invoice.headers().add(BillingHandler.HEADER_OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
                producer.send(invoice);
            }
            long now = System.nanoTime();
            first.compareAndSet(-1, now);
            last.accumulateAndGet(now, Math::max);
        });
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            consumer.assign(List.of(input));
            consumer.seekToBeginning(List.of(input));
            long fetched = 0;
            boolean paused = false;
            while (lanes.completed() < end) {
                if (lanes.outstanding() >= cap && !paused) {
                    consumer.pause(List.of(input));
                    paused = true;
                } else if (lanes.outstanding() < cap && paused) {
                    consumer.resume(List.of(input));
                    paused = false;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(paused || fetched >= end ? 5 : 100))) {
                    lanes.submit(record);
                    fetched++;
                }
                lanes.throwIfFailed();
            }
            producer.flush();
            consumer.commitSync(Map.of(input, new org.apache.kafka.clients.consumer.OffsetAndMetadata(end)));
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static void sleepLatency() {
        try {
            Thread.sleep(LATENCY_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Per-key lanes over a pool: a record whose key has nothing in flight starts at once; otherwise it waits in
     * its key's queue and starts when the one before it completes. Thread-safe.
     */
    static final class KeyLanes {
        interface Work {
            void handle(ConsumerRecord<byte[], byte[]> record) throws Exception;
        }

        private final ExecutorService pool;
        private final Work work;
        private final Map<String, ArrayDeque<ConsumerRecord<byte[], byte[]>>> waiting = new HashMap<>();
        private final AtomicLong completed = new AtomicLong();
        private final AtomicLong submitted = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        KeyLanes(ExecutorService pool, Work work) {
            this.pool = pool;
            this.work = work;
        }

        void submit(ConsumerRecord<byte[], byte[]> record) {
            submitted.incrementAndGet();
            String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
            synchronized (waiting) {
                ArrayDeque<ConsumerRecord<byte[], byte[]>> lane = waiting.get(key);
                if (lane != null) {
                    lane.add(record);
                    return;
                }
                waiting.put(key, new ArrayDeque<>());
            }
            pool.execute(() -> runLane(key, record));
        }

        private void runLane(String key, ConsumerRecord<byte[], byte[]> first) {
            ConsumerRecord<byte[], byte[]> record = first;
            while (record != null) {
                try {
                    work.handle(record);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
                completed.incrementAndGet();
                synchronized (waiting) {
                    record = waiting.get(key).poll();
                    if (record == null) {
                        waiting.remove(key);
                    }
                }
            }
        }

        long completed() {
            return completed.get();
        }

        long outstanding() {
            return submitted.get() - completed.get();
        }

        void throwIfFailed() {
            if (failure.get() != null) {
                throw new IllegalStateException("a peer handler call failed", failure.get());
            }
        }
    }
}
