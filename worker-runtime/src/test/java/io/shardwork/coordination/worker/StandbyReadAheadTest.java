package io.shardwork.coordination.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;
import org.junit.jupiter.api.Test;

/**
 * A crash gives the dead worker's regions to their standby, which has read their claim and epoch nodes together with
 * the assignment that gives them: it claims them in ONE round trip (the claim multi sent with the checkpoints' read,
 * {@code RegionClaims.claimFreed}), not a read and then a write.
 */
class StandbyReadAheadTest {
    @Test
    void testAStandbyClaimsACrashedOwnersRegionsWithoutReadingFirst() throws Exception {
        try (TestCluster cluster = new TestCluster(4)) {
            cluster.applyDefinitionWithStandbys(cluster.regions());
            WorkerCoordinator standby = cluster.startWorker("w1");
            WorkerCoordinator crashing = cluster.startWorker("w2");
            cluster.awaitBalanced();
            Set<String> orphans = crashing.heldRegions();
            assertTrue(!orphans.isEmpty(), "w2 holds regions");
            Timing.await("w1 named the standby of w2's regions", Timing.CONVERGE, () -> standby.lastAssignment()
                    .map(a -> orphans.stream().allMatch(r -> "w1".equals(a.standbys().get(r)))).orElse(false));
            List<String> claimPath = new CopyOnWriteArrayList<>();
            String owners = cluster.paths().owners() + "/";
            standby.client().getZookeeperClient().setTracerDriver(new AdvancedTracerDriver() {
                @Override
                public void addTrace(OperationTrace trace) {
                    String path = trace.getPath() == null ? "" : trace.getPath();
                    // a claim's read starts with a region's claim node, a claim multi with the check of the assignment
                    if ((trace.getName().startsWith("MultiRead") && path.startsWith(owners))
                            || (trace.getName().startsWith("CuratorMultiTransactionImpl") && path.endsWith("/assignment"))) {
                        claimPath.add(trace.getName());
                    }
                }

                @Override
                public void addEvent(EventTrace trace) {
                }
            });

            cluster.kill(crashing);
            cluster.awaitConverged();
            assertEquals(cluster.regions().stream().map(r -> r.name()).collect(Collectors.toSet()), standby.heldRegions());
            assertEquals(List.of("MultiRead-Background", "CuratorMultiTransactionImpl-Background"),
                    claimPath.stream().distinct().toList(), "w1's claim of " + orphans + ": the reads sent with the assignment's,"
                    + " then the claim multi with the checkpoints' read; recorded: " + claimPath);
            cluster.recorder().checkExclusiveAndIncreasing();
        }
    }
}
