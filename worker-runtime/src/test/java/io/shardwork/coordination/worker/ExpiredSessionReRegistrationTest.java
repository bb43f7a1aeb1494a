package io.shardwork.coordination.worker;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * A worker whose session expired as its client saw it, while it could not reach ZooKeeper (a partition or a long
 * pause: ZooKeeper keeps the old session, and its ephemeral nodes, until the session timeout), comes back in a new
 * session, replaces its stale member node at once and claims its regions again. Before, it waited for ZooKeeper to
 * delete that node: a session timeout after it had come back and claimed its regions again, the leader saw it leave
 * and moved them all away and back (RandomScheduleTest, seed 8575451634600, read one of those moves in flight). And
 * the claims it abandoned while cut off, whose deletion failed, blocked its own new claims until that expiry.
 */
class ExpiredSessionReRegistrationTest {
    @Test
    void testAWorkerBackInANewSessionIsAMemberAndHoldsItsRegionsWhileZooKeeperStillHoldsItsOldSession() throws Exception {
        try (TestCluster cluster = new TestCluster(4)) {
            cluster.startWorker("w1");
            WorkerCoordinator returning = cluster.startWorker("w2", Timing.LONG_SESSION_TIMEOUT_MS);
            cluster.awaitBalanced();
            CuratorFramework client = returning.client();
            long oldSession = client.getZookeeperClient().getZooKeeper().getSessionId();
            // a node of the old session alone (Curator's recipes may delete their own): gone when ZooKeeper expires it
            String probe = cluster.paths().root() + "/old-session-probe";
            client.create().withMode(CreateMode.EPHEMERAL).forPath(probe);

            cluster.expireSessionKeptByServer(returning);
            Timing.await("w2 holding its regions again, its member node owned by its new session", Timing.CONVERGE,
                    () -> cluster.converged(cluster.workers().keySet()) && !returning.heldRegions().isEmpty()
                            && memberOwner(cluster, "w2") != 0 && memberOwner(cluster, "w2") != oldSession, cluster::status);

            Stat oldSessionsNode = cluster.observer().checkExists().forPath(probe);
            assertNotNull(oldSessionsNode, "w2 came back only once ZooKeeper had expired its old session");
            assertTrue(oldSessionsNode.getEphemeralOwner() == oldSession, "the probe is the old session's");
            Timing.await("ZooKeeper expiring w2's old session", Timing.CONVERGE, () -> exists(cluster, probe) == null,
                    cluster::status);
            cluster.awaitBalanced();
        }
    }

    private static long memberOwner(TestCluster cluster, String workerId) {
        Stat member = exists(cluster, cluster.paths().member(workerId));
        return member == null ? 0 : member.getEphemeralOwner();
    }

    private static Stat exists(TestCluster cluster, String path) {
        try {
            return cluster.observer().checkExists().forPath(path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
