package io.shardwork.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;
import org.apache.kafka.coordinator.group.api.assignor.SubscriptionType;
import org.apache.kafka.coordinator.group.assignor.UniformAssignor;
import org.apache.kafka.coordinator.group.modern.Assignment;
import org.apache.kafka.coordinator.group.modern.GroupSpecImpl;
import org.apache.kafka.coordinator.group.modern.MemberSubscriptionAndAssignmentImpl;

/**
 * Kafka's server-side {@code uniform} assignor (the broker's default for the consumer protocol, KIP-848),
 * called in-process the way the group coordinator calls it: one topic whose partitions are the regions,
 * every member subscribed to it (a homogeneous group), each reporting its current target assignment.
 * One call gives the final owners: the coordinator revokes and assigns in the background.
 */
final class KafkaUniformPeer {
    private static final Uuid TOPIC = Uuid.fromString("c2hhcmR3b3JrLW9yZGVycw");

    private final int partitions;
    private final SubscribedTopicDescriber topics;

    KafkaUniformPeer(int partitions) {
        this.partitions = partitions;
        this.topics = new SubscribedTopicDescriber() {
            @Override
            public int numPartitions(Uuid topicId) {
                return topicId.equals(TOPIC) ? partitions : -1;
            }

            @Override
            public Set<String> racksForPartition(Uuid topicId, int partition) {
                return Set.of();
            }
        };
    }

    /**
     * @param members the member ids
     * @param owned   partition to current owner; may name members that are gone
     * @return partition to owner
     */
    Map<Integer, String> assign(List<String> members, Map<Integer, String> owned) {
        Map<String, Set<Integer>> ownedBy = new HashMap<>();
        Map<Integer, String> inverted = new HashMap<>();
        Set<String> live = new HashSet<>(members);
        owned.forEach((p, m) -> {
            if (live.contains(m)) {
                ownedBy.computeIfAbsent(m, k -> new HashSet<>()).add(p);
                inverted.put(p, m);
            }
        });
        Map<String, MemberSubscriptionAndAssignmentImpl> specs = new HashMap<>();
        for (String member : members) {
            Set<Integer> mine = ownedBy.get(member);
            Assignment current = mine == null ? Assignment.EMPTY : new Assignment(Map.of(TOPIC, mine));
            specs.put(member, new MemberSubscriptionAndAssignmentImpl(Optional.empty(), Optional.empty(), Set.of(TOPIC), current));
        }
        GroupAssignment result = new UniformAssignor().assign(
                new GroupSpecImpl(specs, SubscriptionType.HOMOGENEOUS, Map.of(TOPIC, inverted)), topics);
        Map<Integer, String> owners = new HashMap<>(partitions * 2);
        result.members().forEach((member, assignment) ->
                assignment.partitions().getOrDefault(TOPIC, Set.of()).forEach(p -> owners.put(p, member)));
        if (owners.size() != partitions) {
            throw new IllegalStateException("Kafka's uniform assignor placed " + owners.size() + " of " + partitions + " partitions.");
        }
        return owners;
    }
}
