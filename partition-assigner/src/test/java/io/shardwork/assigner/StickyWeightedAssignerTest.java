package io.shardwork.assigner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** One named example per move reason and rule, each compared as a whole value. */
class StickyWeightedAssignerTest {
    private final StickyWeightedAssigner assigner = new StickyWeightedAssigner();

    @Test
    void testOrphanedRegionsGoHeaviestFirstToTheLeastLoadedMember() {
        AssignmentInput in = new AssignmentInput(
                List.of(new Member("b", "z1", 1), new Member("a", "z1", 1)),
                List.of(new Region("r3", 1), new Region("r1", 3), new Region("r2", 2)),
                Map.of(), AssignmentOptions.unlimited());

        Assignment expected = new Assignment(owners("r1", "a", "r2", "b", "r3", "b"),
                List.of(new Move("r1", null, "a", MoveReason.ORPHANED),
                        new Move("r2", null, "b", MoveReason.ORPHANED),
                        new Move("r3", null, "b", MoveReason.ORPHANED)),
                List.of());
        assertEquals(expected, assigner.assign(in));
    }

    @Test
    void testRegionsOfAGoneOwnerAreOrphanedEvenAtAMoveLimitOfZero() {
        AssignmentInput in = new AssignmentInput(
                List.of(new Member("a", "z1", 1), new Member("b", "z1", 1)),
                List.of(new Region("r1", 1), new Region("r2", 1), new Region("r3", 1), new Region("r4", 1), new Region("r5", 1)),
                Map.of("r1", "a", "r2", "a", "r3", "a", "r4", "a", "r5", "gone"),
                new AssignmentOptions(0, Set.of()));

        Assignment expected = new Assignment(owners("r1", "a", "r2", "a", "r3", "a", "r4", "a", "r5", "b"),
                List.of(new Move("r5", "gone", "b", MoveReason.ORPHANED)),
                List.of());
        assertEquals(expected, assigner.assign(in));
    }

    @Test
    void testRegionsOfADrainedOwnerMove() {
        AssignmentInput in = new AssignmentInput(
                List.of(new Member("a", "z1", 1), new Member("b", "z1", 1), new Member("c", "z1", 1)),
                List.of(new Region("r1", 1), new Region("r2", 1), new Region("r3", 1)),
                Map.of("r1", "a", "r2", "b", "r3", "c"),
                new AssignmentOptions(0, Set.of("c")));

        Assignment expected = new Assignment(owners("r1", "a", "r2", "b", "r3", "a"),
                List.of(new Move("r3", "c", "a", MoveReason.DRAIN)),
                List.of());
        assertEquals(expected, assigner.assign(in));
    }

    @Test
    void testRegionLeavesAnOwnerWhoseZoneIsNoLongerAllowed() {
        AssignmentInput in = new AssignmentInput(
                List.of(new Member("a", "eu", 1), new Member("b", "us", 1)),
                List.of(new Region("r1", 1, Set.of("us")), new Region("r2", 1)),
                Map.of("r1", "a", "r2", "a"),
                new AssignmentOptions(0, Set.of()));

        Assignment expected = new Assignment(owners("r1", "b", "r2", "a"),
                List.of(new Move("r1", "a", "b", MoveReason.ZONE)),
                List.of());
        assertEquals(expected, assigner.assign(in));
    }

    @Test
    void testJoiningMemberReceivesABalanceMove() {
        AssignmentInput in = new AssignmentInput(
                List.of(new Member("a", "z1", 1), new Member("b", "z1", 1), new Member("c", "z1", 1)),
                List.of(new Region("r1", 1), new Region("r2", 1), new Region("r3", 1), new Region("r4", 1)),
                Map.of("r1", "a", "r2", "a", "r3", "b", "r4", "b"),
                AssignmentOptions.unlimited());

        Assignment expected = new Assignment(owners("r1", "c", "r2", "a", "r3", "b", "r4", "b"),
                List.of(new Move("r1", "a", "c", MoveReason.BALANCE)),
                List.of());
        assertEquals(expected, assigner.assign(in));
    }

    /**
     * r0 (9) outweighs the plain share 13 / 3 and pins a; the level of the others is (13 - 9) / 2 = 2, so b
     * (4) is above its share and fills the joiner c up to it, although b is below the plain share.
     */
    @Test
    void testJoinerIsFilledToItsShareBesideAnOversizedRegion() {
        AssignmentInput in = new AssignmentInput(
                List.of(new Member("a", "z1", 1), new Member("b", "z1", 1), new Member("c", "z1", 1)),
                List.of(new Region("r0", 9), new Region("r1", 1), new Region("r2", 1), new Region("r3", 1), new Region("r4", 1)),
                Map.of("r0", "a", "r1", "b", "r2", "b", "r3", "b", "r4", "b"),
                AssignmentOptions.unlimited());

        Assignment expected = new Assignment(owners("r0", "a", "r1", "c", "r2", "c", "r3", "b", "r4", "b"),
                List.of(new Move("r1", "b", "c", MoveReason.BALANCE),
                        new Move("r2", "b", "c", MoveReason.BALANCE)),
                List.of());
        assertEquals(expected, assigner.assign(in));
    }

