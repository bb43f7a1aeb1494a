package io.shardwork.coordination.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.testing.FairTestStrategy;
import io.shardwork.coordination.testing.OwnershipRecorder;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.layout.Checkpoint;
import io.shardwork.layout.LayoutJson;
import io.shardwork.leader.TimeSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;
import org.junit.jupiter.api.Test;

/**
 * A closing worker writes the final checkpoints of all the regions it releases in the multi that deletes their
 * claims: one ZooKeeper write for all of them, instead of a checkpoint write and a release per region.
 */
class ReleaseWithFinalCheckpointTest {
    @Test
    void testAClosingWorkerReleasesAllItsRegionsWithTheirFinalCheckpointsInOneMulti() throws Exception {
        try (TestCluster cluster = new TestCluster(3)) {
            WorkerCoordinator worker = new WorkerCoordinator(cluster.settings("w1"), new FairTestStrategy(), NoopRegionLifecycle::new,
                    cluster.recorder(), TimeSource.system());
            worker.start();
            Timing.await("w1 holding all three regions", Timing.CONVERGE, () -> worker.heldRegions().size() == 3, worker::heldRegions);
            Map<String, Long> epochs = new java.util.TreeMap<>();
            worker.heldRegions().forEach(region -> epochs.put(region, worker.ownership(region).epoch()));
            List<String> regionWrites = new CopyOnWriteArrayList<>();
            worker.client().getZookeeperClient().setTracerDriver(new AdvancedTracerDriver() {
                @Override
                public void addTrace(OperationTrace trace) {
                    String path = trace.getPath() == null ? "" : trace.getPath();
                    if (trace.getName().startsWith("CuratorMultiTransactionImpl")
                            && (path.startsWith(cluster.paths().regions()) || path.startsWith(cluster.paths().owners()))) {
                        regionWrites.add(path);
                    }
                }

                @Override
                public void addEvent(EventTrace trace) {
                }
            });

            worker.close();

            assertEquals(1, regionWrites.size(), "one multi for the three final checkpoints and claim deletions: " + regionWrites);
            for (Map.Entry<String, Long> held : epochs.entrySet()) {
                String region = held.getKey();
                assertNull(cluster.observer().checkExists().forPath(cluster.paths().owner(region)), region + "'s claim is deleted");
                Checkpoint last = LayoutJson.decode(cluster.observer().getData().forPath(cluster.paths().regionCheckpoint(region)),
                        Checkpoint.class);
                assertEquals(held.getValue(), last.epoch(), region + "'s final checkpoint is written under the released epoch");
                assertEquals("w1", last.workerId());
            }
            List<OwnershipRecorder.Entry> releases = cluster.recorder().entries().stream().filter(e -> !e.claim()).toList();
            assertEquals(3, releases.size(), releases.toString());
            assertTrue(releases.stream().allMatch(OwnershipRecorder.Entry::graceful), releases.toString());
        }
    }
}
