package io.shardwork.coordination.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.testing.ForwardingLifecycle;
import io.shardwork.coordination.testing.OwnershipRecorder;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.layout.AssignmentDocument;
import io.shardwork.layout.Checkpoint;
import io.shardwork.layout.LayoutJson;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;
import org.junit.jupiter.api.Test;

class GracefulLeaveTest {
    @Test
    void testLeavingWorkerStopsAndReleasesWithItsFinalCheckpointsBeforeTheNextOwnerStartsFromThem() throws Exception {
        try (TestCluster cluster = new TestCluster(4)) {
            cluster.startWorker("w1");
            WorkerCoordinator leaving = cluster.startWorker("w2");
            cluster.awaitBalanced();
            Set<String> moved = leaving.heldRegions();
            java.util.List<String> releases = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.List<String> writes = new java.util.concurrent.CopyOnWriteArrayList<>();
            leaving.client().getZookeeperClient().setTracerDriver(new org.apache.curator.drivers.AdvancedTracerDriver() {
                @Override
                public void addTrace(org.apache.curator.drivers.OperationTrace trace) {
                    // a release multi starts with the check of the region's epoch node, a checkpoint's with the claim's
                    if (trace.getName().startsWith("CuratorMultiTransactionImpl")) {
                        writes.add(trace.getPath());
                        if (trace.getPath().endsWith("/epoch") && trace.getPath().contains("/regions/")) {
                            releases.add(trace.getPath());
                        }
                    }
                }

                @Override
                public void addEvent(org.apache.curator.drivers.EventTrace trace) {
                }
            });

            leaving.close();
            assertTrue(moved.size() > 1, "the leaver held several regions: " + moved);
            assertEquals(1, releases.size(), "the claims of " + moved + " deleted in one multi: " + releases);
            assertEquals(releases, writes, "the final checkpoints written by that multi, none on its own: " + writes);
            cluster.forget("w2");
            cluster.awaitConverged();

            OwnershipRecorder recorder = cluster.recorder();
            recorder.checkExclusiveAndIncreasing();
            for (String region : moved) {
                List<OwnershipRecorder.Entry> history = recorder.entries().stream().filter(e -> e.region().equals(region)).toList();
                OwnershipRecorder.Entry release = history.get(history.size() - 2);
                OwnershipRecorder.Entry claim = history.get(history.size() - 1);
                assertEquals("w2", release.workerId(), region + ": " + history);
                assertTrue(!release.claim() && release.graceful(), region + " released gracefully: " + history);
                assertEquals("w1", claim.workerId(), region + ": " + history);
                assertEquals(release.epoch() + 1, claim.epoch(), region + ": the next claim bumps the epoch once");
                assertTrue(claim.seq() > release.seq(), "stop-before-start");
                recorder.checkResumedFromFinalCheckpoint(region, "w2", "w1");
            }
        }
    }

    /**
     * Once a leaver's member node is gone, every new generation moves all its regions: their release (stops, then the
     * claims' deletion) begins when the assignment's watch fires, before the read of the generation that moves them
     * (a round trip of the leave's pause).
     */
    @Test
    void testALeaversStopsBeginBeforeItReadsTheGenerationThatMovesItsRegions() throws Exception {
        try (TestCluster cluster = new TestCluster(4)) {
            cluster.startWorker("w1");
            List<String> seen = new CopyOnWriteArrayList<>();
            WorkerCoordinator leaving = cluster.startWorker("w2", Timing.SESSION_TIMEOUT_MS, lifecycle -> new ForwardingLifecycle(lifecycle) {
                @Override
                public void beginStop(String region) {
                    seen.add("stop " + region);
                    super.beginStop(region);
                }
            });
            cluster.awaitBalanced();
            long before = leaving.assignmentGeneration();
            leaving.client().getZookeeperClient().setTracerDriver(new AdvancedTracerDriver() {
                @Override
                public void addTrace(OperationTrace trace) {
                    if (trace.getName().startsWith("GetDataBuilderImpl") && trace.getPath().endsWith("/assignment")
                            && trace.getStat() != null && trace.getStat().getVersion() > before) {
                        seen.add("read generation " + trace.getStat().getVersion());
                    }
                }

                @Override
                public void addEvent(EventTrace trace) {
                }
            });

            leaving.close();
            cluster.forget("w2");
            cluster.awaitConverged();
            int firstStop = indexOf(seen, "stop ");
            int firstRead = indexOf(seen, "read ");
            assertTrue(firstStop >= 0 && firstRead >= 0, "stops and reads: " + seen);
            assertTrue(firstStop < firstRead, "the stops began before the moving generation was read: " + seen);
            cluster.recorder().checkExclusiveAndIncreasing();
        }
    }

    private static int indexOf(List<String> seen, String prefix) {
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A leaver goes on processing its regions until the leader moves them; with no leader able to (the leader cut off
     * from ZooKeeper, its session longer than the leaver's), it releases them itself once its session timeout has
     * passed: gracefully, each claim deleted with a final checkpoint, while the assignment still names it.
     */
    @Test
    void testALeaverWhoseRegionsNoLeaderMovesReleasesThemItselfAfterItsSessionTimeout() throws Exception {
        try (TestCluster cluster = new TestCluster(4)) {
            WorkerCoordinator leader = cluster.startWorker("w1", Timing.LONG_SESSION_TIMEOUT_MS);
            // starting first does not make w1 the leader: its election node is made on its selector's thread, and
            // w2's could come first (it did once in a full run)
            Timing.await("w1 to lead before w2 starts", Timing.CONVERGE, leader::isLeader, cluster::status);
            WorkerCoordinator leaving = cluster.startWorker("w2");
            cluster.awaitBalanced();
            assertEquals("w1", cluster.leader().workerId(), "the first worker leads");
            Set<String> held = leaving.heldRegions();
            assertTrue(!held.isEmpty(), "w2 holds regions");

            cluster.blip(leader, 30_000); // nobody can write an assignment until the test is over
            leaving.close();

            AssignmentDocument assignment = LayoutJson.decode(cluster.observer().getData().forPath(cluster.paths().assignment()),
                    AssignmentDocument.class);
            OwnershipRecorder recorder = cluster.recorder();
            for (String region : held) {
                assertEquals("w2", assignment.owners().get(region), region + " was not moved by an assignment: " + assignment.owners());
                assertNull(cluster.observer().checkExists().forPath(cluster.paths().owner(region)), region + "'s claim deleted");
                List<OwnershipRecorder.Entry> history = recorder.entries().stream().filter(e -> e.region().equals(region)).toList();
                OwnershipRecorder.Entry release = history.get(history.size() - 1);
                assertTrue(release.workerId().equals("w2") && !release.claim() && release.graceful(), region + ": " + history);
                Checkpoint last = LayoutJson.decode(cluster.observer().getData().forPath(cluster.paths().regionCheckpoint(region)),
                        Checkpoint.class);
                assertEquals(release.epoch(), last.epoch(), region + "'s final checkpoint is w2's: " + last);
            }
        }
    }
}
