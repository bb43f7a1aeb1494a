package io.shardwork.coordination.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardwork.coordination.testing.CuttableProxy;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.MemberInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * A registration whose create landed while its answer was lost, then the session with it (RandomScheduleTest, seed
 * 5225273822038: a worker expired three times in a row got its node created by a session it never recorded, and at
 * its next registration refused itself as a duplicate and stopped coordinating). The session is ours from the
 * attempt on: its node is replaced like any stale node of ours.
 */
class MemberRegistrationTest {
    @Test
    void aNodeCreatedByAnAttemptWhoseAnswerWasLostIsOursAtTheNextRegistration() throws Exception {
        try (TestingServer server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, Timing.TICK_MS, -1), true);
             CuttableProxy proxy = new CuttableProxy(server.getPort());
             CuratorFramework client = CuratorFrameworkFactory.newClient(proxy.connectString(), Timing.LONG_SESSION_TIMEOUT_MS,
                     Timing.CONNECTION_TIMEOUT_MS, new RetryOneTime(100));
             CuratorFramework observer = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100))) {
            client.start();
            observer.start();
            client.blockUntilConnected(Timing.CONNECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            observer.blockUntilConnected(Timing.CONNECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            ClusterPaths paths = new ClusterPaths("registration");
            String member = paths.member("w1");
            observer.create().creatingParentsIfNeeded().forPath(paths.members()); // the muted create needs no parent
            MemberRegistration registration = new MemberRegistration(client, paths, "w1",
                    new MemberInfo("host", 1, "z1", 1, Instant.EPOCH, "test", 0));
            long first = sessionOf(client);

            proxy.muteReplies(true);
            CompletableFuture<Void> attempt = CompletableFuture.runAsync(() -> {
                try {
                    registration.register();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Timing.await("the first attempt's node at ZooKeeper", Duration.ofSeconds(5), () -> ownerOf(observer, member) == first,
                    () -> ownerOf(observer, member));
            proxy.blip(250); // nothing more of the first session reaches ZooKeeper: it keeps the node until it expires
            proxy.muteReplies(false);
            client.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
            try {
                attempt.get(Timing.CONVERGE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException lostOrRetried) {
                // the attempt's outcome is whatever its retry met; the next registration must settle it
            }
            Timing.await("a new session", Duration.ofSeconds(10),
                    () -> client.getZookeeperClient().isConnected() && sessionOf(client) != first, () -> sessionOf(client));

            registration.register();
            assertEquals(sessionOf(client), ownerOf(observer, member), "the member node is the new session's");
        }
    }

    private static long sessionOf(CuratorFramework client) {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return -1;
        }
    }

    private static long ownerOf(CuratorFramework observer, String path) {
        try {
            Stat stat = observer.checkExists().forPath(path);
            return stat == null ? 0 : stat.getEphemeralOwner();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
