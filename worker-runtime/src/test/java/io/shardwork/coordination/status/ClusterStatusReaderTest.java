package io.shardwork.coordination.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.coordination.worker.WorkerCoordinator;
import java.net.InetAddress;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ClusterStatusReaderTest {
    @Test
    void testStatusShowsLeaderMembersRegionsClaimsEpochsAndCheckpoints() throws Exception {
        try (TestCluster cluster = new TestCluster(4)) {
            cluster.startWorker("w1");
            cluster.startWorker("w2");
            cluster.awaitBalanced();
            // a region's runner writes its first checkpoint once started, just after its claim
            Timing.await("every region's first checkpoint", Timing.CONVERGE,
                    () -> cluster.status().regions().stream().allMatch(region -> region.checkpoint() != null),
                    () -> cluster.status().regions());
            WorkerCoordinator leader = cluster.leader();
            assertNotNull(leader);

            ClusterStatus status = cluster.status();
            assertEquals(leader.workerId(), status.leader());
            assertEquals(leader.leaderEpoch(), status.leaderEpoch());
            assertEquals(cluster.observer().checkExists().forPath(cluster.paths().assignment()).getVersion(), status.generation());
            assertEquals(List.of("w1", "w2"), status.members().stream().map(ClusterStatus.MemberStatus::id).toList());
            for (ClusterStatus.MemberStatus member : status.members()) {
                assertEquals(InetAddress.getLocalHost().getHostName(), member.host());
                assertEquals(ProcessHandle.current().pid(), member.pid());
                assertEquals("z1", member.zone());
                assertEquals(new TreeSet<>(cluster.workers().get(member.id()).heldRegions()), new TreeSet<>(member.regions()));
            }
            assertEquals(List.of("r0", "r1", "r2", "r3"), status.regions().stream().map(ClusterStatus.RegionStatus::name).toList());
            for (ClusterStatus.RegionStatus region : status.regions()) {
                WorkerCoordinator owner = cluster.workers().get(region.owner());
                assertEquals(region.owner(), region.claimedBy());
                assertEquals(owner.ownership(region.name()).epoch(), region.epoch());
                assertNotNull(region.checkpoint(), "the test runner checkpoints at start");
            }
            assertEquals(List.of(), status.unplaceable());
            assertEquals(true, status.recentMoves().size() >= 4);
        }
    }
}