    @Test
    void testOwnerAboveItsCapacityShareGivesUpACapacityMove() {
        AssignmentInput in = new AssignmentInput(
                List.of(new Member("a", "z1", 1), new Member("b", "z1", 3)),
                List.of(new Region("r1", 1), new Region("r2", 1), new Region("r3", 1),
                        new Region("r4", 1), new Region("r5", 1), new Region("r6", 1)),
                Map.of("r1", "a", "r2", "a", "r3", "a", "r4", "b", "r5", "b", "r6", "b"),
                AssignmentOptions.unlimited());

        Assignment expected = new Assignment(owners("r1", "b", "r2", "a", "r3", "a", "r4", "b", "r5", "b", "r6", "b"),
                List.of(new Move("r1", "a", "b", MoveReason.CAPACITY)),
                List.of());
        assertEquals(expected, assigner.assign(in));
    }

    @Test
    void testBalancingStopsAtTheMoveLimit() {
        AssignmentInput in = new AssignmentInput(
                List.of(new Member("a", "z1", 1), new Member("b", "z1", 1)),
                List.of(new Region("r1", 1), new Region("r2", 1), new Region("r3", 1), new Region("r4", 1)),
                Map.of("r1", "a", "r2", "a", "r3", "a", "r4", "a"),
                new AssignmentOptions(1, Set.of()));

        Assignment expected = new Assignment(owners("r1", "b", "r2", "a", "r3", "a", "r4", "a"),
                List.of(new Move("r1", "a", "b", MoveReason.CAPACITY)),
                List.of());
        assertEquals(expected, assigner.assign(in));
    }

    @Test
    void testRegionWithoutALiveMemberInItsZonesIsUnplaceable() {
        AssignmentInput in = new AssignmentInput(
                List.of(new Member("a", "us", 1), new Member("b", "eu", 1)),
                List.of(new Region("r1", 1, Set.of("eu")), new Region("r2", 1)),
                Map.of("r1", "b"),
                new AssignmentOptions(Integer.MAX_VALUE, Set.of("b")));

        Assignment expected = new Assignment(owners("r2", "a"),
                List.of(new Move("r2", null, "a", MoveReason.ORPHANED)),
                List.of(new Unplaceable("r1",
                        "Region r1 may only be processed in zones [eu], and no live, non-drained member runs in any of them.")));
        assertEquals(expected, assigner.assign(in));
    }

    @Test
    void testNoMembersLeavesEveryRegionUnplaceable() {
        AssignmentInput in = new AssignmentInput(List.of(), List.of(new Region("r1", 1)), Map.of("r1", "gone"),
                AssignmentOptions.unlimited());

        Assignment expected = new Assignment(new TreeMap<>(), List.of(),
                List.of(new Unplaceable("r1", "Region r1 cannot be placed because there is no live, non-drained member.")));
        assertEquals(expected, assigner.assign(in));
    }

    @Test
    void testDuplicateMemberIdsAreRejectedWithASentence() {
        AssignmentInput in = new AssignmentInput(
                List.of(new Member("a", "z1", 1), new Member("a", "z2", 2)), List.of(new Region("r1", 1)),
                Map.of(), AssignmentOptions.unlimited());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> assigner.assign(in));
        assertEquals("The assignment input lists the member id a more than once; each member id must be unique.", e.getMessage());
    }

    @Test
    void testDuplicateRegionNamesAreRejectedWithASentence() {
        AssignmentInput in = new AssignmentInput(
                List.of(new Member("a", "z1", 1)), List.of(new Region("r2", 1), new Region("r1", 1), new Region("r2", 5)),
                Map.of(), AssignmentOptions.unlimited());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> assigner.assign(in));
        assertEquals("The assignment input lists the region name r2 more than once; each region name must be unique.", e.getMessage());
    }

    private static TreeMap<String, String> owners(String... regionThenOwner) {
        TreeMap<String, String> owners = new TreeMap<>();
        for (int i = 0; i < regionThenOwner.length; i += 2) {
            owners.put(regionThenOwner[i], regionThenOwner[i + 1]);
        }
        return owners;
    }
}
