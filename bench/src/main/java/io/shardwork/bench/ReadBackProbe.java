package io.shardwork.bench;

import io.shardwork.config.ShardworkConfig;
import io.shardwork.order.RecentOrders;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.produce.OrderProducer;
import io.shardwork.runner.RegionRunner;
import io.shardwork.runner.RegionRunnerFactory;
import io.shardwork.runner.RunnerListener;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A probe, not a benchmark with a peer: how long a billing region takes to be ready when it starts after {@code N}
 * orders of history, that is with its memory of recent order ids to read back (a full window at 100,000, the
 * default of {@code handler.config.billing.memory.orders}). One region, one worker, six runs in one JVM (the first
 * one cold). Usage: {@code java -cp bench/target/bench.jar io.shardwork.bench.ReadBackProbe [orders]}.
 */
public final class ReadBackProbe {
    public static void main(String[] args) throws Exception {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        try (BenchEnv env = BenchEnv.start("readback")) {
            Map<String, String> raw = env.raw("rb", "rb", "billing", "at-least-once", 1);
            ShardworkConfig config = BenchEnv.config(raw);
            env.createTopics(config);
            try (OrderProducer producer = new OrderProducer(config)) {
                producer.produce(new OrderGenerator(config.regions(), 1).orders(orders, 0), 0);
            }
            long end = env.endOffsets(config.ordersTopic(), 1).get(0);
            BenchEnv.log("produced %d orders", end);
            try (RegionRunnerFactory factory = RegionRunnerFactory.builder(config).workerId("rb").build()) {
                for (int i = 1; i <= 6; i++) {
                    long t0 = System.nanoTime();
                    CountDownLatch started = new CountDownLatch(1);
                    RegionRunner runner = factory.newRunner((epoch, offset) -> { }, new RunnerListener() {
                        @Override
                        public void onStarted(RegionRunner r, long startOffset) {
                            started.countDown();
                        }
                    });
                    runner.start(BenchEnv.region(0), 0, i, end);
                    if (!started.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("run " + i + ": the region was not ready within 60 s: " + runner.stats());
                    }
                    BenchEnv.log("run %d: ready after %d ms (from offset %d, the memory read back from %d)", i,
                            (System.nanoTime() - t0) / 1_000_000, end, Math.max(0, end - RecentOrders.DEFAULT_CAPACITY));
                    runner.stop();
                }
            }
        }
    }
}
