package io.shardwork.bench;

import io.shardwork.coordination.definition.ClusterDefinitions;

import io.shardwork.billing.BillingHandler;
import io.shardwork.billing.Invoice;
import io.shardwork.billing.InvoiceCodec;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.worker.OwnershipListener;
import io.shardwork.node.WorkerNode;
import io.shardwork.api.Headers;
import io.shardwork.api.InputRecord;
import io.shardwork.api.RecordRejectedException;
import io.shardwork.order.Order;
import io.shardwork.order.OrderDecoder;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.produce.OrderProducer;
import io.shardwork.runner.KafkaClientSettings;
import io.shardwork.runner.RegionRunner;
import io.shardwork.runner.RegionRunnerFactory;
import io.shardwork.runner.RunnerListener;
import io.shardwork.runner.RunnerStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Throughput: the same orders over 16 regions (and again over 4, under "regions_4"), one worker, against a raw Kafka loop over the same topic
 * in the same run, alternating, several rounds, medians.
 *
 * <p>Three sides per mode: {@code node} (a {@link WorkerNode}: ZooKeeper membership, leader, claims,
 * fenced checkpoints, and the 16 region runners), {@code runners} (16 {@link RegionRunner}s from a
 * {@link RegionRunnerFactory} with a checkpoint writer that does nothing: the runner alone), and
 * {@code raw} (one thread, one KafkaConsumer assigned the 16 partitions, decoding every order with the same
 * decoder as the runtime's noop and billing handlers: an {@link OrderDecoder} per partition, that is
 * {@link io.shardwork.order.OrderCodec} and the region's memory of recent order ids; billing: the same invoice with the same headers through the same
 * producer settings, flushed and committed once per checkpoint interval, as the runner does).
 *
 * <p>Usage: {@code ThroughputBench OUT.json [orders] [rounds]}. A system property {@code bench.config.KEY=VALUE} sets
 * the configuration key {@code KEY} of every side's run, the raw loop's included (its clients are built from the same
 * configuration): e.g. {@code -Dbench.config.kafka.producer.buffer.memory=1048576} to measure a client setting.
 */
public final class ThroughputBench {
    private static final long POLL_STATS_MS = 5;
    private static final Duration RUN_DEADLINE = Duration.ofMinutes(15);

    private record Mode(String key, String handler, String delivery) {
        boolean billing() {
            return handler.equals("billing");
        }

        boolean eos() {
            return delivery.equals("exactly-once");
        }
    }

    /** One timed run: to the last order handled, and to the last order durable (billing: checkpointed/committed). */
    private record Run(String side, int round, long orders, double processedSeconds, double durableSeconds,
                       double firstOrderSeconds) {
        double rate() {
            return orders / durableSeconds;
        }

        double processedRate() {
            return orders / processedSeconds;
        }

        /** From the first order handled to the last durable: the start (a node's registration, election and claims) left out. */
        double steadyRate() {
            return orders / (durableSeconds - firstOrderSeconds);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("side", side);
            m.put("round", round);
            m.put("orders_per_s", rate());
            m.put("processed_orders_per_s", processedRate());
            m.put("seconds", durableSeconds);
            m.put("first_order_after_s", firstOrderSeconds);
            m.put("steady_orders_per_s", steadyRate());
            return m;
        }
    }

    private final BenchEnv env;
    private final long orders;
    private final int rounds;
    private final int checkpointIntervalMs;
    private final int regions;
    private final String prefix;
    private ShardworkConfig base;
    private Map<Integer, Long> ends;
    private int runCounter;

