package io.shardwork.config;

import static io.shardwork.config.ConfigType.BOOLEAN;
import static io.shardwork.config.ConfigType.INT;
import static io.shardwork.config.ConfigType.LIST;
import static io.shardwork.config.ConfigType.PASSWORD;
import static io.shardwork.config.ConfigType.STRING;

import java.util.List;

/**
 * Every configuration key of shardwork, declared once. The dynamic families (regions and client
 * pass-through) are declared in {@link RegionKeys} and {@link ClientSettings}.
 */
public final class ShardworkConfigDef {
    private ShardworkConfigDef() {
    }

    public static final String CLUSTER_NAME = "cluster.name";
    public static final String DEPLOYMENT_ENVIRONMENT = "deployment.environment";

    public static final String ZOOKEEPER_CONNECT = "zookeeper.connect";
    public static final String ZOOKEEPER_SESSION_TIMEOUT_MS = "zookeeper.session.timeout.ms";
    public static final String ZOOKEEPER_CONNECTION_TIMEOUT_MS = "zookeeper.connection.timeout.ms";
    public static final String ZOOKEEPER_AUTH_DIGEST = "zookeeper.auth.digest";

    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String KAFKA_ALLOW_PLAINTEXT = "kafka.allow.plaintext";

    public static final String TOPIC_ORDERS = "topic.orders";
    public static final String TOPIC_INVOICES = "topic.invoices";
    public static final String TOPIC_DEAD_LETTERS = "topic.dead.letters";

    public static final String REGIONS = "regions";

    public static final String WORKER_ID = "worker.id";
    public static final String WORKER_ZONE = "worker.zone";
    public static final String WORKER_CAPACITY = "worker.capacity";

    public static final String HANDLER = "handler";
    public static final String HANDLER_PATH = "handler.path";
    public static final String DELIVERY = "delivery";
    public static final String CHECKPOINT_INTERVAL_MS = "checkpoint.interval.ms";
    public static final String RUNNER_MAX_IN_FLIGHT = "runner.max.in.flight";
    public static final String RUNNER_WARM_CONSUMERS = "runner.warm.consumers";
    public static final String RUNNER_ORDERING = "runner.ordering";
    public static final String RUNNER_CONCURRENCY = "runner.concurrency";
    public static final String RETRY_MAX_ATTEMPTS = "retry.max.attempts";
    public static final String RETRY_BACKOFF_INITIAL_MS = "retry.backoff.initial.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String SHUTDOWN_TIMEOUT_MS = "shutdown.timeout.ms";
    public static final String HANDLER_TIMEOUT_MS = "handler.timeout.ms";

    public static final String REBALANCE_DELAY_MS = "rebalance.delay.ms";
    public static final String REBALANCE_MAX_MOVES = "rebalance.max.moves";
    public static final String STANDBY_REPLICAS = io.shardwork.layout.DefinitionDocument.STANDBY_REPLICAS;

    public static final String METRICS_PORT = "metrics.port";
    public static final String HISTORY_DIR = "history.dir";
    public static final String LOG_FORMAT = "log.format";
    public static final String LOG_FORMAT_TEXT = "text";
    public static final String LOG_FORMAT_JSON = "json";

    public static final String DEV_DATA_DIR = "dev.data.dir";
    public static final String DEV_KAFKA_CONTROLLER_PORT = "dev.kafka.controller.port";
    public static final String DEV_ZOOKEEPER_TICK_MS = "dev.zookeeper.tick.ms";

    /** Names usable as znode names, Kafka transactional ids and file names. */
    static final String NAME = "[a-z0-9][a-z0-9._-]{0,63}";
    private static final String TOPIC = "[A-Za-z0-9._-]{1,249}";

