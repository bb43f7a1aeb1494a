package io.shardwork.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.api.Handler;
import io.shardwork.assigner.StickyWeightedAssigner;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.coordination.worker.WorkerCoordinator;
import io.shardwork.layout.MoveRecord;
import io.shardwork.layout.RestartBackoffRecord;
import io.shardwork.leader.TimeSource;
import io.shardwork.runner.RegionRunnerFactory;
import io.shardwork.runner.RunnerStats;
import io.shardwork.runner.TestSetup;
import io.shardwork.verify.Verifier;
import io.shardwork.verify.VerifyReport;
import io.shardwork.workload.TestHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A handler that hangs on r0 on worker w1 only (every call, every epoch, deaf to interrupts): w1 gives r0 up
 * after twice handler.timeout.ms, publishes it in restart backoff, the leader (the real
 * {@link StickyWeightedAssigner}) excludes w1 from r0 and moves it to w2 (reason restart_backoff), and w2
 * processes every order of r0 from the last checkpoint. The checker finds nothing lost, nothing conflicting. Real
 * ZooKeeper, real Kafka.
 *
 * <p>Whatever the order of w2's registration and w1's give-up, r0 can only end up on w2: w1 never completes a
 * call of r0. With the exclusion switched off (the assigner ignoring excludedMembers) w1 keeps r0, gives it up
 * and claims it again forever, and the test times out waiting for w2 to own it.
 */
class HungHandlerMovesRegionTest {
    private static final int ORDERS = 200;
    private static final Duration HANDLER_TIMEOUT = Duration.ofMillis(500);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    private record Worker(WorkerCoordinator coordinator, RunnerLifecycle lifecycle, RegionRunnerFactory runners) { }

    /** A worker wired as WorkerNode wires one: the real assigner, the handler watch, restart backoff published. */
    private static Worker worker(TestCluster cluster, TestSetup setup, String id, Supplier<Handler<?>> handlers, List<String> gaveUp) {
        RegionRunnerFactory.Builder builder = RegionRunnerFactory.builder(setup.config).workerId(id).warmConsumers(0);
        if (handlers != null) {
            builder.handlers(handlers);
        }
        RegionRunnerFactory runners = builder.build();
        AtomicReference<RunnerLifecycle> lifecycle = new AtomicReference<>();
        WorkerCoordinator coordinator = new WorkerCoordinator(cluster.settings(id), new StickyWeightedAssigner(), store -> {
            lifecycle.set(new RunnerLifecycle(runners, store, Map.of("r0", 0), STOP_TIMEOUT));
            return lifecycle.get();
        }, cluster.recorder(), TimeSource.system());
        lifecycle.get().onWorkEnded(coordinator::workEnded);
        lifecycle.get().watchHandlers(HANDLER_TIMEOUT, new RunnerLifecycle.HandlerWatchListener() {
            @Override
            public void hung(String region, long epoch, Duration running) {
            }

            @Override
            public void recovered(String region) {
            }

            @Override
            public void gaveUp(String region, long epoch, Duration running) {
                gaveUp.add(id + ":" + region + "@" + epoch);
            }
        });
        RestartBackoffPublisher.bind(lifecycle.get().restartBackoff(), coordinator);
        return new Worker(coordinator, lifecycle.get(), runners);
    }

    @Test
    void aRegionWhoseHandlerHangsOnOneWorkerIsGivenUpAndProcessedByAnother() throws Exception {
        TestSetup setup = TestSetup.create("at-least-once", 1, Map.of());
        setup.produce(33L, ORDERS, 0);
        HangingOrderAction hung = new HangingOrderAction();
        List<String> gaveUp = new CopyOnWriteArrayList<>();
        try (TestCluster cluster = new TestCluster(1)) {
            Worker first = worker(cluster, setup, "w1", () -> TestHandlers.orders(hung), gaveUp);
            Worker second = worker(cluster, setup, "w2", null, gaveUp);
            try {
                first.coordinator().start();
                io.shardwork.runner.Timing.await(hung.entered, io.shardwork.runner.Timing.RUNNER, "w1's handler to hang on r0");
                second.coordinator().start();

                Timing.await("r0 given up by w1, owned by w2 and processed to its end", Timing.CONVERGE, () -> {
                    List<RunnerStats> stats = second.lifecycle().runningStats();
                    return first.coordinator().heldRegions().isEmpty() && second.coordinator().heldRegions().contains("r0")
                            && stats.size() == 1 && stats.get(0).nextOffset() == ORDERS;
                }, () -> cluster.status() + " w2 runs " + second.lifecycle().runningStats() + ", gave up: " + gaveUp);

                assertTrue(gaveUp.stream().allMatch(g -> g.startsWith("w1:r0@")) && !gaveUp.isEmpty(), gaveUp.toString());
                List<MoveRecord> moves = second.coordinator().lastAssignment().orElseThrow().recentMoves();
                assertTrue(moves.stream().anyMatch(m -> m.region().equals("r0") && "w1".equals(m.from()) && m.to().equals("w2")
                        && m.reason().equals("restart_backoff")), moves.toString());
                List<RestartBackoffRecord> shown = cluster.status().members().stream().filter(m -> m.id().equals("w1"))
                        .findFirst().orElseThrow().restartBackoff();
                assertTrue(shown.size() == 1 && shown.get(0).region().equals("r0") && shown.get(0).handlerGaveUp(),
                        "w1 still shows r0 in restart backoff (no clean run of r0 ended there): " + shown);
                VerifyReport report = new Verifier(setup.config).verify();
                assertEquals(ORDERS, report.produced(), report::toJson);
                assertEquals(0, report.lost(), report::toJson);
                assertEquals(0, report.conflictingInvoices(), report::toJson);
            } finally {
                hung.release.countDown();
                first.coordinator().closeWithoutRelease();
                second.coordinator().closeWithoutRelease();
                first.lifecycle().shutdown();
                second.lifecycle().shutdown();
                first.runners().close();
                second.runners().close();
            }
        }
    }
}