    private ThroughputBench(BenchEnv env, long orders, int rounds, int checkpointIntervalMs, int regions) {
        this.env = env;
        this.regions = regions;
        this.prefix = regions == BenchEnv.REGIONS ? "tp" : "tp" + regions;
        this.orders = orders;
        this.rounds = rounds;
        this.checkpointIntervalMs = checkpointIntervalMs;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/throughput.json");
        long orders = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int interval = Integer.getInteger("bench.checkpoint.interval.ms", 1000);
        Map<String, Object> results = BenchEnv.begin("throughput");
        try (BenchEnv env = BenchEnv.start("throughput")) {
            new ThroughputBench(env, orders, rounds, interval, BenchEnv.REGIONS).run(results);
            if (!Boolean.getBoolean("bench.skip.4.regions")) {
                // the same with 4 regions: how much of the gap comes from running a fetch loop per region
                Map<String, Object> four = new LinkedHashMap<>();
                new ThroughputBench(env, orders, rounds, interval, 4).run(four);
                for (String mode : List.of("noop", "billing_alo", "billing_eos")) {
                    results.put(mode + "_ratio_4_regions", four.get(mode + "_ratio"));
                    results.put(mode + "_steady_ratio_4_regions", four.get(mode + "_steady_ratio"));
                }
                results.put("regions_4", four);
            }
        }
        BenchEnv.finish(out, results);
        System.exit(0);
    }

