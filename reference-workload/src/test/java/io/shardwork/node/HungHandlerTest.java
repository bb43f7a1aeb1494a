package io.shardwork.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.billing.BillingHandler;
import io.shardwork.coordination.testing.FairTestStrategy;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.coordination.worker.WorkerCoordinator;
import io.shardwork.leader.TimeSource;
import io.shardwork.metrics.HealthState;
import io.shardwork.runner.RegionRunnerFactory;
import io.shardwork.runner.RunnerStats;
import io.shardwork.runner.TestSetup;
import io.shardwork.workload.TestHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A handler call that hangs in steady state is seen (health DOWN naming the region, counted) and acted on (the
 * region is given up after twice handler.timeout.ms and claimed again under a new epoch, whose run processes
 * everything). Real ZooKeeper, real Kafka.
 */
class HungHandlerTest {
    private static final int ORDERS = 100;
    private static final Duration HANDLER_TIMEOUT = Duration.ofMillis(300);

    @Test
    void aHungHandlerMarksTheWorkerNotReadyAndItsRegionIsGivenUpAndClaimedAgain() throws Exception {
        TestSetup setup = TestSetup.create("at-least-once", 1, Map.of());
        setup.produce(21L, ORDERS, 0);
        CountDownLatch release = new CountDownLatch(1);
        BillingHandler billing = TestHandlers.billing(setup.config.invoicesTopic());
        RegionRunnerFactory runners = RegionRunnerFactory.builder(setup.config).workerId("w1").warmConsumers(0)
                .handlers(() -> TestHandlers.orders((order, context) -> {
                    if (context.epoch() == 1) {
                        release.await(); // stuck in I/O in the first run only
                    }
                    billing.handle(order, context);
                })).build();
        HealthState health = new HealthState("w1", Optional::empty, region -> true);
        List<String> gaveUp = new CopyOnWriteArrayList<>();
        try (TestCluster cluster = new TestCluster(1)) {
            AtomicReference<RunnerLifecycle> lifecycle = new AtomicReference<>();
            WorkerCoordinator worker = new WorkerCoordinator(cluster.settings("w1"), new FairTestStrategy(), store -> {
                lifecycle.set(new RunnerLifecycle(runners, store, Map.of("r0", 0), Duration.ofSeconds(5)));
                return lifecycle.get();
            }, cluster.recorder(), TimeSource.system());
            lifecycle.get().onWorkEnded(worker::workEnded);
            lifecycle.get().watchHandlers(HANDLER_TIMEOUT, new RunnerLifecycle.HandlerWatchListener() {
                @Override
                public void hung(String region, long epoch, Duration running) {
                    health.handlerHung(region, epoch, running, HANDLER_TIMEOUT);
                }

                @Override
                public void recovered(String region) {
                    health.handlerRecovered(region);
                }

                @Override
                public void gaveUp(String region, long epoch, Duration running) {
                    gaveUp.add(region + "@" + epoch);
                }
            });
            health.stateChanged(null, org.apache.curator.framework.state.ConnectionState.CONNECTED);
            try {
                worker.start();
                Timing.await("health DOWN naming r0's hung handler", Timing.CONVERGE,
                        () -> health.check().reasons().stream().anyMatch(r -> r.contains("region r0") && r.contains("handler.timeout.ms")),
                        health::check);
                Timing.await("r0 given up and processed to its end by a run under a new epoch", Timing.CONVERGE, () -> {
                    List<RunnerStats> stats = lifecycle.get().runningStats();
                    return stats.size() == 1 && stats.get(0).epoch() > 1 && stats.get(0).nextOffset() == ORDERS;
                }, lifecycle.get()::runningStats);
                assertEquals(List.of("r0@1"), gaveUp);
                assertEquals(1, lifecycle.get().handlerTimeouts());
                assertTrue(health.check().up(), "ready again once the region was given up: " + health.check());
            } finally {
                release.countDown();
                worker.closeWithoutRelease();
                runners.close();
            }
        }
    }
}
