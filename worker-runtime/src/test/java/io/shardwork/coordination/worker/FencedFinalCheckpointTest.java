package io.shardwork.coordination.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardwork.coordination.checkpoint.FencingCounter;
import io.shardwork.coordination.checkpoint.ZooKeeperCheckpointStore;
import io.shardwork.coordination.claim.ClaimResult;
import io.shardwork.coordination.claim.RegionClaims;
import io.shardwork.coordination.testing.CheckpointingLifecycle;
import io.shardwork.coordination.testing.FairTestStrategy;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.leader.TimeSource;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * A release writes the final checkpoint with the claim's deletion. When the region was claimed by another worker
 * meanwhile (our claim gone, as after a session this worker did not see end), that multi is refused, and so is the
 * final checkpoint written alone: the region is fenced, the listener hears of it, and the other worker's claim and
 * checkpoint are left exactly as they were.
 */
class FencedFinalCheckpointTest {
    @Test
    void testAReleaseWhoseRegionWasClaimedMeanwhileWritesNothingAndLeavesTheNewClaimAlone() throws Exception {
        ExecutorService stragglers = Executors.newSingleThreadExecutor();
        try (TestCluster cluster = new TestCluster(1); CuratorFramework rival = cluster.newClient()) {
            ClusterPaths paths = new ClusterPaths(TestCluster.CLUSTER);
            List<String> heard = new CopyOnWriteArrayList<>();
            OwnershipListener listener = new OwnershipListener() {
                @Override
                public void claimed(String region, String workerId, long epoch, Instant at) {
                }

                @Override
                public void released(String region, String workerId, long epoch, Instant at, boolean graceful) {
                }

                @Override
                public void finalCheckpointFenced(String region, String workerId, long epoch) {
                    heard.add(region + " " + workerId + " epoch " + epoch);
                }
            };
            WorkerCoordinator worker = new WorkerCoordinator(cluster.settings("w1"), new FairTestStrategy(),
                    store -> new CheckpointingLifecycle(store, stragglers, new AtomicLong(), new AtomicLong(), new AtomicLong()),
                    listener, TimeSource.system());
            worker.start();
            String region = cluster.regions().get(0).name();
            Timing.await("w1 holding " + region, Timing.CONVERGE, () -> worker.heldRegions().contains(region), worker::heldRegions);

            // another worker's claim replaces ours: our claim deleted, theirs made under the next epoch, a checkpoint of theirs
            rival.delete().forPath(paths.owner(region));
            int generation = rival.checkExists().forPath(paths.assignment()).getVersion();
            ClaimResult taken = new RegionClaims(rival, paths, "w2", TimeSource.system()).claimAll(List.of(region), generation).get(region);
            assertEquals(2, ((ClaimResult.Succeeded) taken).epoch(), "w2 claims under epoch 2: " + taken);
            new ZooKeeperCheckpointStore(rival, paths, "w2", new FencingCounter(), TimeSource.system()).commit(region, 2, 500);
            long rivalSession = rival.getZookeeperClient().getZooKeeper().getSessionId();
            byte[] checkpoint = rival.getData().forPath(paths.regionCheckpoint(region));

            worker.close();

            assertEquals(List.of(region + " w1 epoch 1"), heard, "the final checkpoint of epoch 1 was refused as fenced");
            assertEquals(rivalSession, rival.checkExists().forPath(paths.owner(region)).getEphemeralOwner(), "w2's claim is left alone");
            assertEquals(new String(checkpoint), new String(rival.getData().forPath(paths.regionCheckpoint(region))),
                    "w2's checkpoint is left alone");
        } finally {
            stragglers.shutdownNow();
        }
    }
}