    private void run(Map<String, Object> results) throws Exception {
        Map<String, String> raw = env.raw(prefix, prefix, "noop", "at-least-once", regions);
        base = BenchEnv.config(raw);
        env.createTopics(base);
        long began = System.nanoTime();
        try (OrderProducer producer = new OrderProducer(base)) {
            producer.produce(new OrderGenerator(base.regions(), 1).orders(orders, 0), 0);
        }
        double produceRate = orders * 1e9 / (System.nanoTime() - began);
        ends = env.endOffsets(base.ordersTopic(), regions);
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        BenchEnv.log("produced %d orders over %d regions at %.0f/s", total, regions, produceRate);
        results.put("orders", total);
        results.put("regions", regions);
        results.put("rounds", rounds);
        results.put("warm_up", "one unmeasured run of each side (raw, node, runners) before the measured rounds of each mode");
        results.put("checkpoint_interval_ms", checkpointIntervalMs);
        results.put("produce_orders_per_s", produceRate);
        results.put("durable", "billing: at-least-once, a region's checkpoint written (the raw loop: flush and commitSync);"
                + " exactly-once, its transaction committed with the offsets, Kafka's committed offset being the checkpoint"
                + " of record there (the raw loop: commitTransaction)");
        results.put("peer", "one thread, one KafkaConsumer assigned every partition, max.poll.records = runner.max.in.flight (the runners poll at most 250 each);"
                + " decoding: an OrderDecoder per partition (OrderCodec and the memory of recent order ids), as the"
                + " runtime's noop and billing handlers; billing: the same invoice, headers and producer settings;"
                + " at-least-once: flush then commitSync of the offsets once per checkpoint interval; exactly-once:"
                + " one transactional producer (a region producer's settings, its buffer.memory the region producers' together), sendOffsetsToTransaction and commitTransaction once per checkpoint interval");

        // -Dbench.modes=noop,... and -Dbench.sides=node,... narrow a run down for a profile (the ratios then miss)
        Set<String> only = Set.of(System.getProperty("bench.modes", "noop,billing_alo,billing_eos").split(","));
        Set<String> sides = Set.of(System.getProperty("bench.sides", "raw,node,runners").split(","));
        List<Mode> modes = java.util.stream.Stream.of(new Mode("noop", "noop", "at-least-once"),
                new Mode("billing_alo", "billing", "at-least-once"),
                new Mode("billing_eos", "billing", "exactly-once")).filter(m -> only.contains(m.key)).toList();
        for (Mode mode : modes) {
            // warm-up, not measured: each side runs the mode once, so the JIT has seen its decoder, its producer
            // (none, idempotent or transactional) and commit, the runner, and the node's own paths (ZooKeeper,
            // election, claims, fenced checkpoints) before a round counts; a first round was up to twice as slow
            warmUp(mode, sides);
            List<Run> runs = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                List<String> order = round % 2 == 1 ? List.of("raw", "node", "runners") : List.of("node", "runners", "raw");
                for (String side : order) {
                    if (!sides.contains(side)) {
                        continue;
                    }
                    Run run = run(side, mode, round);
                    BenchEnv.log("%s %d regions round %d %-7s %9.0f orders/s durable (%.2f s), %9.0f/s processed, first order after %.2f s; load %s",
                            mode.key, regions, round, side, run.rate(), run.durableSeconds, run.processedRate(),
                            run.firstOrderSeconds, BenchEnv.loadAverage());
                    runs.add(run);
                }
            }
            Map<String, Object> summary = summary(runs);
            for (String key : List.of("runtime_orders_per_s", "raw_orders_per_s", "ratio", "runners_only_ratio", "steady_ratio")) {
                results.put(mode.key + "_" + key, summary.get(key));
            }
            results.put(mode.key, summary);
        }
    }

    private static Map<String, Object> summary(List<Run> runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        double node = BenchEnv.median(runs.stream().filter(r -> r.side.equals("node")).map(Run::rate).toList());
        double runners = BenchEnv.median(runs.stream().filter(r -> r.side.equals("runners")).map(Run::rate).toList());
        double raw = BenchEnv.median(runs.stream().filter(r -> r.side.equals("raw")).map(Run::rate).toList());
        m.put("runtime_orders_per_s", node);
        m.put("raw_orders_per_s", raw);
        m.put("ratio", node / raw);
        m.put("runners_only_orders_per_s", runners);
        m.put("runners_only_ratio", runners / raw);
        double nodeProcessed = BenchEnv.median(runs.stream().filter(r -> r.side.equals("node")).map(Run::processedRate).toList());
        double rawProcessed = BenchEnv.median(runs.stream().filter(r -> r.side.equals("raw")).map(Run::processedRate).toList());
        m.put("processed_ratio", nodeProcessed / rawProcessed);
        // ratio counts from the start of each side (a node registers, is elected, assigns and claims first: 0.1-0.4 s in
        // a run of 2-3 s); steady_ratio counts from each side's first order, the per-order cost alone
        double nodeSteady = BenchEnv.median(runs.stream().filter(r -> r.side.equals("node")).map(Run::steadyRate).toList());
        double rawSteady = BenchEnv.median(runs.stream().filter(r -> r.side.equals("raw")).map(Run::steadyRate).toList());
        m.put("steady_ratio", nodeSteady / rawSteady);
        m.put("runs", runs.stream().map(Run::json).toList());
        return m;
    }

    /** One unmeasured run of {@code mode} for each side in {@code sides}. */
    private void warmUp(Mode mode, Set<String> sides) throws Exception {
        for (String side : List.of("raw", "node", "runners")) {
            if (sides.contains(side)) {
                Run run = run(side, mode, 0);
                BenchEnv.log("%s warm-up %-7s %9.0f orders/s (not counted)", mode.key, side, run.rate());
            }
        }
    }

    /** One run of {@code side} ("raw", "node" or "runners"); round 0 is the warm-up. */
    private Run run(String side, Mode mode, int round) throws Exception {
        return switch (side) {
            case "raw" -> raw(mode, round);
            case "node" -> node(mode, round);
            default -> runners(mode, round);
        };
    }

    // ------------------------------------------------------------------ runtime sides

    /** A config of its own per run: a fresh ZooKeeper layout, consumer group and transactional ids, a fresh invoices topic. */
    private ShardworkConfig runConfig(Mode mode, String side, int round) {
        String name = prefix + "-" + side + "-" + mode.key.replace('_', '-') + "-" + round + "-" + (++runCounter);
        Map<String, String> raw = env.raw(name, prefix, mode.handler, mode.delivery, regions);
        raw.put("topic.invoices", prefix + "." + name + ".invoices");
        raw.put("checkpoint.interval.ms", Integer.toString(checkpointIntervalMs));
        raw.put("worker.id", "bench-" + side);
        raw.put("zookeeper.session.timeout.ms", "10000");
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.config."))
                .forEach(k -> raw.put(k.substring("bench.config.".length()), System.getProperty(k)));
        ShardworkConfig config = BenchEnv.config(raw);
        // noop writes no invoice, but the cluster definition is refused without its invoices topic
        env.createTopic(config.invoicesTopic(), regions);
        return config;
    }

    private Run node(Mode mode, int round) throws Exception {
        ShardworkConfig config = runConfig(mode, "node", round);
        WorkerNode node = new WorkerNode(ClusterDefinitions.applyAndResolve(config), OwnershipListener.NONE);
        long began = System.nanoTime();
        try {
            node.start();
            return await("node", round, began, node::runnerStats, mode);
        } finally {
            node.close();
            cleanUp(config);
        }
    }

    private Run runners(Mode mode, int round) throws Exception {
        ShardworkConfig config = runConfig(mode, "runners", round);
        List<RegionRunner> runners = new ArrayList<>();
        long began = System.nanoTime();
        try (RegionRunnerFactory factory = RegionRunnerFactory.builder(config).workerId("bench-runners").build()) {
            for (int p = 0; p < regions; p++) {
                RegionRunner runner = factory.newRunner((epoch, offset) -> { }, RunnerListener.NONE);
                runner.start(BenchEnv.region(p), p, 1, 0);
                runners.add(runner);
            }
            try {
                return await("runners", round, began, () -> runners.stream().map(RegionRunner::stats).toList(), mode);
            } finally {
                for (RegionRunner runner : runners) {
                    runner.stop();
                }
            }
        } finally {
            cleanUp(config);
        }
    }

    private void cleanUp(ShardworkConfig config) {
        env.deleteTopics(config.invoicesTopic());
    }

    /**
     * Polls the runners' counters until every region has handled (noop) or made durable (billing) its last order:
     * checkpointed at least once, committed with its transaction exactly once (as the raw loop's commitTransaction).
     */
    private Run await(String side, int round, long began, Supplier<List<RunnerStats>> stats, Mode mode) {
        long deadline = began + RUN_DEADLINE.toNanos();
        long first = -1;
        long processedAt = -1;
        long[] regionProcessedAt = new long[regions];
        long[] regionDurableAt = new long[regions];
        Arrays.fill(regionProcessedAt, -1);
        Arrays.fill(regionDurableAt, -1);
        while (System.nanoTime() < deadline) {
            List<RunnerStats> now = stats.get();
            long now_ = System.nanoTime();
            if (first < 0 && now.stream().anyMatch(s -> s.processed() > 0)) {
                first = now_;
            }
            Map<String, RunnerStats> byRegion = new HashMap<>();
            now.forEach(s -> byRegion.put(s.region(), s));
            if (byRegion.size() == regions) {
                boolean processed = true;
                boolean durable = true;
                for (int p = 0; p < regions; p++) {
                    RunnerStats s = byRegion.get(BenchEnv.region(p));
                    long end = ends.get(p);
                    processed &= s.nextOffset() >= end;
                    durable &= s.durableOffset() >= end;
                    if (regionProcessedAt[p] < 0 && s.nextOffset() >= end) {
                        regionProcessedAt[p] = now_;
                    }
                    if (regionDurableAt[p] < 0 && s.durableOffset() >= end) {
                        regionDurableAt[p] = now_;
                    }
                }
                if (processed && processedAt < 0) {
                    processedAt = now_;
                }
                if (processed && (!mode.billing() || durable)) {
                    if (mode.billing()) {
                        logDurableLag(side, round, mode, regionProcessedAt, regionDurableAt, processedAt, now_);
                    }
                    long total = ends.values().stream().mapToLong(Long::longValue).sum();
                    return new Run(side, round, total, (processedAt - began) / 1e9, (now_ - began) / 1e9,
                            (first - began) / 1e9);
                }
            }
            BenchEnv.sleep(POLL_STATS_MS);
        }
        throw new IllegalStateException(side + " " + mode.key + " did not finish within " + RUN_DEADLINE + ": " + stats.get());
    }

    /** Where the time from the last order handled to the last checkpoint goes: each region's own lag (its last order to its checkpoint). */
    private static void logDurableLag(String side, int round, Mode mode, long[] processedAt, long[] durableAt, long allProcessed, long allDurable) {
        List<Long> lags = new ArrayList<>();
        for (int p = 0; p < processedAt.length; p++) {
            lags.add((durableAt[p] - processedAt[p]) / 1_000_000);
        }
        lags.sort(null);
        BenchEnv.log("%s %s round %d: durable %d ms after the last order was handled; a region's own lag from its last order to its checkpoint: min %d, median %d, max %d ms",
                side, mode.key, round, (allDurable - allProcessed) / 1_000_000, lags.get(0), lags.get(lags.size() / 2), lags.get(lags.size() - 1));
    }

    // ------------------------------------------------------------------ the raw peer

    private Run raw(Mode mode, int round) throws Exception {
        ShardworkConfig config = runConfig(mode, "raw", round);
        String[] regionOf = new String[regions];
        OrderDecoder[] decoders = new OrderDecoder[regions];
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < regions; p++) {
            regionOf[p] = BenchEnv.region(p);
            decoders[p] = new OrderDecoder();
            partitions.add(new TopicPartition(config.ordersTopic(), p));
        }
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers().get(0));
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.runnerMaxInFlight()));
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "raw-" + config.clusterName());
        if (mode.billing()) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaClientSettings.groupId(config));
        }
        long began = System.nanoTime();
        long first = -1;
        long processedAt;
        long doneAt = -1;
        String invoices = config.invoicesTopic();
        byte[] worker = "raw".getBytes(StandardCharsets.UTF_8);
        byte[] epoch = "1".getBytes(StandardCharsets.UTF_8);
        long intervalNanos = config.checkpointIntervalMs() * 1_000_000L;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c);
             Producer<byte[], byte[]> producer = !mode.billing() ? null : new KafkaProducer<>(mode.eos()
                     ? rawTransactionalProducer(config)
                     : KafkaClientSettings.idempotentProducer(config, "raw-" + config.clusterName()))) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            if (mode.eos()) {
                producer.initTransactions();
            }
            long consumed = 0;
            long valid = 0;
            long committed = 0;
            boolean inTransaction = false;
            // commits fall due at multiples of the interval on System.nanoTime(), as a runner's checkpoints do on its
            // clock: counted from the loop's start instead, its last commit after the last order landed on the same
            // step of a 1 s grid in every round of a run (exactly-once durable at 5.26-5.30 s in all five), so each
            // run's ratio moved by up to an interval's share of the run with where its rounds' ends fell on that grid
            long nextCommit = nextCommitAfter(System.nanoTime(), intervalNanos);
            Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
            processedAt = -1;
            while (true) {
                long untilCommit = producer == null ? 100 : (nextCommit - System.nanoTime()) / 1_000_000;
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(Math.max(1, Math.min(100, untilCommit))));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (first < 0) {
                        first = System.nanoTime();
                    }
                    Order order = decode(decoders[record.partition()], regionOf[record.partition()], record);
                    if (order != null) {
                        valid++;
                        if (producer != null) {
                            if (mode.eos() && !inTransaction) {
                                producer.beginTransaction();
                                inTransaction = true;
                            }
                            ProducerRecord<byte[], byte[]> invoice = new ProducerRecord<>(invoices, record.partition(),
                                    record.key(), InvoiceCodec.encode(Invoice.of(order)));
                            invoice.headers().add(BillingHandler.HEADER_WORKER, worker);
                            invoice.headers().add(BillingHandler.HEADER_EPOCH, epoch);
                            invoice.headers().add(BillingHandler.HEADER_OFFSET,
                                    Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
                            producer.send(invoice);
                        }
                    }
                    consumed++;
                    positions.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                    if (producer != null && System.nanoTime() >= nextCommit) {
                        committed = commit(mode, consumer, producer, positions, consumed);
                        inTransaction = false;
                        nextCommit = nextCommitAfter(System.nanoTime(), intervalNanos);
                    }
                }
                if (consumed >= total && processedAt < 0) {
                    processedAt = System.nanoTime();
                }
                if (producer == null) {
                    if (consumed >= total) {
                        doneAt = System.nanoTime();
                        break;
                    }
                } else if (records.isEmpty() && consumed > committed && System.nanoTime() >= nextCommit) {
                    committed = commit(mode, consumer, producer, positions, consumed);
                    inTransaction = false;
                    nextCommit = nextCommitAfter(System.nanoTime(), intervalNanos);
                }
                if (producer != null && committed >= total) {
                    doneAt = System.nanoTime();
                    break;
                }
                if (System.nanoTime() - began > RUN_DEADLINE.toNanos()) {
                    throw new IllegalStateException("raw " + mode.key + " did not finish: consumed " + consumed);
                }
            }
            if (valid != total) {
                BenchEnv.log("raw %s: %d of %d orders valid", mode.key, valid, total);
            }
        } finally {
            cleanUp(config);
        }
        // timed to the last commit (billing) or the last order (noop), not including closing the clients, as on the runtime side
        return new Run("raw", round, total, (processedAt - began) / 1e9, (doneAt - began) / 1e9, (first - began) / 1e9);
    }

    /** The runtime's decoding of one record: the order, or null when it is rejected (the runtime dead-letters it). */
    private static Order decode(OrderDecoder decoder, String region, ConsumerRecord<byte[], byte[]> record) {
        try {
            return decoder.decode(new InputRecord() {
                @Override
                public String region() {
                    return region;
                }

                @Override
                public int partition() {
                    return record.partition();
                }

                @Override
                public long offset() {
                    return record.offset();
                }

                @Override
                public byte[] key() {
                    return record.key();
                }

                @Override
                public byte[] value() {
                    return record.value();
                }

                @Override
                public Headers headers() {
                    return Headers.EMPTY;
                }
            });
        } catch (RecordRejectedException e) {
            return null;
        }
    }

    /**
     * The raw loop's one transactional producer: the runtime's settings for a region's producer, with the buffer of
     * all the runtime's region producers together (one per region), so both sides may hold as many invoices unacknowledged.
     */
    private Properties rawTransactionalProducer(ShardworkConfig config) {
        Properties p = KafkaClientSettings.transactionalProducer(config, "raw", "raw-tx-" + config.clusterName());
        long perRegion = Long.parseLong(p.getProperty(ProducerConfig.BUFFER_MEMORY_CONFIG));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(perRegion * regions));
        return p;
    }

    /** The first multiple of {@code intervalNanos} after {@code nanos}, as a runner's next checkpoint is due. */
    private static long nextCommitAfter(long nanos, long intervalNanos) {
        return (Math.floorDiv(nanos, intervalNanos) + 1) * intervalNanos;
    }

    /** At-least-once: every invoice acknowledged, then the offsets; exactly-once: offsets into the transaction, commit. */
    private static long commit(Mode mode, KafkaConsumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
                               Map<TopicPartition, OffsetAndMetadata> positions, long consumed) {
        if (mode.eos()) {
            producer.sendOffsetsToTransaction(Map.copyOf(positions), consumer.groupMetadata());
            producer.commitTransaction();
        } else {
            producer.flush();
            consumer.commitSync(Map.copyOf(positions));
        }
        return consumed;
    }
}
