package io.shardwork.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shardwork.config.ConfigException;
import io.shardwork.config.ConfigProblem;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.coordination.worker.OwnershipListener;
import io.shardwork.embedded.EmbeddedCluster;
import io.shardwork.layout.AssignmentDocument;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.runner.TestSetup;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node's start: Kafka's side (the topic check, the clients' warm-up) runs beside ZooKeeper's (session, layout,
 * definition), and both finish before the worker registers. A bad topic still stops the start with the topic's
 * key, unregistered; a new cluster's layout, made in one batch, includes the leader epoch node, empty (no epoch),
 * and the first leader's term is epoch 1. Real ZooKeeper, real Kafka.
 */
class WorkerNodeStartTest {
    private static EmbeddedCluster cluster;
    private static CuratorFramework observer;

    @BeforeAll
    static void startServers() throws Exception {
        cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.onFreePorts(Files.createTempDirectory("worker-node-start-test")));
        observer = CuratorFrameworkFactory.newClient(cluster.zookeeperConnect(), new RetryOneTime(100));
        observer.start();
    }

    @AfterAll
    static void stopServers() {
        observer.close();
        cluster.close();
    }

    /** A deployment of three regions r0..r2, worker w1, on the test's own servers, its topics made. */
    private static TestSetup setup() {
        return TestSetup.create(cluster.kafka(), "at-least-once", 3,
                Map.of("zookeeper.connect", cluster.zookeeperConnect(), "worker.id", "w1"));
    }

    @Test
    void aTopicWithTooFewPartitionsStopsTheStartBeforeTheWorkerRegisters() throws Exception {
        ShardworkConfig setUp = setup().config;
        String narrow = setUp.ordersTopic() + ".narrow";
        cluster.kafka().createTopics(Map.of(narrow, 2));
        ShardworkConfig config = setUp.with("topic.orders", narrow);
        // written and merged without the checks of apply and resolve (which refuse the same topic), as a topic
        // changed after the worker resolved its configuration
        ClusterDefinitions.applyOrThrow(config, new ClusterDefinitions.ApplyOptions(false, false, false, false));
        WorkerNode node = new WorkerNode(ClusterDefinitions.withDefinition(config), OwnershipListener.NONE);
        try {
            ConfigException refused = assertThrows(ConfigException.class, node::start);
            assertEquals(List.of("topic.orders"), refused.problems().stream().map(ConfigProblem::key).toList(),
                    refused.getMessage());
            ClusterPaths paths = new ClusterPaths(config.clusterName());
            // the ZooKeeper side ran meanwhile (the layout is there), and stopped short of the member node
            assertNotNull(observer.checkExists().forPath(paths.members()));
            assertEquals(List.of(), observer.getChildren().forPath(paths.members()));
            // with the assignment's first document: a new cluster's first leader finds the whole tree at its first read
            assertEquals(0, LayoutJson.decode(observer.getData().forPath(paths.assignment()), AssignmentDocument.class).generation());
        } finally {
            node.crash();
        }
    }

    @Test
    void aNewClustersLayoutHoldsAnEmptyLeaderEpochAndTheFirstLeaderIsEpochOne() throws Exception {
        ShardworkConfig config = setup().config;
        ClusterPaths paths = new ClusterPaths(config.clusterName());
        WorkerNode node = new WorkerNode(ClusterDefinitions.applyAndResolve(config), OwnershipListener.NONE);
        try {
            node.start();
            for (String path : List.of(paths.members(), paths.owners(), paths.regions(), paths.drained(), paths.leader())) {
                assertNotNull(observer.checkExists().forPath(path), path);
            }
            Timing.await("w1 leads", Timing.CONVERGE, () -> node.coordinator().leaderEpoch() > 0,
                    () -> "epoch " + node.coordinator().leaderEpoch());
            assertEquals(1, node.coordinator().leaderEpoch());
            assertEquals(1, observer.checkExists().forPath(paths.leaderEpoch()).getVersion());
            assertEquals(List.of("w1"), observer.getChildren().forPath(paths.members()));
        } finally {
            node.close();
        }
    }
}
