package io.shardwork.coordination.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.testing.FairTestStrategy;
import io.shardwork.coordination.testing.OwnershipRecorder;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.layout.Checkpoint;
import io.shardwork.leader.TimeSource;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A crash-stop ({@link WorkerCoordinator#closeWithoutRelease}) that interrupts a release between its record and
 * its claim deletion records the end of that run once, not twice (RandomScheduleTest met it as "r1 released by w2
 * at epoch 1" twice). Real ZooKeeper.
 */
class CrashStopDuringReleaseTest {
    @Test
    void testARunEndedByAnInterruptedReleaseAndACrashStopIsRecordedOnce() throws Exception {
        try (TestCluster cluster = new TestCluster(1)) {
            CountDownLatch stopping = new CountDownLatch(1);
            RegionLifecycle stopsWhenInterrupted = new RegionLifecycle() {
                @Override
                public void start(String region, long epoch, Optional<Checkpoint> checkpoint) {
                }

                @Override
                public void pause(String region) {
                }

                @Override
                public void resume(String region) {
                }

                @Override
                public OptionalLong stop(String region) {
                    stopping.countDown();
                    try {
                        new CountDownLatch(1).await(); // a final checkpoint that ends when the thread is interrupted
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // and returns normally: the claim deletion then fails
                    }
                    return OptionalLong.empty();
                }

                @Override
                public void abandon(String region) {
                }
            };
            OwnershipRecorder recorder = cluster.recorder();
            WorkerCoordinator w1 = new WorkerCoordinator(cluster.settings("w1"), new FairTestStrategy(), store -> stopsWhenInterrupted,
                    recorder, TimeSource.system());
            w1.start();
            Timing.await("w1 holding r0", Timing.CONVERGE, () -> w1.heldRegions().contains("r0"), w1::heldRegions);
            cluster.startWorker("w2");
            cluster.observer().create().creatingParentsIfNeeded().forPath(cluster.paths().drainedMarker("w1"));
            assertTrue(stopping.await(Timing.CONVERGE.toMillis(), TimeUnit.MILLISECONDS), "w1 releasing r0 for its drain");

            w1.closeWithoutRelease();

            Timing.await("r0 claimed by w2", Timing.TAKEOVER, () -> cluster.workers().get("w2").heldRegions().contains("r0"),
                    () -> cluster.workers().get("w2").heldRegions());
            assertEquals(1, recorder.entries().stream().filter(e -> e.workerId().equals("w1") && !e.claim()).count(),
                    "one end of w1's run: " + recorder.entries());
            recorder.checkExclusiveAndIncreasing();
        }
    }
}