    public static final String DEVELOPMENT = "development";
    public static final String PRODUCTION = "production";
    public static final String AT_LEAST_ONCE = "at-least-once";
    public static final String EXACTLY_ONCE = "exactly-once";
    public static final String ORDERING_REGION = "region";
    public static final String ORDERING_KEY = "key";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(CLUSTER_NAME, STRING, "local", Validator.matches(NAME, "lower-case letters, digits, '.', '_' or '-', at most 64"),
                    "cluster", "Name of this deployment. Its ZooKeeper state lives under /shardwork/<cluster.name>, so several deployments can share one ensemble.")
            .define(DEPLOYMENT_ENVIRONMENT, STRING, PRODUCTION, Validator.oneOf(DEVELOPMENT, PRODUCTION),
                    "cluster", "development relaxes the security checks for loopback use; production requires zookeeper.auth.digest and refuses plaintext Kafka unless kafka.allow.plaintext=true.")

            .define(ZOOKEEPER_CONNECT, STRING, ConfigKey.REQUIRED,
                    Validator.matches(Validator.HOST_PORT + "(," + Validator.HOST_PORT + ")*(/[A-Za-z0-9/_.-]*)?", "host:port[,host:port...][/chroot]"),
                    "zookeeper", "The ZooKeeper ensemble. Other zookeeper.* keys pass through to the ZooKeeper client (e.g. zookeeper.client.secure, zookeeper.ssl.keyStore.location).")
            .define(ZOOKEEPER_SESSION_TIMEOUT_MS, INT, 6000, Validator.between(1000, 120_000),
                    "zookeeper", "Session timeout. A crashed worker's regions are taken over after about this long; a paused worker is fenced after it.")
            .define(ZOOKEEPER_CONNECTION_TIMEOUT_MS, INT, 10_000, Validator.between(100, 120_000),
                    "zookeeper", "How long to wait for the first connection to ZooKeeper before the start fails.")
            .define(ZOOKEEPER_AUTH_DIGEST, PASSWORD, "", Validator.matches("(|[^:]+:.+)", "empty or user:password"),
                    "zookeeper", "Digest credentials user:password. Nodes the runtime creates then carry an ACL that lets only this identity write. Use ${env:NAME} to keep it out of the file.")

            .define(KAFKA_BOOTSTRAP_SERVERS, LIST, ConfigKey.REQUIRED, Validator.nonEmptyList(Validator.HOST_PORT, "a non-empty list of host:port"),
                    "kafka", "The Kafka cluster. Client settings pass through by prefix: kafka.client.* (every client), kafka.consumer.*, kafka.producer.*, kafka.admin.*.")
            .define(KAFKA_ALLOW_PLAINTEXT, BOOLEAN, false, Validator.ANY,
                    "kafka", "In production, allow kafka.client.security.protocol PLAINTEXT or SASL_PLAINTEXT (unencrypted). Leave false unless the network is trusted.")

            .define(TOPIC_ORDERS, STRING, "orders", Validator.matches(TOPIC, "a Kafka topic name"),
                    "topics", "Input topic: one partition per region, key orderId, value the order JSON.")
            .define(TOPIC_INVOICES, STRING, "invoices", Validator.matches(TOPIC, "a Kafka topic name"),
                    "topics", "Output topic of the billing handler: one partition per region.")
            .define(TOPIC_DEAD_LETTERS, STRING, "orders.dlq", Validator.matches(TOPIC, "a Kafka topic name"),
                    "topics", "Orders that cannot be parsed or keep failing, with headers saying why.")

            .define(REGIONS, LIST, List.of(), Validator.listOf(NAME, "a list of region names (lower-case letters, digits, '.', '_' or '-')"),
                    "regions", "The billing regions, each the unit of assignment. Declare each with region.<name>.partition and optionally .weight and .zones. Required by 'cluster apply'; a worker's file may omit it (workers run the regions of the cluster definition).")

