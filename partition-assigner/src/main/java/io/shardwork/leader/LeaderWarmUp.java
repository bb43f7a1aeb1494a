package io.shardwork.leader;

import io.shardwork.assigner.Assignment;
import io.shardwork.assigner.AssignmentInput;
import io.shardwork.assigner.AssignmentOptions;
import io.shardwork.assigner.AssignmentStrategy;
import io.shardwork.assigner.Member;
import io.shardwork.assigner.Region;
import io.shardwork.assigner.StandbyPlanner;
import io.shardwork.layout.AssignmentDocument;
import io.shardwork.layout.LayoutJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the leader's pure code (the strategy, the standby planner, the assignment document's JSON) on a made-up
 * cluster of this deployment's regions, members joining and leaving, each round with the standbys the last one
 * planned (as with {@code standby.replicas=1}), so that a worker that has never led runs compiled code in its
 * first term. That first round is on the takeover path when the leader's process died: interpreted, it took about
 * a tenth of a second on a busy 2-core machine. Without the standby path warmed, a new leader's first round spent
 * 7-26 ms computing 16 regions for 3 members (the supervised takeover benchmark's logs). Touches no ZooKeeper and
 * no shared state.
 */
final class LeaderWarmUp {
    static final int ROUNDS = 60;
    /**
     * The strategy classes already warmed in this JVM: compiled code is the JVM's, so a second candidate in one JVM
     * (tests, embedding applications, the throughput benchmark's worker per round) would only take CPU from its own
     * start, beside its first term.
     */
    private static final Set<Class<?>> WARMED = ConcurrentHashMap.newKeySet();

    private LeaderWarmUp() {
    }

    /** Whether {@code strategy}'s class is still to be warmed in this JVM: true once per class. */
    static boolean firstFor(AssignmentStrategy strategy) {
        return WARMED.add(strategy.getClass());
    }

    /** Blocks for the warm-up (a few tens of milliseconds of CPU, once). */
    static void run(AssignmentStrategy strategy, List<Region> regions) {
        List<Member> three = List.of(new Member("warm-up-a", "default", 1), new Member("warm-up-b", "default", 1),
                new Member("warm-up-c", "default", 1));
        Map<String, String> owners = Map.of();
        SortedMap<String, String> standbys = new TreeMap<>();
        StandbyPlanner planner = new StandbyPlanner();
        AssignmentDocument document = AssignmentDocument.initial(Instant.EPOCH);
        for (int round = 0; round < ROUNDS; round++) {
            List<Member> members = round % 3 == 2 ? three.subList(0, 2) : three;
            AssignmentInput input = new AssignmentInput(members, regions, owners,
                    new AssignmentOptions(round % 2 == 0 ? 0 : 8, Set.of()), Map.of(), standbys);
            Assignment result = strategy.assign(input);
            owners = result.owners();
            standbys = planner.plan(input, owners);
            document = LayoutJson.decode(LayoutJson.encode(document.next(1, Instant.EPOCH, new TreeMap<>(owners), List.of(),
                    List.of(), standbys)), AssignmentDocument.class);
        }
    }
}
