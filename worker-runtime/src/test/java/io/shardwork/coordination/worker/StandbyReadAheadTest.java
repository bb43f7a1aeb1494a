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
            List<String> claimPath = claimPathOf(standby, cluster);
            cluster.kill(crashing);
            cluster.awaitConverged();
            assertEquals(cluster.regions().stream().map(r -> r.name()).collect(Collectors.toSet()), standby.heldRegions());
            assertEquals(List.of("MultiRead-Background", "CuratorMultiTransactionImpl-Background"),
                    claimPath.stream().distinct().toList(), "w1's claim of " + orphans + ": the reads sent with the assignment's,"
                    + " then the claim multi with the checkpoints' read; recorded: " + claimPath);
            cluster.recorder().checkExclusiveAndIncreasing();
        }
    }

    /**
     * A leave gives the leaver's regions to their standby while the leaver still holds them: the reads sent with the
     * assignment's find them held, so the standby watches them at once, without a read of its own, and claims them in
     * one round trip when the leaver's release deletes their claims.
     */
    @Test
    void testAStandbyWatchesALeaversRegionsWithoutReadingFirst() throws Exception {
        try (TestCluster cluster = new TestCluster(4)) {
            cluster.applyDefinitionWithStandbys(cluster.regions());
            WorkerCoordinator standby = cluster.startWorker("w1");
            WorkerCoordinator leaving = cluster.startWorker("w2");
            cluster.awaitBalanced();
            Set<String> moved = leaving.heldRegions();
            Timing.await("w1 named the standby of w2's regions", Timing.CONVERGE, () -> standby.lastAssignment()
                    .map(a -> moved.stream().allMatch(r -> "w1".equals(a.standbys().get(r)))).orElse(false));
            List<String> claimPath = claimPathOf(standby, cluster);
            leaving.close();
            cluster.forget("w2");
            cluster.awaitConverged();
            assertEquals(cluster.regions().stream().map(r -> r.name()).collect(Collectors.toSet()), standby.heldRegions());
            assertEquals(List.of("MultiRead-Background", "CuratorMultiTransactionImpl-Background"),
                    claimPath.stream().distinct().toList(), "w1's claim of " + moved + ": the reads sent with the assignment's,"
                    + " then the claim multi with the checkpoints' read; recorded: " + claimPath);
            cluster.recorder().checkExclusiveAndIncreasing();
            for (String region : moved) {
                cluster.recorder().checkResumedFromFinalCheckpoint(region, "w2", "w1");
            }
        }
    }

    /** The claim reads (their first op reads a region's claim node) and claim multis (the first checks the assignment). */
    private static List<String> claimPathOf(WorkerCoordinator worker, TestCluster cluster) {
        List<String> claimPath = new CopyOnWriteArrayList<>();
        String owners = cluster.paths().owners() + "/";
        worker.client().getZookeeperClient().setTracerDriver(new AdvancedTracerDriver() {
            @Override
            public void addTrace(OperationTrace trace) {
                String path = trace.getPath() == null ? "" : trace.getPath();
                if ((trace.getName().startsWith("MultiRead") && path.startsWith(owners))
                        || (trace.getName().startsWith("CuratorMultiTransactionImpl") && path.endsWith("/assignment"))) {
                    claimPath.add(trace.getName());
                }
            }

            @Override
            public void addEvent(EventTrace trace) {
            }
        });
        return claimPath;
    }
}
