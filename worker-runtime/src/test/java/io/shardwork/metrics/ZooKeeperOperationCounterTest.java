package io.shardwork.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shardwork.embedded.EmbeddedZooKeeper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooKeeperOperationCounterTest {
    @TempDir
    Path dir;

    @Test
    void traceNamesMapToOperations() {
        assertEquals("create", ZooKeeperOperationCounter.operationOf("CreateBuilderImpl-Foreground"));
        assertEquals("multi", ZooKeeperOperationCounter.operationOf("CuratorMultiTransactionImpl-Background"));
        assertEquals("exists", ZooKeeperOperationCounter.operationOf("ExistsBuilderImpl-Foreground-CreateParents"));
        assertEquals("get_children", ZooKeeperOperationCounter.operationOf("CreateBuilderImpl-findProtectedNodeInForeground"));
        assertNull(ZooKeeperOperationCounter.operationOf("blockUntilConnectedOrTimedOut"));
        assertNull(ZooKeeperOperationCounter.operationOf("EventListener"));
    }

    @Test
    void countsEveryCompletedOperationOfARealClientByKind() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ZooKeeperOperationCounter counter = new ZooKeeperOperationCounter(registry);
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start("127.0.0.1", 0, dir);
             CuratorFramework client = CuratorFrameworkFactory.newClient(server.connectString(), 5_000, 5_000, new RetryOneTime(10))) {
            counter.install(client.getZookeeperClient());
            client.start();
            assertTrue(client.blockUntilConnected(10, TimeUnit.SECONDS), "connected");
            double before = count(registry, "create") + count(registry, "get_data") + count(registry, "set_data")
                    + count(registry, "multi") + count(registry, "get_children") + count(registry, "delete");
            assertEquals(0, before, "no operation of these kinds before the test makes one");

            client.create().forPath("/a", "1".getBytes(StandardCharsets.UTF_8));
            client.getData().forPath("/a");
            client.setData().forPath("/a", "2".getBytes(StandardCharsets.UTF_8));
            client.transaction().forOperations(
                    client.transactionOp().check().withVersion(1).forPath("/a"),
                    client.transactionOp().setData().forPath("/a", "3".getBytes(StandardCharsets.UTF_8)));
            CountDownLatch listed = new CountDownLatch(1);
            client.getChildren().inBackground((c, event) -> listed.countDown()).forPath("/");
            assertTrue(listed.await(10, TimeUnit.SECONDS), "background getChildren answered");
            // Curator traces a foreground call only when it returns: a NoNode read is not counted.
            assertThrows(KeeperException.NoNodeException.class, () -> client.getData().forPath("/absent"));
            client.delete().forPath("/a");

            assertEquals(1, count(registry, "create"));
            assertEquals(1, count(registry, "get_data"));
            assertEquals(1, count(registry, "set_data"));
            assertEquals(1, count(registry, "multi"));
            assertEquals(1, count(registry, "get_children"));
            assertEquals(1, count(registry, "delete"));
            double all = registry.find("shardwork.zookeeper.operations").counters().stream().mapToDouble(Counter::count).sum();
            assertEquals(all, counter.total(), 0.0);
        }
    }

    private static double count(SimpleMeterRegistry registry, String operation) {
        return registry.get("shardwork.zookeeper.operations").tag("operation", operation).counter().count();
    }
}
