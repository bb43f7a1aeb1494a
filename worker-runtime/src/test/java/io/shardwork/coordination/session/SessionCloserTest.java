package io.shardwork.coordination.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.assigner.Region;
import io.shardwork.coordination.CoordinationSettings;
import io.shardwork.coordination.DigestCredentials;
import io.shardwork.coordination.testing.FairTestStrategy;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.coordination.worker.WorkerCoordinator;
import io.shardwork.embedded.EmbeddedZooKeeper;
import io.shardwork.layout.ClusterPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's session closed from outside with the id and password its session listener was told: its member
 * node and claims vanish at once, far inside a long session timeout. Here the holder is alive (a test only
 * does that: attaching steals a live session), so it also shows the worker hearing of its next session.
 */
class SessionCloserTest {
    private static final int LONG_SESSION_MS = 20_000;
    private static final DigestCredentials IDENTITY = DigestCredentials.parse("shard:closer-test");

    @TempDir
    Path dir;

    @Test
    void testClosingAWorkersSessionDeletesItsNodesAtOnceAndTheWorkerHearsOfItsNextSession() throws Exception {
        try (EmbeddedZooKeeper zookeeper = EmbeddedZooKeeper.start("127.0.0.1", 0, dir.resolve("zk"))) {
            CoordinationSettings settings = new CoordinationSettings("closer", "w1", "z1", 1, zookeeper.connectString(),
                    LONG_SESSION_MS, Timing.CONNECTION_TIMEOUT_MS, Timing.REBALANCE_DELAY_MS, 8, List.of(new Region("r0", 1)),
                    Optional.of(IDENTITY), Map.of());
            TestCluster.applyDefinition(zookeeper.connectString(), "closer", settings.regions(), Optional.of("shard:closer-test"));
            List<SessionCredentials> told = new CopyOnWriteArrayList<>();
            ClusterPaths paths = new ClusterPaths("closer");
            CuratorFramework observer = CuratorFrameworkFactory.newClient(zookeeper.connectString(), new RetryOneTime(100));
            observer.start();
            try (WorkerCoordinator worker = new WorkerCoordinator(settings, new FairTestStrategy())) {
                worker.onSessionChange(told::add);
                worker.start();
                assertEquals(1, told.size(), "told of its first session during start: " + told);
                SessionCredentials first = told.get(0);
                assertEquals(worker.client().getZookeeperClient().getZooKeeper().getSessionId(), first.sessionId());
                assertEquals(ProcessHandle.current().pid(), first.pid());
                Timing.await("w1 holding r0", Timing.CONVERGE, () -> worker.heldRegions().contains("r0"), worker::heldRegions);

                long start = System.nanoTime();
                SessionCloser.Outcome outcome = new SessionCloser(zookeeper.connectString(), LONG_SESSION_MS,
                        Duration.ofMillis(Timing.CONNECTION_TIMEOUT_MS), Optional.of(IDENTITY), Map.of()).close(first);
                Timing.await("w1's claim of r0 gone", Duration.ofMillis(LONG_SESSION_MS / 2), () -> ephemeralOwner(observer, paths.owner("r0")) != first.sessionId());
                long goneMs = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("session %s closed from outside: claim gone after %d ms (session timeout %d ms)%n", first.hexId(), goneMs, LONG_SESSION_MS);
                assertEquals(SessionCloser.Outcome.CLOSED, outcome);

                Timing.await("w1 told of a new session", Timing.CONVERGE, () -> told.size() == 2, () -> told);
                assertNotEquals(first.sessionId(), told.get(1).sessionId());
                Timing.await("w1 registered and holding r0 again under its new session", Timing.CONVERGE,
                        () -> ephemeralOwner(observer, paths.member("w1")) == told.get(1).sessionId() && worker.heldRegions().contains("r0"),
                        worker::heldRegions);

                assertEquals(SessionCloser.Outcome.ALREADY_GONE, new SessionCloser(zookeeper.connectString(), LONG_SESSION_MS,
                        Duration.ofMillis(Timing.CONNECTION_TIMEOUT_MS), Optional.empty(), Map.of()).close(first), "a closed session stays closed");
            } finally {
                observer.close();
            }
        }
    }

    @Test
    void testTheWarmUpProbeTouchesNoSessionAndReportsAnUnreachableServer() throws Exception {
        try (EmbeddedZooKeeper zookeeper = EmbeddedZooKeeper.start("127.0.0.1", 0, dir.resolve("zk"))) {
            CuratorFramework holder = CuratorFrameworkFactory.newClient(zookeeper.connectString(), LONG_SESSION_MS,
                    Timing.CONNECTION_TIMEOUT_MS, new RetryOneTime(100));
            holder.start();
            try {
                holder.blockUntilConnected();
                holder.create().withMode(org.apache.zookeeper.CreateMode.EPHEMERAL).forPath("/held");
                long session = holder.getZookeeperClient().getZooKeeper().getSessionId();
                SessionCloser closer = new SessionCloser(zookeeper.connectString(), LONG_SESSION_MS,
                        Duration.ofMillis(Timing.CONNECTION_TIMEOUT_MS), Optional.empty(), Map.of());
                for (int probe = 0; probe < 3; probe++) {
                    assertEquals(SessionCloser.Outcome.ALREADY_GONE, closer.warmUp(), "a made-up session is unknown to ZooKeeper");
                }
                assertEquals(session, ephemeralOwner(holder, "/held"), "the live session and its node are untouched");
                assertEquals(session, holder.getZookeeperClient().getZooKeeper().getSessionId());
            } finally {
                holder.close();
            }
            int port = zookeeper.port();
            zookeeper.stop();
            assertEquals(SessionCloser.Outcome.UNREACHABLE, new SessionCloser("127.0.0.1:" + port, LONG_SESSION_MS,
                    Duration.ofMillis(500), Optional.empty(), Map.of()).warmUp());
        }
    }

    private static long ephemeralOwner(CuratorFramework client, String path) {
        try {
            org.apache.zookeeper.data.Stat stat = client.checkExists().forPath(path);
            return stat == null ? 0 : stat.getEphemeralOwner();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
