package io.shardwork.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupAssignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka's {@link CooperativeStickyAssignor} driven the way a consumer group leader drives it: regions are
 * the partitions of one topic, members are consumers that report their owned partitions and generation.
 * A cooperative rebalance that moves partitions takes two rounds (revoke, then assign); {@link #rebalance}
 * runs the follow-up round so that the result is the final owner of every partition.
 */
final class KafkaStickyPeer {
    static final String TOPIC = "orders";

    private final Cluster cluster;

    KafkaStickyPeer(int partitions) {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> infos = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            infos.add(new PartitionInfo(TOPIC, p, node, new Node[] {node}, new Node[] {node}));
        }
        this.cluster = new Cluster("bench", List.of(node), infos, Set.of(), Set.of());
    }

    /**
     * One call of the assignor: every consumer subscribes to the topic and reports what it owns.
     *
     * @param consumers  the consumer ids
     * @param owned      partition to previous owner; may name consumers that are gone
     * @param generation the generation the owners report
     * @return partition to owner, as assigned by this call (revoked partitions are absent)
     */
    Map<Integer, String> assignOnce(List<String> consumers, Map<Integer, String> owned, int generation) {
        Map<String, List<TopicPartition>> ownedBy = new HashMap<>();
        owned.forEach((p, c) -> ownedBy.computeIfAbsent(c, k -> new ArrayList<>()).add(new TopicPartition(TOPIC, p)));
        Map<String, Subscription> subscriptions = new HashMap<>();
        for (String consumer : consumers) {
            subscriptions.put(consumer, new Subscription(List.of(TOPIC), null, ownedBy.getOrDefault(consumer, List.of()),
                    generation, Optional.empty()));
        }
        GroupAssignment result = new CooperativeStickyAssignor().assign(cluster, new GroupSubscription(subscriptions));
        Map<Integer, String> owners = new HashMap<>();
        result.groupAssignment().forEach((consumer, assignment) ->
                assignment.partitions().forEach(tp -> owners.put(tp.partition(), consumer)));
        return owners;
    }

    /** Rounds of {@link #assignOnce} until every partition has an owner (at most a few). */
    Map<Integer, String> rebalance(List<String> consumers, Map<Integer, String> owned, int generation, int partitions) {
        Map<Integer, String> owners = assignOnce(consumers, owned, generation);
        for (int round = 1; owners.size() < partitions && round < 5; round++) {
            owners = assignOnce(consumers, owners, generation + round);
        }
        if (owners.size() < partitions) {
            throw new IllegalStateException("Kafka's sticky assignor left " + (partitions - owners.size())
                    + " partitions without an owner after five rounds.");
        }
        return owners;
    }
}
