package io.shardwork.cli.devcluster;

import io.shardwork.cli.CommandFailure;
import io.shardwork.cli.ExitCodes;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.embedded.ClusterStartException;
import io.shardwork.embedded.EmbeddedCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The embedded ZooKeeper and Kafka of a deployment file, on the ports it names, with the topics the
 * runtime needs. Used by {@code dev-cluster} and {@code demo}.
 */
public final class DevCluster implements AutoCloseable {
    private final EmbeddedCluster cluster;

    private DevCluster(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * Starts both servers and creates the topics. Blocks until both serve requests (a few seconds).
     *
     * @param fresh delete the data directory first
     * @throws CommandFailure with {@link ExitCodes#UNAVAILABLE} when a port is taken or a server fails
     */
    public static DevCluster start(ShardworkConfig config, boolean fresh) {
        LoopbackAddress zookeeper = LoopbackAddress.parse(config.source(), "zookeeper.connect", java.util.List.of(config.zookeeperConnect().split(",")));
        LoopbackAddress kafka = LoopbackAddress.parse(config.source(), "kafka.bootstrap.servers", config.kafkaBootstrapServers());
        Path dataDir = Path.of(config.devDataDir(), config.clusterName());
        if (fresh) {
            deleteRecursively(dataDir);
        }
        EmbeddedCluster.Settings settings = new EmbeddedCluster.Settings(zookeeper.host(), zookeeper.port(), kafka.port(),
                config.devKafkaControllerPort(), dataDir, config.devZookeeperTickMs());
        DevCluster started = new DevCluster(startWithTopics(settings, config.topicPartitions()));
        try {
            if (!config.regions().isEmpty()) {
                ClusterDefinitions.applyIfAbsent(config, true);
            }
        } catch (Exception refused) {
            started.close();
            throw new CommandFailure(ExitCodes.FAILURE, "Cannot apply the cluster definition of " + config.source() + ": "
                    + refused.getMessage(), refused);
        }
        return started;
    }

    /**
     * Starts both servers with {@code settings} and creates {@code topics}; the one place that maps a
     * start failure to an exit code (dev-cluster and demo). Blocks until both serve requests.
     *
     * @throws CommandFailure {@link ExitCodes#UNAVAILABLE} when a port is taken or a server fails to start,
     *                        {@link ExitCodes#FAILURE} when the topics cannot be created (the servers are stopped)
     */
    public static EmbeddedCluster startWithTopics(EmbeddedCluster.Settings settings, Map<String, Integer> topics) {
        EmbeddedCluster cluster;
        try {
            cluster = EmbeddedCluster.start(settings);
        } catch (ClusterStartException failed) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, failed.getMessage(), failed);
        }
        try {
            cluster.kafka().createTopics(topics);
        } catch (RuntimeException failed) {
            cluster.close();
            throw new CommandFailure(ExitCodes.FAILURE, "Cannot create the topics " + topics.keySet() + ": " + failed.getMessage(), failed);
        }
        return cluster;
    }

    public String zookeeperConnect() {
        return cluster.zookeeperConnect();
    }

    public String kafkaBootstrap() {
        return cluster.kafkaBootstrap();
    }

    public EmbeddedCluster embedded() {
        return cluster;
    }

    /** Stops Kafka, then ZooKeeper; frees both ports. Idempotent. */
    @Override
    public void close() {
        cluster.close();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException failed) {
            throw new CommandFailure(ExitCodes.FAILURE, "Cannot delete the dev cluster data in " + dir + ": " + failed.getMessage(), failed);
        }
    }
}
