package io.shardwork.embedded;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, broker and controller in one node) in this JVM, on loopback.
 *
 * <p>The first start formats {@code dataDir} with Kafka's storage {@link Formatter} (the latest
 * production metadata version, all production features); later starts on the same directory reuse
 * it. Every internal topic has one replica, groups join without delay and may use sessions down to
 * 1 s. Topics are not created automatically: use {@link #createTopics(Map)}.
 *
 * <p>Lifecycle: {@link #start} returns a broker that serves requests; {@link #stop()} and
 * {@link #restart()} may be repeated (same ports, same data); {@link #close()} ends it for good.
 * Lifecycle methods are synchronized: safe from any thread, one at a time. {@link #createTopics}
 * uses its own admin client and may run concurrently with other calls except a stop.
 */
public final class EmbeddedKafka extends RestartableServer {

    /** The longest {@link #start} and {@link #restart()} wait for the broker to serve requests. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** The longest one admin request of {@link #createTopics(Map)} may take. */
    public static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    /** Pause between describes while waiting for the broker to apply new topics. */
    private static final long METADATA_POLL_MS = 20;
    private static final String BROKER_NAME = "embedded Kafka broker";
    private static final String CONTROLLER_NAME = "embedded Kafka controller";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final String host;
    private final int brokerPort;
    private final int controllerPort;
    private final Path dataDir;
    private KafkaRaftServer server;

    private EmbeddedKafka(String host, int brokerPort, int controllerPort, Path dataDir) {
        this.host = Objects.requireNonNull(host, "host");
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        requirePort("broker", brokerPort);
        requirePort("controller", controllerPort);
        if (brokerPort != 0 && brokerPort == controllerPort) {
            throw new IllegalArgumentException("The Kafka broker and controller ports must differ, both are " + brokerPort);
        }
        // picked together: two picks one after the other could return the same port (a bench start failed so); three,
        // so that two remain besides a given port that happened to be free too
        PrimitiveIterator.OfInt free = brokerPort != 0 && controllerPort != 0 ? IntStream.empty().iterator()
                : Arrays.stream(FreePorts.pickDistinct(host, 3)).filter(p -> p != brokerPort && p != controllerPort).iterator();
        this.brokerPort = brokerPort != 0 ? brokerPort : free.nextInt();
        this.controllerPort = controllerPort != 0 ? controllerPort : free.nextInt();
    }

    /**
     * Formats {@code dataDir} if it is not yet formatted, starts the broker and returns once it
     * serves requests: an admin client's describe-cluster lists this node. Blocks for about 2 to 3 s
     * on an idle machine, at most {@link #READY_TIMEOUT}.
     *
     * @param host           the address to listen on and advertise, e.g. {@code 127.0.0.1}
     * @param brokerPort     the client (PLAINTEXT) port, 0 for a free one (kept for restarts)
     * @param controllerPort the KRaft controller port, 0 for a free one (kept for restarts)
     * @param dataDir        the log directory (metadata log included); created if missing
     * @throws PortInUseException   when either port is taken; nothing was started
     * @throws ClusterStartException when the broker fails to start or is not ready in time; the
     *                               partly started broker is shut down first
     */
    public static EmbeddedKafka start(String host, int brokerPort, int controllerPort, Path dataDir) {
        EmbeddedKafka kafka = new EmbeddedKafka(host, brokerPort, controllerPort, dataDir);
        synchronized (kafka) {
            kafka.startRunning();
        }
        return kafka;
    }

    /** {@code "HOST:PORT"} of the client listener, for {@code bootstrap.servers}. Does not block. */
    public String bootstrapServers() {
        return host + ":" + brokerPort;
    }

    /** The client (PLAINTEXT) port. Does not block. */
    public int brokerPort() {
        return brokerPort;
    }

    /** The KRaft controller port. Does not block. */
    public int controllerPort() {
        return controllerPort;
    }

    /**
     * Creates each topic with the given partition count and one replica, and returns once the
     * broker serves every partition of every named topic (each has a leader in the broker's
     * metadata), so that producers and consumers can use them at once. Idempotent: a topic that
     * already exists with the same partition count is left alone. Blocks for a few admin round
     * trips, usually well under a second, at most about {@link #ADMIN_TIMEOUT} per step.
     * Thread-safe.
     *
     * @param namePartitions topic name to partition count
     * @throws IllegalStateException when a topic exists with another partition count (the message
     *                               names the topic, the existing and the requested counts; nothing
     *                               is changed for it), when the broker is not running, or when the
     *                               topics are not served in time
     */
    public void createTopics(Map<String, Integer> namePartitions) {
        if (!isRunning()) {
            throw new IllegalStateException("Cannot create topics " + namePartitions.keySet()
                    + ": the " + BROKER_NAME + " on " + bootstrapServers() + " is not running");
        }
        List<NewTopic> requested = new ArrayList<>();
        new TreeMap<>(namePartitions).forEach((name, partitions) -> {
            if (partitions == null || partitions < 1) {
                throw new IllegalArgumentException("Invalid partition count " + partitions + " for topic '" + name
                        + "': must be at least 1");
            }
            requested.add(new NewTopic(name, partitions, (short) 1));
        });
        try (Admin admin = admin()) {
            // 1. ask the controller for every topic; an existing one is checked in step 3
            for (var entry : admin.createTopics(requested).values().entrySet()) {
                try {
                    entry.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic '" + entry.getKey() + "' on "
                                + bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            // 2. wait until the broker has applied the metadata and leads every partition
            Map<String, TopicDescription> served = awaitServed(admin, namePartitions.keySet());
            // 3. refuse topics that existed with another partition count
            List<String> mismatches = new ArrayList<>();
            new TreeMap<>(namePartitions).forEach((name, wanted) -> {
                int actual = served.get(name).partitions().size();
                if (actual != wanted) {
                    mismatches.add("topic '" + name + "' already exists with " + actual
                            + " partitions, not the " + wanted + " requested");
                }
            });
            if (!mismatches.isEmpty()) {
                throw new IllegalStateException("Cannot create topics on " + bootstrapServers() + ": "
                        + String.join("; ", mismatches)
                        + " (Kafka cannot shrink a topic; delete it or ask for its current count)");
            }
            // 4. wait until the broker answers ListOffsets as leader of every partition: metadata may name a
            //    leader while the broker still answers NOT_LEADER_OR_FOLLOWER, and an idempotent producer
            //    meeting that on its first batch was seen to stick on OUT_OF_ORDER_SEQUENCE_NUMBER (4.1.1)
            awaitLeading(admin, namePartitions);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Topic creation on " + bootstrapServers() + " did not finish within "
                    + ADMIN_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + namePartitions.keySet(), e);
        }
    }

    private void awaitLeading(Admin admin, Map<String, Integer> topics) throws InterruptedException {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request = new java.util.HashMap<>();
        topics.forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                request.put(new org.apache.kafka.common.TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
        });
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                admin.listOffsets(request).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                last = e.getCause() == null ? e : e.getCause();
            }
            TimeUnit.MILLISECONDS.sleep(METADATA_POLL_MS);
        }
        throw new IllegalStateException("The " + BROKER_NAME + " on " + bootstrapServers() + " did not lead every partition of "
                + topics.keySet() + " within " + ADMIN_TIMEOUT.toSeconds() + " s" + (last == null ? "" : ": " + last.getMessage()), last);
    }

    /**
     * Describes {@code topics} until every partition has a leader. The controller acknowledges a
     * creation before the broker has applied it, so a describe right after may not know the topic.
     */
    private Map<String, TopicDescription> awaitServed(Admin admin, Collection<String> topics)
            throws InterruptedException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                boolean allLed = described.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (allLed) {
                    return described;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Cannot describe topics " + topics + " on " + bootstrapServers()
                            + ": " + e.getCause().getMessage(), e.getCause());
                }
                last = e.getCause();
            } catch (TimeoutException e) {
                last = e;
            }
            TimeUnit.MILLISECONDS.sleep(METADATA_POLL_MS);
        }
        throw new IllegalStateException("The " + BROKER_NAME + " on " + bootstrapServers() + " did not serve topics "
                + topics + " within " + ADMIN_TIMEOUT.toSeconds() + " s"
                + (last == null ? "" : ": " + last.getMessage()), last);
    }

    @Override
    protected void startServer() {
        PortProbe.requireFree(BROKER_NAME, host, brokerPort);
        PortProbe.requireFree(CONTROLLER_NAME, host, controllerPort);
        String logDir = dataDir.toAbsolutePath().toString();
        try {
            formatIfNeeded(logDir);
            KafkaConfig config = KafkaConfig.fromProps(
                    BrokerProperties.forSingleNode(host, brokerPort, controllerPort, logDir));
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            awaitServing();
            log.info("Embedded Kafka serving on {} (controller {}:{}, data {})",
                    bootstrapServers(), host, controllerPort, dataDir);
        } catch (ClusterStartException e) {
            stopServer();
            throw e;
        } catch (Exception e) {
            stopServer();
            throw new ClusterStartException("Cannot start the " + BROKER_NAME + " on " + bootstrapServers()
                    + " with data in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private void formatIfNeeded(String logDir) throws Exception {
        Files.createDirectories(dataDir);
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(BrokerProperties.NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir))
                .setMetadataLogDirectory(Optional.of(logDir))
                .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.latestProduction())
                .run();
    }

    /** Waits until an admin client's describe-cluster lists this node. */
    private void awaitServing() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                try {
                    var nodes = admin.describeCluster().nodes().get(leftMs, TimeUnit.MILLISECONDS);
                    if (nodes.stream().map(Node::id).anyMatch(id -> id == BrokerProperties.NODE_ID)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
            }
        }
        throw new ClusterStartException("The " + BROKER_NAME + " on " + bootstrapServers()
                + " did not serve requests within " + READY_TIMEOUT.toSeconds() + " s"
                + (last == null ? "" : ": " + last.getMessage()), last);
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "shardwork-embedded-kafka");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(ADMIN_TIMEOUT.toMillis()));
        props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "100");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        return Admin.create(props);
    }

    @Override
    protected void stopServer() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Shutting down the {} on {} failed", BROKER_NAME, bootstrapServers(), e);
        } finally {
            server = null;
        }
    }

    private static int requirePort(String which, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Invalid Kafka " + which + " port " + port + ": must be 0 (free port) to 65535");
        }
        return port;
    }

    @Override
    protected String description() {
        return BROKER_NAME + " on " + bootstrapServers();
    }
}
