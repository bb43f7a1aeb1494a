package io.shardwork.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedZooKeeperTest {

    @TempDir
    Path dataDir;

    @Test
    void restartKeepsAPersistentZnodeOnTheSamePort() throws Exception {
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start("127.0.0.1", 0, dataDir)) {
            int port = server.port();
            assertTrue(port > 0);
            assertEquals("127.0.0.1:" + port, server.connectString());
            try (ZooKeeper zk = TestClients.connectedZooKeeper(server.connectString())) {
                zk.create("/regions", TestClients.utf8("eu,us"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }

            server.restart();

            assertEquals(port, server.port());
            try (ZooKeeper zk = TestClients.connectedZooKeeper(server.connectString())) {
                assertArrayEquals(TestClients.utf8("eu,us"), zk.getData("/regions", false, null));
            }
        }
    }

    @Test
    void stopFreesThePortAndStartingAgainKeepsTheData() throws Exception {
        EmbeddedZooKeeper server = EmbeddedZooKeeper.start("127.0.0.1", 0, dataDir);
        try {
            try (ZooKeeper zk = TestClients.connectedZooKeeper(server.connectString())) {
                zk.create("/leader", TestClients.utf8("w1"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            server.stop();
            assertDoesNotThrow(() -> PortProbe.requireFree("test", "127.0.0.1", server.port()));
            server.stop();

            server.restart();
            try (ZooKeeper zk = TestClients.connectedZooKeeper(server.connectString())) {
                assertArrayEquals(TestClients.utf8("w1"), zk.getData("/leader", false, null));
            }
        } finally {
            server.close();
        }
        assertDoesNotThrow(server::close);
        IllegalStateException e = assertThrows(IllegalStateException.class, server::restart);
        assertEquals("Cannot restart the embedded ZooKeeper server on " + server.connectString() + ": it is closed",
                e.getMessage());
    }

    /**
     * A server that stops while clients are connected closes their sockets first, which leaves its
     * port in TIME_WAIT: a probe without SO_REUSEADDR would call that port taken (measured here).
     */
    @Test
    void restartSucceedsWhileAClientIsConnectedAndTheClientSeesTheDataAgain() throws Exception {
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start("127.0.0.1", 0, dataDir);
             ZooKeeper zk = TestClients.connectedZooKeeper(server.connectString())) {
            zk.create("/epoch", TestClients.utf8("1"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            CountDownLatch disconnected = new CountDownLatch(1);
            CountDownLatch reconnected = new CountDownLatch(1);
            zk.register(event -> {
                if (event.getState() == Watcher.Event.KeeperState.Disconnected) {
                    disconnected.countDown();
                } else if (event.getState() == Watcher.Event.KeeperState.SyncConnected
                        && disconnected.getCount() == 0) {
                    reconnected.countDown();
                }
            });

            server.restart();

            Timeouts.await(disconnected, Timeouts.ZK_CONNECT, "the client to see the server go away");
            Timeouts.await(reconnected, Timeouts.ZK_CONNECT, "the client to reconnect within its session");
            assertArrayEquals(TestClients.utf8("1"), zk.getData("/epoch", false, null));
        }
    }

    @Test
    void aTakenPortIsRefusedWithAMessageNamingIt() {
        try (EmbeddedZooKeeper first = EmbeddedZooKeeper.start("127.0.0.1", 0, dataDir.resolve("a"))) {
            PortInUseException e = assertThrows(PortInUseException.class,
                    () -> EmbeddedZooKeeper.start("127.0.0.1", first.port(), dataDir.resolve("b")));
            assertEquals("Cannot start the embedded ZooKeeper server: port " + first.port()
                    + " on 127.0.0.1 is already in use (is another shardwork dev-cluster running?)", e.getMessage());
        }
    }
}