            .define(WORKER_ID, STRING, "", Validator.matches("(|" + NAME + ")", "empty or a worker name (lower-case letters, digits, '.', '_' or '-')"),
                    "worker", "This worker's id, unique among live workers; --id overrides it. Empty means <hostname>-<pid>. A stable id lets a restarted worker get its regions back.")
            .define(WORKER_ZONE, STRING, "default", Validator.matches(NAME, "a zone name"),
                    "worker", "The zone this worker runs in; regions with region.<name>.zones are only given to workers in those zones.")
            .define(WORKER_CAPACITY, INT, 1, Validator.between(1, 1000),
                    "worker", "Relative capacity: a worker of capacity 2 gets twice the region weight of a worker of capacity 1.")

            .define(HANDLER, STRING, "noop", Validator.matches("[A-Za-z_$][A-Za-z0-9_$.-]*", "noop, billing, or a class name"),
                    "processing", "The handler: noop, billing, or the fully qualified name of a class implementing io.shardwork.api.Handler in a jar of handler.path. Its settings pass through by prefix: handler.config.* (prefix stripped, given to open).")
            .define(HANDLER_PATH, STRING, "plugins", Validator.matches("\\S(.*\\S)?", "a directory path"),
                    "processing", "Directory of handler jars; a relative path is resolved against the installation directory (system property shardwork.home) when set, else the working directory. Each handler class loads in a class loader of its own that sees only the handler API and the JDK.")
            .define(DELIVERY, STRING, AT_LEAST_ONCE, Validator.oneOf(AT_LEAST_ONCE, EXACTLY_ONCE),
                    "processing", "at-least-once: an idempotent producer; after a crash an invoice may be written twice, always identical. exactly-once: one transactional.id per region, input offsets committed in the same transaction.")
            .define(CHECKPOINT_INTERVAL_MS, INT, 1000, Validator.between(10, 600_000),
                    "processing", "How often each owned region writes its fenced checkpoint to ZooKeeper; orders after the last checkpoint are delivered again after a crash.")
            .define(RUNNER_MAX_IN_FLIGHT, INT, 1000, Validator.between(1, 1_000_000),
                    "processing", "Orders fetched but not yet handled, per region; fetching pauses at this bound so a slow handler cannot exhaust memory.")
            .define(RUNNER_ORDERING, STRING, ORDERING_REGION, Validator.oneOf(ORDERING_REGION, ORDERING_KEY),
                    "processing", "region: one order at a time per region, in offset order. key: orders of the same record key in offset order, different keys concurrently (up to runner.concurrency per region); the checkpoint is the lowest offset not yet completed, so completed orders after it are delivered again after a takeover.")
            .define(RUNNER_CONCURRENCY, INT, 1, Validator.between(1, 1024),
                    "processing", "With runner.ordering=key, the most orders handled at once per region, on a pool of daemon threads per worker (this times the number of regions, at most 1024 threads). Ignored with runner.ordering=region.")
            .define(RUNNER_WARM_CONSUMERS, INT, 8, Validator.between(0, 1000),
                    "processing", "Consumers of the orders topic each worker keeps built and connected, so a region taken over fetches on its first poll instead of first building a client; 0 builds one per claim. The default matches rebalance.max.moves: the most regions one balancing round moves.")
            .define(RETRY_MAX_ATTEMPTS, INT, 5, Validator.between(1, 100),
                    "processing", "Attempts of a failing order before it goes to the dead-letter topic.")
            .define(RETRY_BACKOFF_INITIAL_MS, INT, 50, Validator.between(0, 60_000),
                    "processing", "First retry delay; doubled on every attempt, with jitter.")
            .define(RETRY_BACKOFF_MAX_MS, INT, 2000, Validator.between(0, 600_000),
                    "processing", "Upper bound of one retry delay.")
            .define(SHUTDOWN_TIMEOUT_MS, INT, 30_000, Validator.between(100, 600_000),
                    "processing", "On SIGTERM, drain or a move, how long to wait for regions to finish in-flight orders and write their final checkpoints; a region still running then is abandoned and its claim deleted. A graceful close takes at most this plus max(10 s, 3 x zookeeper.session.timeout.ms) plus 5 s: keep it under the orchestrator's grace period (Kubernetes: 30 s by default).")

