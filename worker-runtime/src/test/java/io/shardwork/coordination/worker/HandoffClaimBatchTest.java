package io.shardwork.coordination.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.checkpoint.FencedException;
import io.shardwork.coordination.testing.ForwardingLifecycle;
import io.shardwork.coordination.testing.OwnershipRecorder;
import io.shardwork.coordination.testing.TestCluster;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;
import org.junit.jupiter.api.Test;

/**
 * A handoff's new owner claims all the regions an old owner frees together in ONE claim: the leaver's regions stop
 * only once the taker watches all their claims (it found them held), so it is told of the deletions one event at a
 * time although one multi deleted them all. That claim sends its multi and the read of the checkpoints together
 * (the epoch versions are those read when the claims were found held), and each region resumes from the leaver's
 * final checkpoint.
 */
class HandoffClaimBatchTest {
    /** The watches of the leaver's claims the taker has still to arm before the leaver's regions stop. */
    private final AtomicReference<CountDownLatch> takerWatching = new AtomicReference<>(new CountDownLatch(0));
    private final AtomicBoolean stoppedUnwatched = new AtomicBoolean();

    @Test
    void testRegionsFreedByOneReleaseAreClaimedInOneMulti() throws Exception {
        try (TestCluster cluster = new TestCluster(8)) {
            WorkerCoordinator taker = cluster.startWorker("w1");
            WorkerCoordinator leaving = cluster.startWorker("w2", 10_000, StopWhenWatched::new);
            cluster.awaitBalanced();
            Set<String> moved = leaving.heldRegions();
            assertTrue(moved.size() > 1, "the leaver holds several regions: " + moved);
            List<String> claims = new CopyOnWriteArrayList<>();
            takerWatching.set(new CountDownLatch(moved.size()));
            taker.client().getZookeeperClient().setTracerDriver(new AdvancedTracerDriver() {
                @Override
                public void addTrace(OperationTrace trace) {
                    // a claim multi starts with the check of the assignment's version
                    if (trace.getName().startsWith("CuratorMultiTransactionImpl") && trace.getPath().endsWith("/assignment")) {
                        claims.add(trace.getName());
                    }
                    if (trace.getName().startsWith("ExistsBuilderImpl") && trace.getPath().startsWith(cluster.paths().owners() + "/")) {
                        takerWatching.get().countDown(); // a blocked claim's watch answered
                    }
                }

                @Override
                public void addEvent(EventTrace trace) {
                }
            });

            leaving.close();
            cluster.forget("w2");
            cluster.awaitConverged();
            assertEquals(Set.copyOf(cluster.regions().stream().map(r -> r.name()).toList()), taker.heldRegions());
            assertFalse(stoppedUnwatched.get(), "the taker watched the leaver's claims while they were held");
            assertEquals(List.of("CuratorMultiTransactionImpl-Background"), claims, "the regions " + moved
                    + " claimed in one multi, sent with the read of their checkpoints (RegionClaims.claimFreed)");
            OwnershipRecorder recorder = cluster.recorder();
            recorder.checkExclusiveAndIncreasing();
            for (String region : moved) {
                recorder.checkResumedFromFinalCheckpoint(region, "w2", "w1");
            }
        }
    }

    /** Regions that stop once the taker watches all the leaver's claims (a slow final checkpoint, as far as it can tell). */
    private final class StopWhenWatched extends ForwardingLifecycle {
        StopWhenWatched(RegionLifecycle delegate) {
            super(delegate);
        }

        @Override
        public OptionalLong stop(String region) throws FencedException, StopAbandonedException {
            try {
                if (!takerWatching.get().await(30, TimeUnit.SECONDS)) {
                    stoppedUnwatched.set(true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.stop(region);
        }
    }
}
