package io.shardwork.coordination.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.layout.AssignmentDocument;
import io.shardwork.layout.LayoutJson;
import io.shardwork.leader.AssignmentWriter;
import io.shardwork.leader.LeaderDeposedException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

class LeaderFailoverTest {
    @Test
    void testNewLeaderActsWithinSessionTimeoutAndDeposedLeaderWriteIsRejected() throws Exception {
        try (TestCluster cluster = new TestCluster(8)) {
            cluster.startWorker("w1");
            cluster.startWorker("w2");
            cluster.startWorker("w3");
            cluster.awaitBalanced();
            WorkerCoordinator oldLeader = cluster.leader();
            assertNotNull(oldLeader, "one worker acts as leader");
            long oldEpoch = oldLeader.leaderEpoch();

            long killedAt = System.nanoTime();
            cluster.kill(oldLeader);

            AtomicReference<AssignmentDocument> written = new AtomicReference<>();
            Timing.await("a new leader writing an assignment without " + oldLeader.workerId(), Timing.TAKEOVER, () -> {
                AssignmentDocument doc = assignment(cluster.observer());
                if (doc.leaderEpoch() > oldEpoch && !doc.owners().containsValue(oldLeader.workerId())
                        && doc.owners().size() == 8) {
                    written.set(doc);
                    return true;
                }
                return false;
            }, () -> assignment(cluster.observer()));
            long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("takeover after leader kill: %d ms (new leader epoch %d, generation %d)%n", takeoverMs,
                    written.get().leaderEpoch(), written.get().generation());
            Timing.await("a worker acting as leader", Timing.TAKEOVER, () -> cluster.leader() != null);
            WorkerCoordinator newLeader = cluster.leader();
            assertNotNull(newLeader, "a new leader acts");
            assertTrue(newLeader.leaderEpoch() > oldEpoch, "the new leader's epoch is above the old one");

            cluster.awaitConverged();

            Stat stat = new Stat();
            cluster.observer().getData().storingStatIn(stat).forPath(cluster.paths().assignment());
            AssignmentDocument stale = assignment(cluster.observer()).next(oldEpoch, Instant.now(),
                    new java.util.TreeMap<>(java.util.Map.of("r0", oldLeader.workerId())), java.util.List.of(), java.util.List.of());
            LeaderDeposedException deposed = assertThrows(LeaderDeposedException.class,
                    () -> new AssignmentWriter(cluster.observer(), cluster.paths()).write(stale, oldEpoch, stat.getVersion()));
            assertEquals(oldEpoch, deposed.staleEpoch());
            assertEquals(stat.getVersion(), cluster.observer().checkExists().forPath(cluster.paths().assignment()).getVersion(),
                    "the deposed leader's write changed nothing");
            cluster.recorder().checkExclusiveAndIncreasing();
        }
    }

    @Test
    void testCrashedLeaderIsReplacedWithinSessionTimeout() throws Exception {
        try (TestCluster cluster = new TestCluster(8)) {
            cluster.startWorker("w1");
            cluster.startWorker("w2");
            cluster.startWorker("w3");
            cluster.awaitBalanced();
            WorkerCoordinator oldLeader = cluster.leader();
            assertNotNull(oldLeader, "one worker acts as leader");
            long oldEpoch = oldLeader.leaderEpoch();

            long crashedAt = System.nanoTime();
            cluster.crash(oldLeader);
            Timing.await("a new leader writing an assignment without " + oldLeader.workerId(), Timing.TAKEOVER, () -> {
                AssignmentDocument doc = assignment(cluster.observer());
                return doc.leaderEpoch() > oldEpoch && !doc.owners().containsValue(oldLeader.workerId())
                        && doc.owners().size() == 8;
            }, () -> assignment(cluster.observer()));
            long reassignedMs = (System.nanoTime() - crashedAt) / 1_000_000;
            cluster.awaitConverged();
            long claimedMs = (System.nanoTime() - crashedAt) / 1_000_000;
            System.out.printf("leader crash (cut off from ZooKeeper, session timeout %d ms): regions reassigned after %d ms,"
                    + " all claimed by their new owners after %d ms%n", Timing.SESSION_TIMEOUT_MS, reassignedMs, claimedMs);
            cluster.recorder().checkExclusiveAndIncreasing();
        }
    }

    private static AssignmentDocument assignment(CuratorFramework client) {
        try {
            return LayoutJson.decode(client.getData().forPath(new io.shardwork.layout.ClusterPaths(TestCluster.CLUSTER).assignment()),
                    AssignmentDocument.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
