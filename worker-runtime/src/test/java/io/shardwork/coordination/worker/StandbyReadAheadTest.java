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
            Set<String> orphans = awaitStandingBy(cluster, standby, crashing);
            List<String> claimPath = claimPathOf(standby, cluster);
            cluster.kill(crashing);
            cluster.awaitConverged();
            assertClaimedInOneRoundTrip(cluster, standby, orphans, claimPath);
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
            Set<String> moved = awaitStandingBy(cluster, standby, leaving);
            List<String> claimPath = claimPathOf(standby, cluster);
            leaving.close();
            cluster.forget("w2");
            cluster.awaitConverged();
            assertClaimedInOneRoundTrip(cluster, standby, moved, claimPath);
            for (String region : moved) {
                cluster.recorder().checkResumedFromFinalCheckpoint(region, "w2", "w1");
            }
        }
    }

    /** Once balanced, {@code owner}'s regions, when {@code standby} has been named the standby of every one of them. */
    private static Set<String> awaitStandingBy(TestCluster cluster, WorkerCoordinator standby, WorkerCoordinator owner) {
        cluster.awaitBalanced();
        Set<String> theirs = owner.heldRegions();
        assertTrue(!theirs.isEmpty(), owner.workerId() + " holds regions");
        Timing.await(standby.workerId() + " named the standby of " + theirs, Timing.CONVERGE, () -> standby.lastAssignment()
                .map(a -> theirs.stream().allMatch(r -> standby.workerId().equals(a.standbys().get(r)))).orElse(false));
        return theirs;
    }

    /**
     * {@code standby} holds every region, and took {@code taken} with the reads sent with the assignment's and then
     * the claim multi sent with the checkpoints' read: no read of its own.
     */
    private static void assertClaimedInOneRoundTrip(TestCluster cluster, WorkerCoordinator standby, Set<String> taken,
                                                    List<String> claimPath) {
        assertEquals(cluster.regions().stream().map(r -> r.name()).collect(Collectors.toSet()), standby.heldRegions());
        assertEquals(List.of("MultiRead-Background", "CuratorMultiTransactionImpl-Background"),
                claimPath.stream().distinct().toList(), standby.workerId() + "'s claim of " + taken + ": the reads sent with"
                + " the assignment's, then the claim multi with the checkpoints' read; recorded: " + claimPath);
        cluster.recorder().checkExclusiveAndIncreasing();
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
