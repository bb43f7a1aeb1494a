package io.shardwork.coordination.definition;

import io.shardwork.config.ShardworkConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The Kafka side of a definition: the orders, invoices and dead-letter topics must each have at least one
 * partition per region (a region reads and writes its own partition number). Kafka can add partitions,
 * never remove them. Blocks on Kafka up to the timeout per request. Close it.
 */
public final class DefinitionTopics implements AutoCloseable {
    private final Admin admin;
    private final Duration timeout;

    public DefinitionTopics(ShardworkConfig config, Duration timeout) {
        Properties props = config.clients().admin();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.kafkaBootstrapServers()));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        this.admin = Admin.create(props);
        this.timeout = timeout;
    }

    /** Topic name to partition count; a topic that does not exist is absent. */
    public Map<String, Integer> partitionCounts(List<String> topics) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (String topic : topics) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
                counts.put(topic, description.partitions().size());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        return counts;
    }

    /**
     * The problems of the topics for {@code regions} regions, one sentence each; with {@code create}, first
     * creates missing topics and adds partitions so that none remain.
     *
     * @return what was created or grown (when {@code create}) and the problems left
     */
    public Outcome check(List<String> topics, int regions, boolean create) throws Exception {
        return check(topics, regions, create, false);
    }

    /** {@link #check(List, int, boolean)}; with {@code dryRun}, says what {@code create} would do and does nothing. */
    public Outcome check(List<String> topics, int regions, boolean create, boolean dryRun) throws Exception {
        Map<String, Integer> counts = partitionCounts(topics);
        List<String> done = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String topic : topics) {
            Integer count = counts.get(topic);
            if (count != null && count >= regions) {
                continue;
            }
            if (!create) {
                problems.add(count == null
                        ? "topic " + topic + " does not exist (it needs " + regions + " partitions, one per region); use --create-topics"
                        : "topic " + topic + " has " + count + " partitions, fewer than the " + regions
                                + " regions (a region reads and writes its own partition); use --create-topics to add partitions");
                continue;
            }
            if (dryRun) {
                done.add(count == null ? "would create topic " + topic + " with " + regions + " partitions"
                        : "would add partitions to topic " + topic + ": " + count + " -> " + regions);
                continue;
            }
            if (count == null) {
                admin.createTopics(List.of(new NewTopic(topic, regions, (short) -1))).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                done.add("created topic " + topic + " with " + regions + " partitions");
            } else {
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(regions))).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                done.add("added partitions to topic " + topic + ": " + count + " -> " + regions);
            }
        }
        return new Outcome(done, problems);
    }

    /** The end offset of each partition of {@code topic} asked for; a missing topic gives 0 for each. */
    public Map<Integer, Long> endOffsets(String topic, List<Integer> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(new TopicPartition(topic, p), OffsetSpec.latest()));
        Map<Integer, Long> ends = new HashMap<>();
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result = admin.listOffsets(request).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            result.forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
            partitions.forEach(p -> ends.put(p, 0L));
        }
        return ends;
    }

    /** What {@link #check} did and what is still wrong. */
    public record Outcome(List<String> done, List<String> problems) {
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
