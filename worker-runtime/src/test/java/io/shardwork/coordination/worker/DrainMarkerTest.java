package io.shardwork.coordination.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.layout.MoveRecord;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

class DrainMarkerTest {
    @Test
    void testDrainedWorkerHandsOverEveryRegionWithReasonDrain() throws Exception {
        try (TestCluster cluster = new TestCluster(4)) {
            cluster.startWorker("w1");
            WorkerCoordinator drained = cluster.startWorker("w2");
            cluster.awaitBalanced();
            List<String> before = List.copyOf(drained.heldRegions());

            cluster.observer().create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
                    .forPath(cluster.paths().drainedMarker("w2"));
            Timing.await("w2 drained: it holds nothing and w1 claims everything", Timing.CONVERGE,
                    () -> drained.heldRegions().isEmpty() && cluster.workers().get("w1").heldRegions().size() == 4,
                    cluster::status);

            ClusterStatus status = cluster.status();
            assertEquals(List.of(), status.members().stream().filter(m -> m.id().equals("w2")).findFirst().orElseThrow().regions());
            List<MoveRecord> drainMoves = status.recentMoves().stream().filter(m -> m.reason().equals("drain")).toList();
            assertEquals(before, drainMoves.stream().map(MoveRecord::region).sorted().toList());
            assertTrue(drainMoves.stream().allMatch(m -> "w2".equals(m.from()) && "w1".equals(m.to())));
            cluster.recorder().checkExclusiveAndIncreasing();
        }
    }
}
