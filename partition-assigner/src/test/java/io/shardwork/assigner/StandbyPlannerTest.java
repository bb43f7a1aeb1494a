package io.shardwork.assigner;

import static io.shardwork.assigner.StandbyPlacementTest.owners;
import static io.shardwork.assigner.StandbyPlacementTest.regions;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One named example per rule of {@link StandbyPlanner}, each plan compared as a whole. */
class StandbyPlannerTest {
    private final StandbyPlanner planner = new StandbyPlanner();
    private final StickyWeightedAssigner assigner = new StickyWeightedAssigner();

    private static final List<Member> ABC = List.of(new Member("a", "z", 1), new Member("b", "z", 1), new Member("c", "z", 1));
    private static final Map<String, String> TWO_EACH = owners("r0", "a", "r1", "a", "r2", "b", "r3", "b", "r4", "c", "r5", "c");

    @Test
    void eachRegionsStandbyIsTheMemberItWouldGoToIfItsOwnerLeft() {
        AssignmentInput in = new AssignmentInput(ABC, regions("r0", "r1", "r2", "r3", "r4", "r5"), TWO_EACH, AssignmentOptions.unlimited());

        Map<String, String> plan = planner.plan(in, TWO_EACH);

        // a leaves: b and c hold 2 each; r0 goes to b (the smaller id), which then holds 3, so r1 goes to c
        assertEquals(owners("r0", "b", "r1", "c", "r2", "a", "r3", "c", "r4", "a", "r5", "b"), plan);
        AssignmentInput aLeft = new AssignmentInput(ABC.subList(1, 3), in.regions(), TWO_EACH, in.options(), Map.of(), plan);
        Assignment out = assigner.assign(aLeft);
        assertEquals(List.of("b", "c"), List.of(out.owners().get("r0"), out.owners().get("r1")));
    }

    @Test
    void aPreviousStandbyAmongTheTiedBestIsKeptAndOtherPreviousStandbysAreNot() {
        // r0: c ties with b, kept; r2: b is its owner; r5: a holds 3 by then (it gets r4), b only 2
        AssignmentInput in = new AssignmentInput(ABC, regions("r0", "r1", "r2", "r3", "r4", "r5"), TWO_EACH,
                AssignmentOptions.unlimited(), Map.of(), Map.of("r0", "c", "r2", "b", "r5", "a"));

        assertEquals(owners("r0", "c", "r1", "b", "r2", "a", "r3", "c", "r4", "a", "r5", "b"), planner.plan(in, TWO_EACH));
    }

    @Test
    void aStandbyIsAnEligibleMemberInAnAllowedZoneNotExcludedAndNotTheOwner() {
        List<Member> members = List.of(new Member("a", "z1", 1), new Member("b", "z2", 1), new Member("c", "z1", 1),
                new Member("d", "z1", 1));
        List<Region> regions = List.of(new Region("r0", 1, Set.of("z1")), new Region("r1", 1), new Region("r2", 1),
                new Region("r3", 1, Set.of("z9")), new Region("r4", 1), new Region("r5", 1), new Region("r6", 1));
        // r3 is unplaceable, r4's owner is gone, r5 has none, r6's owner c is drained: no standby for them
        Map<String, String> owners = owners("r0", "a", "r1", "a", "r2", "b", "r3", "a", "r4", "gone", "r6", "c");
        AssignmentInput in = new AssignmentInput(members, regions, owners, new AssignmentOptions(Integer.MAX_VALUE, Set.of("c")),
                Map.of("r1", Set.of("d")), Map.of());

        // r0 may only go to z1, where c is drained; d is excluded from r1; d holds nothing, so it takes r2
        assertEquals(owners("r0", "d", "r1", "b", "r2", "d"), planner.plan(in, owners));
    }

    @Test
    void unequalCapacitiesAreComparedByExcessAtTheLevelWithoutTheOwner() {
        // T = 8. m leaves: C' = 4, level 2, excess a = 2 - 2 = 0, b = 4 - 6 = -2: b, though it holds more.
        // b leaves: C' = 2, level 4, a and m both at -2: a, the smaller id.
        List<Member> members = List.of(new Member("a", "z", 1), new Member("b", "z", 3), new Member("m", "z", 1));
        List<Region> regions = List.of(new Region("a1", 2), new Region("b1", 4), new Region("m1", 2));
        Map<String, String> owners = owners("a1", "a", "b1", "b", "m1", "m");

        assertEquals(owners("a1", "b", "b1", "a", "m1", "b"),
                planner.plan(new AssignmentInput(members, regions, owners, AssignmentOptions.unlimited()), owners));
    }

    @Test
    void aLeaversRegionsArePlacedHeaviestFirstAndEachGrowsItsReceiver() {
        // a leaves: z-heavy (3) first, to b (load 1 -> 4); then a-light to c (2), not to b, as name order would have it
        List<Region> regions = List.of(new Region("a-light", 1), new Region("z-heavy", 3), new Region("b1", 1), new Region("c1", 2));
        Map<String, String> owners = owners("a-light", "a", "z-heavy", "a", "b1", "b", "c1", "c");

        assertEquals(owners("a-light", "c", "z-heavy", "b", "b1", "c", "c1", "b"),
                planner.plan(new AssignmentInput(ABC, regions, owners, AssignmentOptions.unlimited()), owners));
    }

    @Test
    void aSingleMemberHasNoStandbysAndNeitherHasARoundWithoutEligibleMembers() {
        List<Member> alone = List.of(new Member("a", "z", 1));
        Map<String, String> owners = owners("r0", "a", "r1", "a");

        assertEquals(Map.of(), planner.plan(new AssignmentInput(alone, regions("r0", "r1"), owners, AssignmentOptions.unlimited()), owners));
        assertEquals(Map.of(), planner.plan(new AssignmentInput(ABC, regions("r0", "r1"), owners,
                new AssignmentOptions(Integer.MAX_VALUE, Set.of("a", "b", "c"))), owners));
    }
}
