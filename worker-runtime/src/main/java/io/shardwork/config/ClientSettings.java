package io.shardwork.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Client settings that pass through by prefix: {@code kafka.client.*} to every Kafka client,
 * {@code kafka.consumer.*}, {@code kafka.producer.*}, {@code kafka.admin.*} to one kind, any undeclared
 * {@code zookeeper.*} key to the ZooKeeper client under its own name, and {@code handler.config.*} to the
 * handler's {@code open}, prefix stripped and unchecked (the handler checks its own settings). Kafka keys are checked against the
 * client's own settings (names, and values by their types and validators); the ones shardwork owns (its correctness depends on them) are refused.
 */
public final class ClientSettings {
    public static final String KAFKA_CLIENT = "kafka.client.";
    public static final String KAFKA_CONSUMER = "kafka.consumer.";
    public static final String KAFKA_PRODUCER = "kafka.producer.";
    public static final String KAFKA_ADMIN = "kafka.admin.";
    public static final String ZOOKEEPER = "zookeeper.";
    public static final String HANDLER_CONFIG = "handler.config.";

    /** The Kafka clients' own settings (names, types and validators), read once. */
    private static final org.apache.kafka.common.config.ConfigDef CONSUMER_SETTINGS = ConsumerConfig.configDef();
    private static final org.apache.kafka.common.config.ConfigDef PRODUCER_SETTINGS = ProducerConfig.configDef();
    private static final org.apache.kafka.common.config.ConfigDef ADMIN_SETTINGS = AdminClientConfig.configDef();
    private static final List<org.apache.kafka.common.config.ConfigDef> EVERY_CLIENT =
            List.of(CONSUMER_SETTINGS, PRODUCER_SETTINGS, ADMIN_SETTINGS);

    /** Settings shardwork sets itself; overriding them would break ordering, fencing or delivery. */
    static final Set<String> OWNED_BY_SHARDWORK = Set.of(
            "bootstrap.servers", "group.id", "group.instance.id", "enable.auto.commit", "auto.offset.reset",
            "isolation.level", "key.serializer", "value.serializer", "key.deserializer", "value.deserializer",
            "transactional.id", "enable.idempotence", "acks", "max.in.flight.requests.per.connection");

    private final Map<String, String> common;
    private final Map<String, String> consumer;
    private final Map<String, String> producer;
    private final Map<String, String> admin;
    private final Map<String, String> zookeeper;
    private final Map<String, String> handler;

    private ClientSettings(Map<String, String> common, Map<String, String> consumer, Map<String, String> producer,
                           Map<String, String> admin, Map<String, String> zookeeper, Map<String, String> handler) {
        this.common = Map.copyOf(common);
        this.consumer = Map.copyOf(consumer);
        this.producer = Map.copyOf(producer);
        this.admin = Map.copyOf(admin);
        this.zookeeper = Map.copyOf(zookeeper);
        this.handler = Map.copyOf(handler);
    }

    /** Whether {@code key} belongs to one of the pass-through families (declared keys are checked first). */
    static boolean isPassThrough(String key) {
        return key.startsWith(KAFKA_CLIENT) || key.startsWith(KAFKA_CONSUMER) || key.startsWith(KAFKA_PRODUCER)
                || key.startsWith(KAFKA_ADMIN) || key.startsWith(ZOOKEEPER) || key.startsWith(HANDLER_CONFIG);
    }

    static ClientSettings parse(String source, Map<String, String> raw, ConfigDef declared, List<ConfigProblem> problems) {
        Map<String, String> common = new LinkedHashMap<>();
        Map<String, String> consumer = new LinkedHashMap<>();
        Map<String, String> producer = new LinkedHashMap<>();
        Map<String, String> admin = new LinkedHashMap<>();
        Map<String, String> zookeeper = new LinkedHashMap<>();
        Map<String, String> handler = new LinkedHashMap<>();
        raw.forEach((key, value) -> {
            if (declared.declares(key) || !isPassThrough(key)) {
                return;
            }
            if (key.startsWith(HANDLER_CONFIG)) {
                if (key.length() == HANDLER_CONFIG.length()) {
                    problems.add(new ConfigProblem(source, key, Secrets.display(key, value), "handler.config.<name>",
                            "a handler setting needs a name after the prefix"));
                } else {
                    handler.put(key.substring(HANDLER_CONFIG.length()), value);
                }
            } else if (key.startsWith(KAFKA_CLIENT)) {
                String name = key.substring(KAFKA_CLIENT.length());
                if (check(source, key, value, name, EVERY_CLIENT, "a setting common to Kafka clients", problems)) {
                    common.put(name, value);
                }
            } else if (key.startsWith(KAFKA_CONSUMER)) {
                String name = key.substring(KAFKA_CONSUMER.length());
                if (check(source, key, value, name, List.of(CONSUMER_SETTINGS), "a Kafka consumer setting", problems)) {
                    consumer.put(name, value);
                }
            } else if (key.startsWith(KAFKA_PRODUCER)) {
                String name = key.substring(KAFKA_PRODUCER.length());
                if (check(source, key, value, name, List.of(PRODUCER_SETTINGS), "a Kafka producer setting", problems)) {
                    producer.put(name, value);
                }
            } else if (key.startsWith(KAFKA_ADMIN)) {
                String name = key.substring(KAFKA_ADMIN.length());
                if (check(source, key, value, name, List.of(ADMIN_SETTINGS), "a Kafka admin client setting", problems)) {
                    admin.put(name, value);
                }
            } else {
                java.util.Optional<String> typo = KeySuggester.closest(key,
                        declared.keys().stream().map(ConfigKey::name).filter(n -> n.startsWith(ZOOKEEPER)).toList());
                if (typo.isPresent()) {
                    problems.add(new ConfigProblem(source, key, Secrets.display(key, value), "a declared key or a ZooKeeper client property",
                            "did you mean '" + typo.get() + "'?"));
                } else {
                    zookeeper.put(key, value);
                }
            }
        });
        return new ClientSettings(common, consumer, producer, admin, zookeeper, handler);
    }

