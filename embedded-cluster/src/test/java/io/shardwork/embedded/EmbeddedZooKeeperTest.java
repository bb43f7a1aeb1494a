package io.shardwork.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.zookeeper.CreateMode;
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
