package io.shardwork.assigner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.assigner.RandomAssignmentInputs.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Standbys in step 7 of {@link StickyWeightedAssigner} ({@link AssignmentInput#standbys}): a forced region goes to its
 * usable standby {@code s} when {@code excess(s) + weight <= excess(b) + H}, {@code b} the usual choice; a standby that
 * is drained, gone, excluded, in a disallowed zone or too loaded is not used; and the assigner's invariants hold with
 * random standbys.
 */
class StandbyPlacementTest {
    private static final int CASES = 400;
    private static final long BASE_SEED = Long.getLong("assigner.seed", 20_261_212L);

    private final StickyWeightedAssigner assigner = new StickyWeightedAssigner();

    /** a, b, c and d hold two regions of weight 1 each; d is gone. Without standbys r6 goes to a and r7 to b. */
    private static AssignmentInput dGone(Map<String, String> standbys) {
        return new AssignmentInput(
                List.of(new Member("a", "z", 1), new Member("b", "z", 1), new Member("c", "z", 1)),
                regions("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"),
                owners("r0", "a", "r1", "a", "r2", "b", "r3", "b", "r4", "c", "r5", "c", "r6", "d", "r7", "d"),
                AssignmentOptions.unlimited(), Map.of(), standbys);
    }

    @Test
    void aGoneMembersRegionsGoToTheirStandbysWhenThoseAreAmongTheLeastLoaded() {
        Assignment out = assigner.assign(dGone(Map.of("r6", "c", "r7", "b")));

        assertEquals(new Assignment(owners("r0", "a", "r1", "a", "r2", "b", "r3", "b", "r4", "c", "r5", "c", "r6", "c", "r7", "b"),
                List.of(new Move("r6", "d", "c", MoveReason.ORPHANED), new Move("r7", "d", "b", MoveReason.ORPHANED)),
                List.of()), out);
        assertNotEquals(out, assigner.assign(dGone(Map.of())), "without standbys r6 goes to a, the least loaded by id");
    }

    @Test
    void aStandbyThatIsDrainedGoneExcludedOrInADisallowedZoneIsNotUsed() {
        AssignmentInput withC = dGone(Map.of("r6", "c"));
        Map<String, AssignmentInput> unusable = new TreeMap<>();
        unusable.put("drained", withOptions(withC, new AssignmentOptions(Integer.MAX_VALUE, Set.of("c"))));
        unusable.put("gone", dGone(Map.of("r6", "e")));
        unusable.put("excluded", new AssignmentInput(withC.members(), withC.regions(), withC.previousOwners(), withC.options(),
                Map.of("r6", Set.of("c")), withC.standbys()));
        List<Region> r6OnlyInZ = new ArrayList<>(withC.regions());
        r6OnlyInZ.set(6, new Region("r6", 1, Set.of("z")));
        List<Member> cInY = List.of(new Member("a", "z", 1), new Member("b", "z", 1), new Member("c", "y", 1));
        unusable.put("disallowed zone", new AssignmentInput(cInY, r6OnlyInZ, withC.previousOwners(), withC.options(), Map.of(),
                withC.standbys()));
        unusable.forEach((why, in) -> {
            Assignment out = assigner.assign(in);
            assertEquals(assigner.assign(RandomAssignmentInputs.withStandbys(in, Map.of())), out, why + ": as without standbys");
            assertEquals("a", out.owners().get("r6"), why + ": r6 goes to the least loaded member by id");
        });
        assertEquals("c", assigner.assign(withC).owners().get("r6"), "a usable c gets r6");
    }

    /**
     * a holds 1, b 2, c 3 regions of weight 1 (H = 1); d is gone with r6, r7 and r8. c is too loaded for r6, which goes
     * to a; r7 then goes to a and r8 to b. Had c taken r6, r7 and r8 would both have gone to a, and balancing would
     * have moved r6 on to b: another result.
     */
    @Test
    void aStandbyMoreLoadedThanTheUsualChoicePlusTheSlackIsNotUsed() {
        AssignmentInput in = new AssignmentInput(
                List.of(new Member("a", "z", 1), new Member("b", "z", 1), new Member("c", "z", 1)),
                regions("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"),
                owners("r0", "a", "r1", "c", "r2", "b", "r3", "b", "r4", "c", "r5", "c", "r6", "d", "r7", "d", "r8", "d"),
                AssignmentOptions.unlimited(), Map.of(), Map.of("r6", "c"));

        assertEquals(List.of(new Move("r6", "d", "a", MoveReason.ORPHANED), new Move("r7", "d", "a", MoveReason.ORPHANED),
                new Move("r8", "d", "b", MoveReason.ORPHANED)), assigner.assign(in).moves());
    }

    @Test
    void aStandbyWithinTheHeaviestWeightOfTheUsualChoiceMinusTheRegionsWeightIsUsed() {
        // H = 10: b (load 5) may take o (weight 3) instead of c (load 1), since 5 + 3 <= 1 + 10; a (load 10) may not.
        List<Member> members = List.of(new Member("a", "z", 1), new Member("b", "z", 1), new Member("c", "z", 1));
        List<Region> regions = List.of(new Region("h", 10), new Region("p", 5), new Region("q", 1), new Region("o", 3));
        Map<String, String> previous = owners("h", "a", "p", "b", "q", "c", "o", "gone");
        AssignmentOptions options = AssignmentOptions.unlimited();

        assertEquals("b", assigner.assign(new AssignmentInput(members, regions, previous, options, Map.of(), Map.of("o", "b")))
                .owners().get("o"));
        assertEquals("c", assigner.assign(new AssignmentInput(members, regions, previous, options, Map.of(), Map.of("o", "a")))
                .owners().get("o"));
        assertEquals("c", assigner.assign(new AssignmentInput(members, regions, previous, options)).owners().get("o"));
    }

    /**
     * Over {@value #CASES} seeded random inputs of every shape, some small and medium ones with exclusions, each with random standbys (for a
     * random fraction of the regions, some drained, gone, excluded or in disallowed zones): ownership holds, and
     * without exclusions stickiness, and balance when there is no move limit; the result does not depend on the order of the lists; standbys
     * that name only gone members change nothing; after a member leaves, at a move limit of 0 only its regions move.
     * Standbys must make a difference somewhere: some forced region goes to its standby where it would not without.
     */
    @Test
    void theAssignersInvariantsHoldWithRandomStandbys() {
        int tookStandby = 0;
        for (int i = 0; i < CASES; i++) {
            long seed = RandomAssignmentInputs.caseSeed(BASE_SEED, i);
            Random random = new Random(seed);
            Shape shape = i % 3 == 0 ? Shape.ANY : i % 3 == 1 ? Shape.UNLIMITED : Shape.UNZONED_UNLIMITED;
            AssignmentInput plain = RandomAssignmentInputs.generate(seed, i, shape);
            // exclusions, as in RestartBackoffExclusionTest, only up to medium sizes: the exclusion path is slow on large ones
            boolean excluding = i % 4 == 0 && i % 100 != 0;
            if (excluding) {
                plain = RestartBackoffExclusionTest.withExclusions(plain, RestartBackoffExclusionTest.randomExclusions(plain, random));
            }
            AssignmentInput in = RandomAssignmentInputs.withStandbys(plain, RandomAssignmentInputs.randomStandbys(plain, random, -1));
            try {
                Assignment out = assigner.assign(in);
                AssignmentInvariants invariants = new AssignmentInvariants(in, out);
                invariants.checkOwnership();
                if (!excluding) { // the checker's stickiness and balance do not know about exclusions
                    invariants.checkStickiness();
                    if (shape != Shape.ANY) {
                        invariants.checkBalance();
                    }
                }
                assertEquals(out, assigner.assign(RandomAssignmentInputs.shuffled(in, random)), "after a shuffle");
                tookStandby += tookStandby(in, out, assigner.assign(plain));
                Map<String, String> gone = new HashMap<>();
                in.standbys().forEach((region, member) -> gone.put(region, "gone-" + member));
                assertEquals(assigner.assign(plain), assigner.assign(RandomAssignmentInputs.withStandbys(plain, gone)),
                        "standbys naming gone members only");
                checkLeaveMovesOnlyTheLeaversRegions(in, random);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("Case " + i + " with seed " + seed + " failed: " + e.getMessage() + "\nStandbys: "
                        + new TreeMap<>(in.standbys()) + "\nInput:\n" + AssignmentInvariants.dump(in, 300), e);
            }
        }
        System.out.printf("standby placement property: %d cases, %d forced regions went to their standby instead of"
                + " another member%n", CASES, tookStandby);
        assertTrue(tookStandby > CASES, "standbys changed where only " + tookStandby + " forced regions went");
    }

    /** How many forced regions went to their standby, and would have gone elsewhere without standbys. */
    private static int tookStandby(AssignmentInput in, Assignment with, Assignment without) {
        int count = 0;
        for (Move move : with.moves()) {
            String standby = in.standbys().get(move.region());
            boolean forced = move.reason() != MoveReason.BALANCE && move.reason() != MoveReason.CAPACITY;
            if (forced && move.to().equals(standby) && !standby.equals(without.owners().get(move.region()))) {
                count++;
            }
        }
        return count;
    }

    /** From the settled assignment, a random member leaves; at a move limit of 0 only its regions move. */
    private void checkLeaveMovesOnlyTheLeaversRegions(AssignmentInput in, Random random) {
        AssignmentInput round = withOptions(in, new AssignmentOptions(Integer.MAX_VALUE, in.options().drainedMembers()));
        for (int r = 0; r < 100; r++) {
            Assignment out = assigner.assign(round);
            if (out.moves().isEmpty()) {
                break;
            }
            round = new AssignmentInput(round.members(), round.regions(), out.owners(), round.options(), round.excludedMembers(),
                    round.standbys());
        }
        List<Member> remaining = new ArrayList<>(round.members());
        Member leaver = remaining.remove(random.nextInt(remaining.size()));
        AssignmentInput after = new AssignmentInput(remaining, round.regions(), round.previousOwners(),
                new AssignmentOptions(0, round.options().drainedMembers()), round.excludedMembers(), round.standbys());
        AssignmentInvariants invariants = new AssignmentInvariants(after, assigner.assign(after));
        invariants.checkOwnership();
        invariants.checkOnlyRegionsOf(leaver.id());
    }

    private static AssignmentInput withOptions(AssignmentInput in, AssignmentOptions options) {
        return new AssignmentInput(in.members(), in.regions(), in.previousOwners(), options, in.excludedMembers(), in.standbys());
    }

    static List<Region> regions(String... names) {
        List<Region> regions = new ArrayList<>();
        for (String name : names) {
            regions.add(new Region(name, 1));
        }
        return regions;
    }

    static TreeMap<String, String> owners(String... regionOwnerPairs) {
        TreeMap<String, String> owners = new TreeMap<>();
        for (int k = 0; k < regionOwnerPairs.length; k += 2) {
            owners.put(regionOwnerPairs[k], regionOwnerPairs[k + 1]);
        }
        return owners;
    }
}
