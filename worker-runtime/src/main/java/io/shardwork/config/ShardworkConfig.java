package io.shardwork.config;

import static io.shardwork.config.ShardworkConfigDef.*;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated deployment configuration. Built only through {@link #load} or {@link #parse}, which check
 * the whole file and throw one {@link ConfigException} listing every problem. Immutable.
 */
public final class ShardworkConfig {
    private final String source;
    private final Map<String, Object> values;
    private final List<RegionSpec> regions;
    private final ClientSettings clients;
    private final Set<String> fileKeys;
    private final int definitionVersion;

    private ShardworkConfig(String source, Map<String, Object> values, List<RegionSpec> regions, ClientSettings clients,
                            Set<String> fileKeys, int definitionVersion) {
        this.source = source;
        this.values = Map.copyOf(values);
        this.regions = List.copyOf(regions);
        this.clients = clients;
        this.fileKeys = Set.copyOf(fileKeys);
        this.definitionVersion = definitionVersion;
    }

    /** Reads and validates a file; environment references {@code ${env:NAME}} are resolved. */
    public static ShardworkConfig load(Path file) {
        return load(file, System::getenv);
    }

    /** Reads and validates a file, resolving {@code ${env:NAME}} through {@code environment}. */
    public static ShardworkConfig load(Path file, java.util.function.Function<String, String> environment) {
        ConfigFileReader.RawConfig raw = new ConfigFileReader(environment).read(file);
        return parse(raw.source(), raw.values(), raw.problems());
    }

    /** Validates raw values; {@code earlier} carries problems already found while reading them. */
    public static ShardworkConfig parse(String source, Map<String, String> raw, List<ConfigProblem> earlier) {
        return parse(source, raw, earlier, raw.keySet(), io.shardwork.layout.DefinitionDocument.NO_VERSION);
    }

    static ShardworkConfig parse(String source, Map<String, String> raw, List<ConfigProblem> earlier, Set<String> fileKeys,
                                 int definitionVersion) {
        List<ConfigProblem> problems = new ArrayList<>(earlier);
        Map<String, Object> values = DEFINITION.parse(source, raw, problems);
        @SuppressWarnings("unchecked")
        List<String> regionNames = (List<String>) values.getOrDefault(REGIONS, List.of());
        List<RegionSpec> regions = RegionKeys.parse(source, regionNames, raw, problems);
        ClientSettings clients = ClientSettings.parse(source, raw, DEFINITION, problems);
        reportUnknownKeys(source, raw, problems);
        checkAcrossKeys(source, values, clients, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ShardworkConfig(source, values, regions, clients, fileKeys, definitionVersion);
    }

    public static ShardworkConfig parse(String source, Map<String, String> raw) {
        return parse(source, raw, List.of());
    }

    private static void reportUnknownKeys(String source, Map<String, String> raw, List<ConfigProblem> problems) {
        List<String> known = new ArrayList<>();
        DEFINITION.keys().forEach(key -> known.add(key.name()));
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            String key = entry.getKey();
            if (DEFINITION.declares(key) || RegionKeys.isRegionKey(key) || ClientSettings.isPassThrough(key)) {
                continue;
            }
            String hint = KeySuggester.closest(key, known).map(s -> "did you mean '" + s + "'?")
                    .orElse("no such key; 'shardwork config describe' lists them all");
            problems.add(new ConfigProblem(source, key, Secrets.display(key, entry.getValue()), "a declared key", hint));
        }
    }

    private static void checkAcrossKeys(String source, Map<String, Object> values, ClientSettings clients,
                                        List<ConfigProblem> problems) {
        Object initial = values.get(RETRY_BACKOFF_INITIAL_MS);
        Object max = values.get(RETRY_BACKOFF_MAX_MS);
        if (initial != null && max != null && (Integer) max < (Integer) initial) {
            problems.add(ConfigProblem.invalid(source, RETRY_BACKOFF_MAX_MS, String.valueOf(max),
                    "at least " + RETRY_BACKOFF_INITIAL_MS + " (" + initial + ")"));
        }
        boolean digestReported = problems.stream().anyMatch(problem -> problem.key().equals(ZOOKEEPER_AUTH_DIGEST));
        if (PRODUCTION.equals(values.get(DEPLOYMENT_ENVIRONMENT)) && "".equals(values.get(ZOOKEEPER_AUTH_DIGEST)) && !digestReported) {
            problems.add(new ConfigProblem(source, ZOOKEEPER_AUTH_DIGEST, null,
                    "digest credentials user:password in production (without them anyone who reaches ZooKeeper"
                            + " can change which worker owns which region)",
                    "set zookeeper.auth.digest=${env:NAME} to keep the secret out of the file, or"
                            + " deployment.environment=development for local use"));
        }
        if (PRODUCTION.equals(values.get(DEPLOYMENT_ENVIRONMENT)) && Boolean.FALSE.equals(values.get(KAFKA_ALLOW_PLAINTEXT))) {
            for (String kind : List.of("consumer", "producer", "admin")) {
                String protocol = clients.kafkaSecurityProtocol(kind).toUpperCase(Locale.ROOT);
                if (protocol.equals("PLAINTEXT") || protocol.equals("SASL_PLAINTEXT")) {
                    problems.add(new ConfigProblem(source, ClientSettings.KAFKA_CLIENT + "security.protocol", protocol,
                            "SSL or SASL_SSL in production (the " + kind + " would send orders unencrypted)",
                            "set kafka.allow.plaintext=true to accept it, or deployment.environment=development for local use"));
                    break;
                }
            }
        }
    }

    /** The file (or source) this configuration was read from. */
    public String source() {
        return source;
    }

    public String clusterName() {
        return (String) values.get(CLUSTER_NAME);
    }

    public boolean isDevelopment() {
        return DEVELOPMENT.equals(values.get(DEPLOYMENT_ENVIRONMENT));
    }

    public String zookeeperConnect() {
        return (String) values.get(ZOOKEEPER_CONNECT);
    }

    public int zookeeperSessionTimeoutMs() {
        return (Integer) values.get(ZOOKEEPER_SESSION_TIMEOUT_MS);
    }

    public int zookeeperConnectionTimeoutMs() {
        return (Integer) values.get(ZOOKEEPER_CONNECTION_TIMEOUT_MS);
    }

    /** Digest credentials user:password, if configured. Never log the result. */
    public Optional<String> zookeeperAuthDigest() {
        String digest = (String) values.get(ZOOKEEPER_AUTH_DIGEST);
        return digest.isEmpty() ? Optional.empty() : Optional.of(digest);
    }

    @SuppressWarnings("unchecked")
    public List<String> kafkaBootstrapServers() {
        return (List<String>) values.get(KAFKA_BOOTSTRAP_SERVERS);
    }

    public String ordersTopic() {
        return (String) values.get(TOPIC_ORDERS);
    }

    public String invoicesTopic() {
        return (String) values.get(TOPIC_INVOICES);
    }

    public String deadLetterTopic() {
        return (String) values.get(TOPIC_DEAD_LETTERS);
    }

    /** The regions, sorted by partition (which is 0..n-1). */
    public List<RegionSpec> regions() {
        return regions;
    }

    /** The configured worker id, or {@code <hostname>-<pid>} when none is set. */
    public String workerId() {
        String configured = (String) values.get(WORKER_ID);
        if (!configured.isEmpty()) {
            return configured;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException unknown) {
            host = "worker";
        }
        String sanitized = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        return sanitized + "-" + ProcessHandle.current().pid();
    }

    public String workerZone() {
        return (String) values.get(WORKER_ZONE);
    }

    public int workerCapacity() {
        return (Integer) values.get(WORKER_CAPACITY);
    }

    public String handler() {
        return (String) values.get(HANDLER);
    }

    /** The {@code handler.path} as written; {@link InstallDirectory} resolves it. */
    public String handlerPath() {
        return (String) values.get(HANDLER_PATH);
    }

    /** The {@code handler.config.*} settings, prefix stripped. */
    public Map<String, String> handlerSettings() {
        return clients.handler();
    }

    public boolean exactlyOnce() {
        return EXACTLY_ONCE.equals(values.get(DELIVERY));
    }

    public String delivery() {
        return (String) values.get(DELIVERY);
    }

    public int checkpointIntervalMs() {
        return (Integer) values.get(CHECKPOINT_INTERVAL_MS);
    }

    public int runnerMaxInFlight() {
        return (Integer) values.get(RUNNER_MAX_IN_FLIGHT);
    }

    /** Whether runner.ordering is key: same key in offset order, keys concurrent. */
    public boolean keyOrdering() {
        return ORDERING_KEY.equals(values.get(RUNNER_ORDERING));
    }

    public int runnerConcurrency() {
        return (Integer) values.get(RUNNER_CONCURRENCY);
    }

    public int runnerWarmConsumers() {
        return (Integer) values.get(RUNNER_WARM_CONSUMERS);
    }

    public int retryMaxAttempts() {
        return (Integer) values.get(RETRY_MAX_ATTEMPTS);
    }

    public int retryBackoffInitialMs() {
        return (Integer) values.get(RETRY_BACKOFF_INITIAL_MS);
    }

    public int retryBackoffMaxMs() {
        return (Integer) values.get(RETRY_BACKOFF_MAX_MS);
    }

    public int handlerTimeoutMs() {
        return (Integer) values.get(HANDLER_TIMEOUT_MS);
    }

    public int shutdownTimeoutMs() {
        return (Integer) values.get(SHUTDOWN_TIMEOUT_MS);
    }

    public int rebalanceDelayMs() {
        return (Integer) values.get(REBALANCE_DELAY_MS);
    }

    public int rebalanceMaxMoves() {
        return (Integer) values.get(REBALANCE_MAX_MOVES);
    }

    public int metricsPort() {
        return (Integer) values.get(METRICS_PORT);
    }

    /** {@code log.format}: text or json. */
    public String logFormat() {
        return (String) values.get(LOG_FORMAT);
    }

    /** The ownership history directory ({@code history.dir}), empty when history is off. */
    public Optional<Path> historyDir() {
        String dir = (String) values.get(HISTORY_DIR);
        return dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    public String devDataDir() {
        return (String) values.get(DEV_DATA_DIR);
    }

    public int devKafkaControllerPort() {
        return (Integer) values.get(DEV_KAFKA_CONTROLLER_PORT);
    }

    public int devZookeeperTickMs() {
        return (Integer) values.get(DEV_ZOOKEEPER_TICK_MS);
    }

    /** The topics the runtime uses and their partition counts: one partition per region for each. */
    public Map<String, Integer> topicPartitions() {
        Map<String, Integer> topics = new LinkedHashMap<>();
        topics.put(ordersTopic(), regions.size());
        topics.put(invoicesTopic(), regions.size());
        topics.put(deadLetterTopic(), regions.size());
        return topics;
    }

    public ClientSettings clients() {
        return clients;
    }

    /** Every declared key with its effective value as text, secrets hidden: what the process runs with. */
    public Map<String, String> displayed() {
        Map<String, String> shown = new LinkedHashMap<>();
        for (ConfigKey key : DEFINITION.keys()) {
            Object value = values.get(key.name());
            String text = key.type().display(value);
            shown.put(key.name(), key.type() == ConfigType.PASSWORD && (value == null || "".equals(value)) ? "" : text);
        }
        for (RegionSpec region : regions) {
            shown.put("region." + region.name() + ".partition", String.valueOf(region.partition()));
            shown.put("region." + region.name() + ".weight", String.valueOf(region.weight()));
            shown.put("region." + region.name() + ".zones", String.join(",", region.zones()));
        }
        shown.putAll(clients.displayed());
        return shown;
    }

    /** A copy with a different value for one declared key (command-line overrides such as --id), revalidated. */
    public ShardworkConfig with(String key, String value) {
        if (!Set.copyOf(DEFINITION.keys().stream().map(ConfigKey::name).toList()).contains(key)) {
            throw new IllegalArgumentException("No configuration key " + key + " is declared.");
        }
        Map<String, String> raw = new LinkedHashMap<>(rawValues());
        raw.put(key, value);
        String shown = DEFINITION.keys().stream().anyMatch(k -> k.name().equals(key) && k.type() == ConfigType.PASSWORD)
                ? Secrets.HIDDEN : Secrets.display(key, value);
        Set<String> keys = new java.util.HashSet<>(fileKeys);
        keys.add(key);
        return parse(source + " (with " + key + "=" + shown + ")", raw, List.of(), keys, definitionVersion);
    }

    /** The keys the file itself set (not defaults, not values taken from the cluster definition). */
    public Set<String> fileKeys() {
        return fileKeys;
    }

    /**
     * The version of the cluster definition this configuration was merged with
     * ({@link DefinitionMerge#merge}), or {@code DefinitionDocument.NO_VERSION} for a file alone.
     */
    public int definitionVersion() {
        return definitionVersion;
    }

    Map<String, String> rawValues() {
        Map<String, String> raw = new LinkedHashMap<>();
        for (ConfigKey key : DEFINITION.keys()) {
            Object value = values.get(key.name());
            raw.put(key.name(), value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(value));
        }
        for (RegionSpec region : regions) {
            raw.put("region." + region.name() + ".partition", String.valueOf(region.partition()));
            raw.put("region." + region.name() + ".weight", String.valueOf(region.weight()));
            raw.put("region." + region.name() + ".zones", String.join(",", region.zones()));
        }
        clients.rawPassThrough().forEach(raw::put);
        return raw;
    }

    public static Set<String> declaredKeys() {
        return Set.copyOf(DEFINITION.keys().stream().map(ConfigKey::name).toList());
    }
}
