package io.shardwork.runner;

import io.shardwork.config.ConfigException;
import io.shardwork.config.ConfigProblem;
import io.shardwork.config.RegionSpec;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.config.ShardworkConfigDef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topics a worker writes to and reads from, checked before it takes any region: the orders, invoices
 * and dead-letter topics, where they exist, must have a partition for every region's partition (a region
 * writes its effects and dead letters to its own partition number; a missing one is a send that can never
 * succeed and a runner that dies on every claim). A topic that does not exist yet is not an error (a worker
 * may start before the topics are created, and a handler may never write to the invoices topic): it is
 * logged, and a send to it fails like any unwritable effect (the region stops, backs off and retries). Also reads the dead-letter topic's {@code max.message.bytes},
 * the size a dead letter is cut to.
 */
public final class TopicLayout {
    /** What the broker said: partitions per topic (absent when the topic does not exist), the dead-letter size limit. */
    public record Observed(Map<String, OptionalInt> partitions, int deadLetterMaxBytes) { }

    /** Kafka's default max.message.bytes, used when the topic's setting cannot be read. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

    private TopicLayout() {
    }

    /** The problems of {@code observed} against {@code config}, one per topic; empty when every topic fits. Pure. */
    public static List<ConfigProblem> problems(ShardworkConfig config, Map<String, OptionalInt> observed) {
        int needed = config.regions().stream().mapToInt(RegionSpec::partition).max().orElse(-1) + 1;
        String highest = config.regions().stream().filter(r -> r.partition() == needed - 1).map(RegionSpec::name).findFirst().orElse("?");
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ShardworkConfigDef.TOPIC_ORDERS, config.ordersTopic());
        keys.put(ShardworkConfigDef.TOPIC_INVOICES, config.invoicesTopic());
        keys.put(ShardworkConfigDef.TOPIC_DEAD_LETTERS, config.deadLetterTopic());
        List<ConfigProblem> problems = new ArrayList<>();
        keys.forEach((key, topic) -> {
            OptionalInt partitions = observed.getOrDefault(topic, OptionalInt.empty());
            if (partitions.isPresent() && partitions.getAsInt() < needed) {
                problems.add(ConfigProblem.invalid(config.source(), key, topic, "a topic with at least " + needed
                        + " partitions (region " + highest + " uses partition " + (needed - 1) + "); it has "
                        + partitions.getAsInt()));
            }
        });
        return problems;
    }

    /**
     * Reads the three topics and checks them.
     *
     * @throws ConfigException       naming every topic that does not fit (exit code 2: nothing started)
     * @throws IllegalStateException when Kafka does not answer within {@code timeout}
     */
    public static Observed check(ShardworkConfig config, Duration timeout) {
        Observed observed = read(config, timeout);
        observed.partitions().forEach((topic, partitions) -> {
            if (partitions.isEmpty()) {
                org.slf4j.LoggerFactory.getLogger(TopicLayout.class).warn(
                        "Topic {} does not exist (yet): regions cannot write to it until it is created", topic);
            }
        });
        List<ConfigProblem> problems = problems(config, observed.partitions());
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return observed;
    }

    private static Observed read(ShardworkConfig config, Duration timeout) {
        List<String> topics = List.of(config.ordersTopic(), config.invoicesTopic(), config.deadLetterTopic());
        java.util.Properties settings = config.clients().admin();
        settings.put("bootstrap.servers", String.join(",", config.kafkaBootstrapServers()));
        settings.put("client.id", "shardwork-" + config.workerId() + "-topic-check");
        try (Admin admin = Admin.create(settings)) {
            Map<String, OptionalInt> partitions = new LinkedHashMap<>();
            for (var entry : admin.describeTopics(topics).topicNameValues().entrySet()) {
                try {
                    TopicDescription description = entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    partitions.put(entry.getKey(), OptionalInt.of(description.partitions().size()));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw new IllegalStateException("Cannot describe topic " + entry.getKey() + ": " + e.getCause(), e.getCause());
                    }
                    partitions.put(entry.getKey(), OptionalInt.empty());
                }
            }
            return new Observed(partitions, deadLetterMaxBytes(admin, config, partitions, timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the topics " + topics, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Cannot read the topics " + topics + " from Kafka at "
                    + String.join(",", config.kafkaBootstrapServers()) + " within " + timeout.toMillis() + " ms: " + e, e);
        }
    }

    /**
     * The dead-letter topic's max.message.bytes; Kafka's default when the topic does not exist or its
     * configuration may not be described (a principal without DescribeConfigs on it).
     */
    private static int deadLetterMaxBytes(Admin admin, ShardworkConfig config, Map<String, OptionalInt> partitions, Duration timeout)
            throws InterruptedException {
        if (partitions.get(config.deadLetterTopic()).isEmpty()) {
            return DEFAULT_MAX_MESSAGE_BYTES;
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, config.deadLetterTopic());
        try {
            Config described = admin.describeConfigs(List.of(resource)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(resource);
            ConfigEntry entry = described == null ? null : described.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return entry != null && entry.value() != null ? Integer.parseInt(entry.value()) : DEFAULT_MAX_MESSAGE_BYTES;
        } catch (ExecutionException | TimeoutException | NumberFormatException e) {
            org.slf4j.LoggerFactory.getLogger(TopicLayout.class).warn(
                    "Cannot read max.message.bytes of {} ({}); dead letters are cut to Kafka's default {}", config.deadLetterTopic(),
                    e.toString(), DEFAULT_MAX_MESSAGE_BYTES);
            return DEFAULT_MAX_MESSAGE_BYTES;
        }
    }
}
