package io.shardwork.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedClusterTest {

    @TempDir
    Path dataDir;

    @Test
    void startedClusterRoundTripsARecordAndAZnodeAndCloseFreesBothPorts() throws Exception {
        long startNanos = System.nanoTime();
        EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.onFreePorts(dataDir));
        long startMs = (System.nanoTime() - startNanos) / 1_000_000;
        Footprint.report("cluster started in " + startMs + " ms (warm when other tests of this JVM started servers before)");
        try {
            roundTrip(cluster, "orders.eu");
        } finally {
            cluster.close();
        }

        assertFalse(cluster.zookeeper().isRunning());
        assertFalse(cluster.kafka().isRunning());
        for (int port : new int[] {cluster.zookeeper().port(), cluster.kafka().brokerPort(),
                cluster.kafka().controllerPort()}) {
            assertDoesNotThrow(() -> PortProbe.requireFree("test", "127.0.0.1", port));
            Footprint.report("port " + port + " bindable without SO_REUSEADDR right after close: "
                    + bindableWithoutReuseAddress(port));
        }
        assertDoesNotThrow(cluster::close, "a second close() is a no-op");
    }

    @Test
    void secondClusterOnTheSamePortsFailsNamingThePortAndLeavesTheFirstWorking(@TempDir Path otherDir)
            throws Exception {
        try (EmbeddedCluster first = EmbeddedCluster.start(EmbeddedCluster.Settings.onFreePorts(dataDir))) {
            var clash = new EmbeddedCluster.Settings("127.0.0.1", first.zookeeper().port(),
                    first.kafka().brokerPort(), first.kafka().controllerPort(), otherDir, 200);

            PortInUseException e = assertThrows(PortInUseException.class, () -> EmbeddedCluster.start(clash));

            assertEquals("Cannot start the embedded ZooKeeper server: port " + first.zookeeper().port()
                    + " on 127.0.0.1 is already in use (is another shardwork dev-cluster running?)", e.getMessage());
            assertEquals(first.zookeeper().port(), e.port());
            roundTrip(first, "orders.us");
        }
    }

    @Test
    void whenKafkaCannotStartZooKeeperIsStoppedBeforeTheExceptionPropagates() throws Exception {
        int zookeeperPort = FreePorts.pick();
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            var settings = new EmbeddedCluster.Settings("127.0.0.1", zookeeperPort, squatter.getLocalPort(), 0,
                    dataDir, 200);

            PortInUseException e = assertThrows(PortInUseException.class, () -> EmbeddedCluster.start(settings));

            assertEquals("Cannot start the embedded Kafka broker: port " + squatter.getLocalPort()
                    + " on 127.0.0.1 is already in use (is another shardwork dev-cluster running?)", e.getMessage());
            assertDoesNotThrow(() -> PortProbe.requireFree("test", "127.0.0.1", zookeeperPort),
                    "ZooKeeper's port must be free again");
        }
    }

    private static void roundTrip(EmbeddedCluster cluster, String topic) throws Exception {
        cluster.kafka().createTopics(Map.of(topic, 3));
        var written = TestClients.produce(cluster.kafkaBootstrap(), topic, 2, "order-1", "paid");
        var read = TestClients.readAt(cluster.kafkaBootstrap(), topic, 2, written.offset());
        assertEquals("order-1", read.key());
        assertEquals("paid", read.value());

        try (ZooKeeper zk = TestClients.connectedZooKeeper(cluster.zookeeperConnect())) {
            String path = "/" + topic;
            zk.create(path, TestClients.utf8("worker-7"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertArrayEquals(TestClients.utf8("worker-7"), zk.getData(path, false, null));
        }
    }

    private static boolean bindableWithoutReuseAddress(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void settingsOnFreePortsAskForFreePortsOnLoopback(@TempDir Path dir) {
        var settings = EmbeddedCluster.Settings.onFreePorts(dir);
        assertEquals(new EmbeddedCluster.Settings("127.0.0.1", 0, 0, 0, dir, 200), settings);
        assertTrue(Files.isDirectory(dir));
    }
}
