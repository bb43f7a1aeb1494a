package io.shardwork.embedded;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A ZooKeeper server and a single-node Kafka broker in this JVM: the shardwork dev cluster and the
 * servers of the integration tests. ZooKeeper's data lives in {@code dataDir/zookeeper}, Kafka's in
 * {@code dataDir/kafka}.
 *
 * <p>{@link #start} starts ZooKeeper, then Kafka; {@link #close()} stops Kafka, then ZooKeeper. The
 * two servers can also be stopped and restarted one at a time through {@link #zookeeper()} and
 * {@link #kafka()}, for fault tests. Thread-safe: {@link #close()} is synchronized, the accessors do
 * not block.
 */
public final class EmbeddedCluster implements Closeable {

    /**
     * Where and how to start the cluster.
     *
     * @param host                the address every server listens on, e.g. {@code 127.0.0.1}
     * @param zookeeperPort       ZooKeeper's client port, 0 for a free one
     * @param kafkaPort           Kafka's client port, 0 for a free one
     * @param kafkaControllerPort Kafka's KRaft controller port, 0 for a free one
     * @param dataDir             parent of both servers' data; reused when it holds data
     * @param zookeeperTickMs     ZooKeeper's tick (see {@link EmbeddedZooKeeper#DEFAULT_TICK_MS})
     */
    public record Settings(String host, int zookeeperPort, int kafkaPort, int kafkaControllerPort,
                           Path dataDir, int zookeeperTickMs) {

        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(dataDir, "dataDir");
        }

        /** Free ports on {@code 127.0.0.1}, the default ZooKeeper tick, data under {@code dataDir}. */
        public static Settings onFreePorts(Path dataDir) {
            return new Settings("127.0.0.1", 0, 0, 0, dataDir, EmbeddedZooKeeper.DEFAULT_TICK_MS);
        }
    }

    private final EmbeddedZooKeeper zookeeper;
    private final EmbeddedKafka kafka;
    private boolean closed;

    private EmbeddedCluster(EmbeddedZooKeeper zookeeper, EmbeddedKafka kafka) {
        this.zookeeper = zookeeper;
        this.kafka = kafka;
    }

    /**
     * Starts ZooKeeper, then Kafka, and returns once both serve requests (about 2 to 3 s on an idle
     * machine; at most {@link EmbeddedKafka#READY_TIMEOUT} for Kafka). If Kafka fails to start,
     * ZooKeeper is stopped before the exception propagates: nothing is left running.
     *
     * @throws PortInUseException   when a port is taken (its message names the server and the port)
     * @throws ClusterStartException when a server fails to start for another reason
     */
    public static EmbeddedCluster start(Settings settings) {
        EmbeddedZooKeeper zookeeper = EmbeddedZooKeeper.start(settings.host(), settings.zookeeperPort(),
                settings.dataDir().resolve("zookeeper"), settings.zookeeperTickMs());
        try {
            EmbeddedKafka kafka = EmbeddedKafka.start(settings.host(), settings.kafkaPort(),
                    settings.kafkaControllerPort(), settings.dataDir().resolve("kafka"));
            return new EmbeddedCluster(zookeeper, kafka);
        } catch (RuntimeException e) {
            zookeeper.close();
            throw e;
        }
    }

    /** The ZooKeeper server, to stop or restart it alone in fault tests. Does not block. */
    public EmbeddedZooKeeper zookeeper() {
        return zookeeper;
    }

    /** The Kafka broker, to create topics, or to stop or restart it alone in fault tests. Does not block. */
    public EmbeddedKafka kafka() {
        return kafka;
    }

    /** ZooKeeper's connect string, {@code "HOST:PORT"}. Does not block. */
    public String zookeeperConnect() {
        return zookeeper.connectString();
    }

    /** Kafka's {@code bootstrap.servers}, {@code "HOST:PORT"}. Does not block. */
    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    /**
     * Stops Kafka, then ZooKeeper, and frees their ports. Idempotent. Blocks for Kafka's controlled
     * shutdown (usually 1 to 2 s) and ZooKeeper's (well under a second). ZooKeeper is closed even if
     * closing Kafka throws.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            kafka.close();
        } finally {
            zookeeper.close();
        }
    }
}
