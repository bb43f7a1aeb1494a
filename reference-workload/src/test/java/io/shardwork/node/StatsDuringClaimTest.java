package io.shardwork.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.shardwork.coordination.testing.FairTestStrategy;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.coordination.worker.WorkerCoordinator;
import io.shardwork.leader.TimeSource;
import io.shardwork.runner.RegionRunnerFactory;
import io.shardwork.runner.RunnerState;
import io.shardwork.runner.RunnerStats;
import io.shardwork.runner.TestSetup;
import io.shardwork.workload.TestHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The counters of the running regions ({@link RunnerLifecycle#runningStats()}, behind {@code WorkerNode.runnerStats()}
 * and the per-region gauges) are read from any thread, also while the coordinator claims a region: a runner is
 * registered before it is started, so that its death is always heard, and a read in between listed a runner not yet
 * started, as region "?" (the throughput bench's wait for every region failed on it). The claim's log line is written in
 * exactly that window, so an appender reads the counters there. Real ZooKeeper, real Kafka.
 */
class StatsDuringClaimTest {
    @Test
    void aRegionBeingClaimedIsNotListedWithoutItsName() throws Exception {
        TestSetup setup = TestSetup.create("at-least-once", 2, Map.of());
        setup.produce(5L, 10, 0);
        RegionRunnerFactory runners = RegionRunnerFactory.builder(setup.config).workerId("w1").warmConsumers(0)
                .handlers(() -> TestHandlers.orders((order, context) -> { })).build();
        AtomicReference<RunnerLifecycle> lifecycle = new AtomicReference<>();
        List<List<RunnerStats>> readWhileClaiming = new CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> probe = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getFormattedMessage().contains("claimed under epoch")) {
                    readWhileClaiming.add(lifecycle.get().runningStats());
                }
            }
        };
        Logger logger = (Logger) LoggerFactory.getLogger(RunnerLifecycle.class);
        probe.start();
        logger.addAppender(probe);
        try (TestCluster cluster = new TestCluster(2)) {
            WorkerCoordinator worker = new WorkerCoordinator(cluster.settings("w1"), new FairTestStrategy(), store -> {
                lifecycle.set(new RunnerLifecycle(runners, store, Map.of("r0", 0, "r1", 1), Duration.ofSeconds(5)));
                return lifecycle.get();
            }, cluster.recorder(), TimeSource.system());
            lifecycle.get().onWorkEnded(worker::workEnded);
            try {
                worker.start();
                Timing.await("both regions claimed", Timing.CONVERGE, () -> readWhileClaiming.size() == 2,
                        readWhileClaiming::toString);
                for (List<RunnerStats> read : readWhileClaiming) {
                    assertTrue(read.stream().allMatch(stats -> Set.of("r0", "r1").contains(stats.region())
                            && stats.state() != RunnerState.NEW), "a runner not started, without its region: " + read);
                }
                Timing.await("both runners listed once started", Timing.CONVERGE,
                        () -> lifecycle.get().runningStats().size() == 2, () -> lifecycle.get().runningStats().toString());
                assertEquals(List.of("r0", "r1"), lifecycle.get().runningStats().stream().map(RunnerStats::region).sorted().toList());
            } finally {
                logger.detachAppender(probe);
                worker.closeWithoutRelease();
                runners.close();
            }
        }
    }
}
