package io.shardwork.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.testing.FairTestStrategy;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.coordination.worker.WorkerCoordinator;
import io.shardwork.api.Handler;
import io.shardwork.workload.TestHandlers;
import io.shardwork.leader.TimeSource;
import io.shardwork.runner.RegionRunnerFactory;
import io.shardwork.runner.RunnerStats;
import io.shardwork.runner.TestSetup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

/**
 * A release whose runner does not stop within shutdown.timeout.ms (its handler is blocked, as in I/O that
 * never answers) must not strand the region: the worker abandons the runner, deletes its claim, counts it,
 * and the next owner processes the region. Real ZooKeeper, real Kafka.
 */
class StuckReleaseTest {
    private static final int ORDERS = 200;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(1);

    private record Worker(WorkerCoordinator coordinator, RunnerLifecycle lifecycle, RegionRunnerFactory runners) { }

    private static Worker worker(TestCluster cluster, TestSetup setup, String id, Supplier<Handler<?>> handlers) {
        RegionRunnerFactory.Builder builder = RegionRunnerFactory.builder(setup.config).workerId(id).warmConsumers(0);
        if (handlers != null) {
            builder.handlers(handlers);
        }
        RegionRunnerFactory runners = builder.build();
        AtomicReference<RunnerLifecycle> lifecycle = new AtomicReference<>();
        WorkerCoordinator coordinator = new WorkerCoordinator(cluster.settings(id), new FairTestStrategy(), store -> {
            lifecycle.set(new RunnerLifecycle(runners, store, Map.of("r0", 0), STOP_TIMEOUT));
            return lifecycle.get();
        }, cluster.recorder(), TimeSource.system());
        lifecycle.get().onWorkEnded(coordinator::workEnded);
        return new Worker(coordinator, lifecycle.get(), runners);
    }

    @Test
    void testARunnerThatDoesNotStopInTimeIsAbandonedAndItsRegionMovesOnDrain() throws Exception {
        TestSetup setup = TestSetup.create("at-least-once", 1, Map.of());
        setup.produce(14L, ORDERS, 0);
        HangingOrderAction hung = new HangingOrderAction();
        try (TestCluster cluster = new TestCluster(1)) {
            Worker first = worker(cluster, setup, "w1", () -> TestHandlers.orders(hung));
            Worker second = worker(cluster, setup, "w2", null);
            try {
                first.coordinator().start();
                io.shardwork.runner.Timing.await(hung.entered, io.shardwork.runner.Timing.RUNNER, "w1's handler to hang on r0");
                second.coordinator().start();
                Timing.await("w2 registered", Timing.CONVERGE, () -> cluster.status().members().size() == 2, cluster::status);

                cluster.observer().create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
                        .forPath(cluster.paths().drainedMarker("w1"));

                Timing.await("r0 released by w1 and claimed by w2", Timing.CONVERGE,
                        () -> first.coordinator().heldRegions().isEmpty() && second.coordinator().heldRegions().contains("r0"),
                        cluster::status);
                Timing.await("w2 processing r0 to its end", Timing.CONVERGE, () -> {
                    List<RunnerStats> stats = second.lifecycle().runningStats();
                    return stats.size() == 1 && stats.get(0).nextOffset() == ORDERS;
                }, second.lifecycle()::runningStats);
                assertEquals(1, first.lifecycle().abandonedStops(), "the stop past shutdown.timeout.ms is counted");
                assertTrue(cluster.status().regions().stream().allMatch(r -> "w2".equals(r.claimedBy())), cluster.status().toString());
            } finally {
                hung.release.countDown();
                first.coordinator().closeWithoutRelease();
                second.coordinator().closeWithoutRelease();
                first.runners().close();
                second.runners().close();
            }
        }
    }
}
