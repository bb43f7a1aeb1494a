package io.shardwork.runner;

import io.shardwork.billing.BillingHandler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Not a test: a measurement, run only on demand ({@code -Dtest=SlowHandlerMeasurement}). One region, the
 * billing handler with {@code handler.config.billing.latency.ms=5}, at-least-once, against the shared broker:
 * orders per second at runner.ordering=region and at key with concurrency 16 and 64. Prints one JSON line
 * per case. Orders are keyed by customer (the reference workload, 5,000 customers), so few keys wait on each other. The time runs
 * from start (clients opened, first fetch included): short runs understate the key cases.
 */
class SlowHandlerMeasurement {

    @Test
    void measure() throws Exception {
        int orders = Integer.getInteger("bench.orders", 8000);
        for (String ordering : List.of("region", "key-16", "key-64")) {
            int concurrency = ordering.equals("region") ? 1 : Integer.parseInt(ordering.substring(4));
            int count = ordering.equals("region") ? Math.min(orders, 400) : orders;
            TestSetup setup = TestSetup.create("at-least-once", 1, Map.of(
                    "handler.config." + BillingHandler.LATENCY_MS, "5",
                    "runner.ordering", ordering.equals("region") ? "region" : "key",
                    "runner.concurrency", Integer.toString(concurrency)));
            long records = setup.produce(16, count, 0).get(0);
            InMemoryCheckpoints checkpoints = new InMemoryCheckpoints();
            try (RegionRunnerFactory factory = RegionRunnerFactory.builder(setup.config).workerId("w-bench")
                    .handlers(BillingHandler::new).build()) {
                long epoch = checkpoints.claim("r0");
                RegionRunner runner = factory.newRunner(checkpoints.writer("r0"), RunnerListener.NONE);
                long began = System.nanoTime();
                runner.start("r0", 0, epoch, 0);
                Timing.awaitUntil(() -> runner.stats().nextOffset() >= records || runner.state().terminal(),
                        Timing.RUNNER, "the region to finish", runner::stats);
                double seconds = (System.nanoTime() - began) / 1e9;
                runner.stop();
                Assertions.assertEquals(RunnerState.STOPPED, runner.state());
                System.out.printf("{\"ordering\":\"%s\",\"concurrency\":%d,\"orders\":%d,\"orders_per_s\":%.0f}%n",
                        ordering.startsWith("key") ? "key" : "region", concurrency, records, records / seconds);
            }
        }
    }
}
