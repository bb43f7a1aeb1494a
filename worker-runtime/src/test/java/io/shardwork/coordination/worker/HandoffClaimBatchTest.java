package io.shardwork.coordination.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.checkpoint.FencedException;
import io.shardwork.coordination.testing.CheckpointingLifecycle;
import io.shardwork.coordination.testing.FairTestStrategy;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.layout.Checkpoint;
import io.shardwork.leader.TimeSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;
import org.junit.jupiter.api.Test;

/**
 * A handoff's new owner claims all the regions an old owner frees together in ONE claim: the leaver's regions stop
 * slowly (a final checkpoint that takes a while), so the taker finds their claims held, watches them, and is told of
 * the deletions one event at a time although one multi deleted them all.
 */
class HandoffClaimBatchTest {
    private static final long SLOW_STOP_MS = 300;

    @Test
    void testRegionsFreedByOneReleaseAreClaimedInOneMulti() throws Exception {
        ExecutorService stragglers = Executors.newSingleThreadExecutor();
        try (TestCluster cluster = new TestCluster(8)) {
            WorkerCoordinator taker = cluster.startWorker("w1");
            WorkerCoordinator leaving = new WorkerCoordinator(cluster.settings("w2", 10_000), new FairTestStrategy(),
                    store -> new SlowStop(new CheckpointingLifecycle(store, stragglers, new AtomicLong(), new AtomicLong(), new AtomicLong())),
                    cluster.recorder(), TimeSource.system());
            leaving.start();
            cluster.workers().put("w2", leaving);
            cluster.awaitBalanced();
            Set<String> moved = leaving.heldRegions();
            assertTrue(moved.size() > 1, "the leaver holds several regions: " + moved);
            List<String> claims = new CopyOnWriteArrayList<>();
            taker.client().getZookeeperClient().setTracerDriver(new AdvancedTracerDriver() {
                @Override
                public void addTrace(OperationTrace trace) {
                    // a claim multi starts with the check of the assignment's version
                    if (trace.getName().startsWith("CuratorMultiTransactionImpl") && trace.getPath().endsWith("/assignment")) {
                        claims.add(trace.getPath());
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
            assertEquals(1, claims.size(), "the regions " + moved + " claimed in one multi: " + claims);
            cluster.recorder().checkExclusiveAndIncreasing();
        } finally {
            stragglers.shutdownNow();
        }
    }

    /** A region whose final checkpoint takes {@link #SLOW_STOP_MS}: the scenario's input, not a wait for an event. */
    private record SlowStop(CheckpointingLifecycle delegate) implements RegionLifecycle {
        @Override
        public void start(String region, long epoch, Optional<Checkpoint> checkpoint) {
            delegate.start(region, epoch, checkpoint);
        }

        @Override
        public void pause(String region) {
            delegate.pause(region);
        }

        @Override
        public void resume(String region) {
            delegate.resume(region);
        }

        @Override
        public void stop(String region) throws FencedException {
            try {
                Thread.sleep(SLOW_STOP_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delegate.stop(region);
        }

        @Override
        public void abandon(String region) {
            delegate.abandon(region);
        }
    }
}