    /**
     * Whether {@code name} is a setting of one of the clients ({@code defs}) that shardwork leaves to the user and
     * {@code value} is one the client takes (its type and range, as each of {@code defs} declaring it checks them):
     * a worker whose producer would refuse its settings learns it at the start, with the other problems, not when
     * its first region opens a client.
     */
    private static boolean check(String source, String key, String value, String name,
                                 List<org.apache.kafka.common.config.ConfigDef> defs, String expected, List<ConfigProblem> problems) {
        String shown = Secrets.display(key, value);
        if (OWNED_BY_SHARDWORK.contains(name)) {
            problems.add(new ConfigProblem(source, key, shown, "a setting shardwork does not own",
                    "shardwork sets " + name + " itself (use kafka.bootstrap.servers for the cluster)"));
            return false;
        }
        if (defs.stream().noneMatch(def -> def.configKeys().containsKey(name))) {
            Set<String> known = new java.util.HashSet<>();
            defs.forEach(def -> known.addAll(def.names()));
            String hint = KeySuggester.closest(name, known).map(s -> "did you mean '" + key.substring(0, key.length() - name.length()) + s + "'?")
                    .orElse("'" + name + "' is not " + expected);
            problems.add(new ConfigProblem(source, key, shown, expected, hint));
            return false;
        }
        for (org.apache.kafka.common.config.ConfigDef def : defs) {
            org.apache.kafka.common.config.ConfigDef.ConfigKey declared = def.configKeys().get(name);
            if (declared == null) {
                continue;
            }
            try {
                Object parsed = org.apache.kafka.common.config.ConfigDef.parseType(name, value, declared.type);
                if (declared.validator != null) {
                    declared.validator.ensureValid(name, parsed);
                }
            } catch (org.apache.kafka.common.config.ConfigException invalid) {
                problems.add(new ConfigProblem(source, key, shown, "a value Kafka takes for " + name + " ("
                        + declared.type.name().toLowerCase(java.util.Locale.ROOT) + ")", invalid.getMessage()));
                return false;
            }
        }
        return true;
    }

    /** Settings for a Kafka consumer: common ones, then consumer ones. */
    public Properties consumer() {
        return merged(consumer);
    }

    public Properties producer() {
        return merged(producer);
    }

    public Properties admin() {
        return merged(admin);
    }

    /** The {@code handler.config.*} settings, prefix stripped: what the handler's {@code open} is given. */
    public Map<String, String> handler() {
        return handler;
    }

    /** ZooKeeper client properties under their own names (zookeeper.ssl.*, zookeeper.sasl.client, ...). */
    public Map<String, String> zookeeper() {
        return zookeeper;
    }

    /** The security protocol the Kafka clients will use (PLAINTEXT when unset). */
    public String kafkaSecurityProtocol(String kind) {
        Properties merged = "producer".equals(kind) ? producer() : "admin".equals(kind) ? admin() : consumer();
        return merged.getProperty("security.protocol", "PLAINTEXT");
    }

    private Properties merged(Map<String, String> specific) {
        Properties properties = new Properties();
        properties.putAll(common);
        properties.putAll(specific);
        return properties;
    }

    /** Every pass-through key with its real value, as written in the file (secrets included). */
    Map<String, String> rawPassThrough() {
        Map<String, String> raw = new LinkedHashMap<>();
        common.forEach((k, v) -> raw.put(KAFKA_CLIENT + k, v));
        consumer.forEach((k, v) -> raw.put(KAFKA_CONSUMER + k, v));
        producer.forEach((k, v) -> raw.put(KAFKA_PRODUCER + k, v));
        admin.forEach((k, v) -> raw.put(KAFKA_ADMIN + k, v));
        raw.putAll(zookeeper);
        handler.forEach((k, v) -> raw.put(HANDLER_CONFIG + k, v));
        return raw;
    }

    /** Every pass-through key with its value, secrets hidden, for describe and logs. */
    public Map<String, String> displayed() {
        Map<String, String> shown = new java.util.TreeMap<>();
        common.forEach((k, v) -> shown.put(KAFKA_CLIENT + k, Secrets.display(k, v)));
        consumer.forEach((k, v) -> shown.put(KAFKA_CONSUMER + k, Secrets.display(k, v)));
        producer.forEach((k, v) -> shown.put(KAFKA_PRODUCER + k, Secrets.display(k, v)));
        admin.forEach((k, v) -> shown.put(KAFKA_ADMIN + k, Secrets.display(k, v)));
        zookeeper.forEach((k, v) -> shown.put(k, Secrets.display(k, v)));
        handler.forEach((k, v) -> shown.put(HANDLER_CONFIG + k, Secrets.display(k, v)));
        return shown;
    }
}