            .define(HANDLER_TIMEOUT_MS, INT, 60_000, Validator.between(100, 86_400_000),
                    "processing", "A handler call running longer marks the worker not ready, naming the region, and is counted; after as long again the worker gives the region up (abandoned without a final checkpoint, claim deleted, claimed again under a new epoch that fences the hung call, which keeps its thread until it returns).")
            .define(REBALANCE_DELAY_MS, INT, 3000, Validator.between(0, 600_000),
                    "assignment", "Balancing moves wait until membership has been stable this long, so a restarting worker causes no churn. Orphaned regions are reassigned at once.")
            .define(REBALANCE_MAX_MOVES, INT, 8, Validator.between(0, 100_000),
                    "assignment", "Most balancing moves per assignment round; a large join converges over several rounds.")
            .define(STANDBY_REPLICAS, INT, 0, Validator.between(0, 1),
                    "assignment", "1: the leader names, for each region, another worker (where the region would go if its owner"
                            + " left) that tails its partition and keeps its decoder's memory warm, so taking it over does not read"
                            + " its history back first. Costs that worker a consumer and the decoding of the region's records."
                            + " 0: none.")

            .define(METRICS_PORT, INT, 0, Validator.between(0, 65_535),
                    "operations", "Port serving Prometheus metrics on /metrics and health on /health; 0 disables it.")
            .define(LOG_FORMAT, STRING, LOG_FORMAT_TEXT, Validator.oneOf(LOG_FORMAT_TEXT, LOG_FORMAT_JSON),
                    "operations", "Standard error's log format on this host: text (one line per event), or json (logback's JsonEncoder: one JSON object per line, with the MDC keys worker, region and epoch of runner and coordinator lines).")
            .define(HISTORY_DIR, STRING, "", Validator.ANY,
                    "operations", "Directory where each worker appends its ownership history (claims, releases, accepted checkpoints, fenced writes) as JSON lines to <worker.id>.jsonl, for verify --history; empty disables it.")

            .define(DEV_DATA_DIR, STRING, "run/dev-cluster", Validator.matches(".+", "a directory path"),
                    "dev-cluster", "Data directory of the embedded dev cluster (dev-cluster and demo only).")
            .define(DEV_KAFKA_CONTROLLER_PORT, INT, 0, Validator.between(0, 65_535),
                    "dev-cluster", "KRaft controller port of the embedded broker; 0 picks a free port.")
            .define(DEV_ZOOKEEPER_TICK_MS, INT, 200, Validator.between(10, 10_000),
                    "dev-cluster", "Tick of the embedded ZooKeeper; a small tick makes session expiry, and so takeover, faster and tighter.")

            // Cluster-wide: written once into the cluster definition by 'cluster apply'; every host runs the
            // definition's value (docs/ARCHITECTURE.md, "The cluster definition", says why each is here).
            .scope(ConfigScope.CLUSTER, REGIONS, TOPIC_ORDERS, TOPIC_INVOICES, TOPIC_DEAD_LETTERS, HANDLER, HANDLER_TIMEOUT_MS, DELIVERY,
                    CHECKPOINT_INTERVAL_MS, RUNNER_MAX_IN_FLIGHT, RUNNER_ORDERING, RUNNER_CONCURRENCY, RETRY_MAX_ATTEMPTS, RETRY_BACKOFF_INITIAL_MS,
                    RETRY_BACKOFF_MAX_MS, SHUTDOWN_TIMEOUT_MS, REBALANCE_DELAY_MS, REBALANCE_MAX_MOVES, STANDBY_REPLICAS);

    /** The keys in declaration order, for describe. */
    public static List<ConfigKey> keys() {
        return List.copyOf(DEFINITION.keys());
    }
}
