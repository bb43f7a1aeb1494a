package io.shardwork.coordination.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.checkpoint.FencedException;
import io.shardwork.coordination.checkpoint.FencingCounter;
import io.shardwork.coordination.checkpoint.ZooKeeperCheckpointStore;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.layout.Checkpoint;
import io.shardwork.leader.TimeSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

class OwnerSessionExpiryTest {
    @Test
    void testExpiredOwnersRegionsMoveWithHigherEpochsAndItsLateCheckpointIsFenced() throws Exception {
        try (TestCluster cluster = new TestCluster(8)) {
            cluster.startWorker("w1");
            cluster.startWorker("w2");
            cluster.startWorker("w3");
            cluster.awaitBalanced();
            WorkerCoordinator victim = cluster.workers().values().stream().filter(w -> !w.isLeader())
                    .filter(w -> !w.heldRegions().isEmpty()).findFirst().orElseThrow();
            Set<String> victimRegions = victim.heldRegions();
            Map<String, Long> oldEpochs = new HashMap<>();
            for (String region : victimRegions) {
                oldEpochs.put(region, victim.ownership(region).epoch());
            }
            String region = victimRegions.iterator().next();
            long oldEpoch = oldEpochs.get(region);
            victim.checkpointStore().commit(region, oldEpoch, 42);
            assertEquals(42, victim.checkpointStore().read(region).orElseThrow().offset(), "the owner's own checkpoint lands");

            cluster.kill(victim);
            cluster.awaitConverged();

            ClusterStatus status = cluster.status();
            for (ClusterStatus.RegionStatus moved : status.regions()) {
                if (victimRegions.contains(moved.name())) {
                    assertTrue(!victim.workerId().equals(moved.claimedBy()), moved.name() + " moved away from " + victim.workerId());
                    assertTrue(moved.epoch() > oldEpochs.get(moved.name()),
                            moved.name() + " epoch " + moved.epoch() + " is above " + oldEpochs.get(moved.name()));
                }
            }

            CuratorFramework zombieClient = cluster.newClient();
            try {
                FencingCounter fencing = new FencingCounter();
                ZooKeeperCheckpointStore zombie = new ZooKeeperCheckpointStore(zombieClient, cluster.paths(),
                        victim.workerId(), fencing, TimeSource.system());
                Optional<Checkpoint> before = zombie.read(region);
                FencedException fenced = assertThrows(FencedException.class, () -> zombie.commit(region, oldEpoch, 1_000));
                assertEquals(region, fenced.region());
                assertEquals(oldEpoch, fenced.epoch());
                assertEquals(1, fencing.count());
                assertEquals(before, zombie.read(region), "the refused checkpoint changed nothing");
                assertFalse(zombie.read(region).map(c -> c.offset() == 1_000).orElse(false));
            } finally {
                zombieClient.close();
            }
            cluster.recorder().checkExclusiveAndIncreasing();
        }
    }

    @Test
    void testCheckpointWithoutLiveClaimIsFencedEvenAtTheCurrentEpoch() throws Exception {
        try (TestCluster cluster = new TestCluster(1)) {
            WorkerCoordinator only = cluster.startWorker("w1");
            cluster.awaitConverged();
            long epoch = only.ownership("r0").epoch();
            only.close();
            cluster.forget("w1");
            Timing.await("the claim of r0 deleted", Timing.CONVERGE,
                    () -> cluster.status().regions().get(0).claimedBy() == null, cluster::status);
            assertEquals(epoch, cluster.status().regions().get(0).epoch(), "nobody claimed since");
            CuratorFramework straggler = cluster.newClient();
            try {
                FencingCounter fencing = new FencingCounter();
                ZooKeeperCheckpointStore store = new ZooKeeperCheckpointStore(straggler, cluster.paths(), "w1", fencing,
                        TimeSource.system());
                assertThrows(FencedException.class, () -> store.commit("r0", epoch, 7));
                assertEquals(1, fencing.count());
            } finally {
                straggler.close();
            }
            cluster.recorder().checkExclusiveAndIncreasing();
        }
    }
}
