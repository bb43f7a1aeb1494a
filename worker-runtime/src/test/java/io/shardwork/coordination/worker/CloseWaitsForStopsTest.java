package io.shardwork.coordination.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.testing.FairTestStrategy;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.layout.Checkpoint;
import io.shardwork.leader.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A graceful close waits as long as shutdown.timeout.ms promises the regions: a stop that takes longer than
 * the coordinator's own margin but less than its stop timeout finishes, and the claim is released after it,
 * instead of the session being closed (and the event thread interrupted) under it. Real ZooKeeper.
 */
class CloseWaitsForStopsTest {
    /** Longer than the close margin of a test worker (max(10 s, 3 x 2 s)), shorter than the stop timeout. */
    private static final Duration SLOW_STOP = Duration.ofSeconds(12);

    @Test
    void testCloseWaitsForAStopWithinTheStopTimeoutAndReleasesAfterIt() throws Exception {
        try (TestCluster cluster = new TestCluster(1)) {
            List<String> calls = new CopyOnWriteArrayList<>();
            RegionLifecycle slow = new RegionLifecycle() {
                @Override
                public void start(String region, long epoch, Optional<Checkpoint> checkpoint) {
                    calls.add("start " + region);
                }

                @Override
                public void pause(String region) {
                }

                @Override
                public void resume(String region) {
                }

                @Override
                public OptionalLong stop(String region) {
                    try {
                        Thread.sleep(SLOW_STOP.toMillis()); // a final commit that takes its time
                        calls.add("stopped " + region);
                    } catch (InterruptedException e) {
                        calls.add("interrupted " + region);
                    }
                    return OptionalLong.empty();
                }

                @Override
                public void abandon(String region) {
                    calls.add("abandon " + region);
                }

                @Override
                public Duration stopTimeout() {
                    return Duration.ofSeconds(30);
                }
            };
            WorkerCoordinator worker = new WorkerCoordinator(cluster.settings("w1"), new FairTestStrategy(), store -> slow,
                    cluster.recorder(), TimeSource.system());
            worker.start();
            Timing.await("w1 holding r0", Timing.CONVERGE, () -> worker.heldRegions().contains("r0"), worker::heldRegions);
            assertTrue(worker.closeMargin().compareTo(SLOW_STOP) < 0, "the test needs a stop longer than the margin alone");

            worker.close();

            assertEquals(List.of("start r0", "stopped r0"), calls);
            assertTrue(cluster.recorder().entries().stream().anyMatch(e -> !e.claim() && e.region().equals("r0") && e.graceful()),
                    "r0 released gracefully after its stop: " + cluster.recorder().entries());
        }
    }
}
