package io.shardwork.runner;

import io.shardwork.api.Handler;
import io.shardwork.workload.NoopHandler;
import io.shardwork.billing.BillingHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Not a test: a measurement, run only on demand
 * ({@code -Dtest=ThroughputBenchmark -Dbench.orders=100000}). Prints one JSON line per case: orders
 * per second through one runner set (one runner per region, 4 regions) for noop and billing in both
 * delivery modes, next to a raw assign() consumer loop over the same topic (the peer).
 */
class ThroughputBenchmark {
    private static final int REGIONS = 4;

    @Test
    void measure() throws Exception {
        int orders = Integer.getInteger("bench.orders", 100_000);
        printDecodeRate(orders);
        for (String delivery : List.of("at-least-once", "exactly-once")) {
            for (String handler : List.of("noop", "billing")) {
                TestSetup setup = TestSetup.create(delivery, REGIONS, Map.of("checkpoint.interval.ms", "1000",
                        "runner.max.in.flight", "1000"));
                long produceStart = System.nanoTime();
                Map<Integer, Long> perPartition = setup.produce(7, orders, 0);
                double produceRate = orders * 1e9 / (System.nanoTime() - produceStart);
                double peerRate = rawConsumerRate(setup, orders);
                Supplier<Handler<?>> handlers = handler.equals("noop") ? NoopHandler::new : BillingHandler::new;
                InMemoryCheckpoints checkpoints = new InMemoryCheckpoints();
                List<RegionRunner> runners = new ArrayList<>();
                long began;
                long elapsed;
                try (RegionRunnerFactory factory = RegionRunnerFactory.builder(setup.config).workerId("bench")
                        .handlers(handlers).build()) {
                    began = System.nanoTime();
                    for (int p = 0; p < REGIONS; p++) {
                        String region = setup.region(p).name();
                        RegionRunner runner = factory.newRunner(checkpoints.writer(region), RunnerListener.NONE);
                        runner.start(region, p, checkpoints.claim(region), 0);
                        runners.add(runner);
                    }
                    for (int p = 0; p < REGIONS; p++) {
                        RegionRunner runner = runners.get(p);
                        long end = perPartition.get(p);
                        Timing.awaitUntil(() -> runner.stats().nextOffset() >= end, Duration.ofMinutes(10),
                                "benchmark region " + p, runner::stats);
                    }
                    for (RegionRunner runner : runners) {
                        runner.stop();
                    }
                    elapsed = System.nanoTime() - began;
                }
                double rate = orders * 1e9 / elapsed;
                System.out.printf("BENCH {\"delivery\":\"%s\",\"handler\":\"%s\",\"orders\":%d,\"regions\":%d,"
                                + "\"orders_per_s\":%.0f,\"raw_consumer_per_s\":%.0f,\"ratio_to_raw\":%.3f,"
                                + "\"produce_per_s\":%.0f,\"checkpoint_writes\":%d}%n",
                        delivery, handler, orders, REGIONS, rate, peerRate, rate / peerRate, produceRate,
                        checkpoints.writes());
            }
        }
    }

    /** How fast one thread runs the strict order decoder, the runner's main per-order cost with noop. */
    private static void printDecodeRate(int orders) {
        List<io.shardwork.produce.GeneratedOrder> generated = new ArrayList<>();
        new io.shardwork.produce.OrderGenerator(List.of(new io.shardwork.config.RegionSpec("eu", 0, 1, List.of())), 1)
                .orders(orders, 0).forEachRemaining(generated::add);
        long valid = 0;
        long began = System.nanoTime();
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                began = System.nanoTime();
            }
            for (io.shardwork.produce.GeneratedOrder order : generated) {
                if (io.shardwork.order.OrderCodec.decode("eu", order.key(), order.value())
                        instanceof io.shardwork.order.ParseResult.Parsed) {
                    valid++;
                }
            }
        }
        System.out.printf("BENCH {\"decode_per_s_one_thread\":%.0f,\"valid\":%d}%n",
                orders * 1e9 / (System.nanoTime() - began), valid / 2);
    }

    /** The peer: one consumer with assign() over all partitions, reading to the end, doing nothing. */
    private static double rawConsumerRate(TestSetup setup, int orders) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, setup.kafka.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int i = 0; i < REGIONS; i++) {
                partitions.add(new TopicPartition(setup.config.ordersTopic(), i));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long began = System.nanoTime();
            long read = 0;
            while (read < orders) {
                read += consumer.poll(Duration.ofMillis(100)).count();
            }
            return read * 1e9 / (System.nanoTime() - began);
        }
    }
}
