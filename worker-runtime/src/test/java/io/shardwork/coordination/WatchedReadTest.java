package io.shardwork.coordination;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.embedded.EmbeddedZooKeeper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A watched read of a znode never misses what is written between its NoNode and its exists call. Real ZooKeeper. */
class WatchedReadTest {
    private static final String PATH = "/cluster/assignment";

    @TempDir
    Path dir;

    @Test
    void aNodeCreatedAndWrittenBetweenTheReadAndTheExistsCallIsReadAgain() throws Exception {
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start("127.0.0.1", 0, dir);
             CuratorFramework client = connect(server);
             CuratorFramework leader = connect(server)) {
            WatchedRead.Node real = WatchedRead.of(client, PATH, event -> { });
            WatchedRead.Node racing = new WatchedRead.Node() {
                private boolean raced;

                @Override
                public byte[] getData(Stat stat) throws Exception {
                    return real.getData(stat);
                }

                @Override
                public boolean exists() throws Exception {
                    if (!raced) { // the leader's create and first generation land right here
                        raced = true;
                        leader.create().creatingParentsIfNeeded().forPath(PATH, bytes("generation 0"));
                        leader.setData().forPath(PATH, bytes("generation 1"));
                    }
                    return real.exists();
                }
            };

            Optional<WatchedRead.Found> found = WatchedRead.read(racing);

            assertTrue(found.isPresent(), "the node written in the window is read, not left to a watch that never fires");
            assertArrayEquals(bytes("generation 1"), found.get().data());
            assertEquals(1, found.get().version());
        }
    }

    @Test
    void aMissingNodeReadsEmptyAndItsCreationFiresTheWatcher() throws Exception {
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start("127.0.0.1", 0, dir);
             CuratorFramework client = connect(server)) {
            CountDownLatch created = new CountDownLatch(1);
            Watcher watcher = event -> {
                if (event.getType() == Watcher.Event.EventType.NodeCreated) {
                    created.countDown();
                }
            };

            assertEquals(Optional.empty(), WatchedRead.read(WatchedRead.of(client, PATH, watcher)));
            client.create().creatingParentsIfNeeded().forPath(PATH, bytes("generation 0"));

            assertTrue(created.await(10, TimeUnit.SECONDS), "the creation fired the watcher");
        }
    }

    @Test
    void anExistingNodeIsReadWithItsVersionAndItsNextChangeFiresTheWatcher() throws Exception {
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start("127.0.0.1", 0, dir);
             CuratorFramework client = connect(server)) {
            client.create().creatingParentsIfNeeded().forPath(PATH, bytes("generation 0"));
            CountDownLatch changed = new CountDownLatch(1);
            Watcher watcher = event -> {
                if (event.getType() == Watcher.Event.EventType.NodeDataChanged) {
                    changed.countDown();
                }
            };

            Optional<WatchedRead.Found> found = WatchedRead.read(WatchedRead.of(client, PATH, watcher));
            assertArrayEquals(bytes("generation 0"), found.orElseThrow().data());
            assertEquals(0, found.get().version());
            client.setData().forPath(PATH, bytes("generation 1"));

            assertTrue(changed.await(10, TimeUnit.SECONDS), "the change fired the watcher");
        }
    }

    private static CuratorFramework connect(EmbeddedZooKeeper server) throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.newClient(server.connectString(), 5_000, 5_000, new RetryOneTime(10));
        client.start();
        assertTrue(client.blockUntilConnected(10, TimeUnit.SECONDS), "connected");
        return client;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
