package io.shardwork.assigner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.assigner.RandomAssignmentInputs.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The assigner's properties over seeded random inputs, all checked by {@link AssignmentInvariants}.
 *
 * <p>Each property runs {@value #CASES} cases: mostly small, every 10th medium, every 100th large, case 0
 * at the top sizes (500 members, 5,000 regions). A failure names the case number and its seed, and
 * dumps the input. To rerun one case: {@code -Dassigner.case=<n> -Dassigner.caseSeed=<seed>}; to draw
 * a different set of cases: {@code -Dassigner.seed=<base>}.
 */
class StickyWeightedAssignerPropertiesTest {
    static final int CASES = 1_000;
    private static final long BASE_SEED = Long.getLong("assigner.seed", 20_261_126L);

    private final StickyWeightedAssigner assigner = new StickyWeightedAssigner();

    @Test
    void everyPlaceableRegionHasExactlyOneAllowedOwner() {
        int checked = forEachCase("ownership", i -> Shape.ANY, (i, random, in) ->
                new AssignmentInvariants(in, assigner.assign(in)).checkOwnership());
        assertEquals(expectedCases(), checked);
    }

    @Test
    void loadIsBalancedWhenTheLimitIsNotBinding() {
        int checked = forEachCase("balance", i -> i % 2 == 0 ? Shape.UNZONED_UNLIMITED : Shape.UNLIMITED, (i, random, in) -> {
            AssignmentInvariants invariants = new AssignmentInvariants(in, assigner.assign(in));
            invariants.checkOwnership();
            invariants.checkBalance();
        });
        assertEquals(expectedCases(), checked);
    }

    @Test
    void regionsOfOwnersWithinTheirShareStayPut() {
        int checked = forEachCase("stickiness", i -> Shape.ANY, (i, random, in) ->
                new AssignmentInvariants(in, assigner.assign(in)).checkStickiness());
        assertEquals(expectedCases(), checked);
    }

    /**
     * Only the leaver's regions move when capacities are equal and no zone restricts a region, and always
     * when the round may make no balancing move. With unequal capacities or zones the shares of the others
     * shift unequally when a member leaves, and restoring the balance bound may take a few balancing moves:
     * then every other move must be BALANCE or CAPACITY and the result balanced. With equal capacities the
     * level may still rise enough for a member that held nothing (more members than regions can fill) to take
     * a region a pinned member holds beside its pinning one; that is the only other move allowed there.
     */
    @Test
    void whenOneMemberLeavesOnlyItsRegionsMove() {
        int checked = forEachCase("leave", i -> Shape.UNLIMITED, (i, random, in) -> {
            AssignmentInput stable = stable(in);
            List<Member> remaining = new ArrayList<>(stable.members());
            Member leaver = remaining.remove(random.nextInt(remaining.size()));
            AssignmentInput after = new AssignmentInput(remaining, stable.regions(), stable.previousOwners(), stable.options());
            AssignmentInvariants invariants = new AssignmentInvariants(after, assigner.assign(after));
            invariants.checkOwnership();
            invariants.checkBalance();
            if (invariants.hasEqualCapacities() && !invariants.hasZoneRestrictions()) {
                invariants.checkOnlyRegionsOfOrIdleFills(leaver.id());
            }
            AssignmentInput noBalancing = withOptions(after, new AssignmentOptions(0, after.options().drainedMembers()));
            AssignmentInvariants withoutBalancing = new AssignmentInvariants(noBalancing, assigner.assign(noBalancing));
            withoutBalancing.checkOwnership();
            withoutBalancing.checkOnlyRegionsOf(leaver.id());
        });
        assertEquals(expectedCases(), checked);
    }

    @Test
    void whenOneMemberJoinsAtMostItsShareAndOneRegionMove() {
        int checked = forEachCase("join", i -> Shape.UNLIMITED, (i, random, in) -> {
            AssignmentInvariants invariants = afterJoin(in, random);
            invariants.checkOwnership();
            invariants.checkBalance();
            invariants.checkJoinMovedWeight(JOINER);
        });
        assertEquals(expectedCases(), checked);
    }

    /**
     * A joiner receives load close to its corrected share, also when regions heavier than the plain share
     * pin other members (the share is water-filled, see {@link AssignmentInvariants#scaledShare}).
     */
    @Test
    void whenOneMemberJoinsItReceivesCloseToItsShare() {
        int checked = forEachCase("joiner load", i -> Shape.UNZONED_UNLIMITED, (i, random, in) -> {
            AssignmentInvariants invariants = afterJoin(in, random);
            invariants.checkOwnership();
            invariants.checkJoinerLoad(JOINER);
            invariants.checkJoinMovedWeight(JOINER);
        });
        assertEquals(expectedCases(), checked);
    }

    private static final String JOINER = "joiner";

    /** A stable assignment of the input, then one member like a random other one joins it. */
    private AssignmentInvariants afterJoin(AssignmentInput in, Random random) {
        AssignmentInput stable = stable(in);
        List<Member> members = new ArrayList<>(stable.members());
        Member model = members.get(random.nextInt(members.size()));
        members.add(random.nextInt(members.size() + 1), new Member(JOINER, model.zone(), model.capacity()));
        AssignmentInput after = new AssignmentInput(members, stable.regions(), stable.previousOwners(), stable.options());
        return new AssignmentInvariants(after, assigner.assign(after));
    }

    @Test
    void sameInputInAnyOrderGivesTheSameAssignment() {
        int checked = forEachCase("determinism", i -> Shape.ANY, (i, random, in) -> {
            Assignment expected = assigner.assign(in);
            assertEquals(expected, assigner.assign(RandomAssignmentInputs.shuffled(in, random)), "after a shuffle");
            assertEquals(expected, assigner.assign(in), "on a second call");
        });
        assertEquals(expectedCases(), checked);
    }

    @Test
    void limitedRoundsConvergeToBalanceThenMoveNothing() {
        int checked = forEachCase("convergence", i -> Shape.UNLIMITED, (i, random, in) -> {
            int limit = Math.max(1 + random.nextInt(10), in.regions().size() / 10);
            AssignmentInput round = withOptions(in, new AssignmentOptions(limit, in.options().drainedMembers()));
            int rounds = 0;
            while (true) {
                Assignment out = assigner.assign(round);
                AssignmentInvariants invariants = new AssignmentInvariants(round, out);
                invariants.checkOwnership();
                invariants.checkStickiness();
                if (out.moves().isEmpty()) {
                    invariants.checkBalance();
                    break;
                }
                assertTrue(++rounds <= in.regions().size() + 2, "no convergence after " + rounds + " rounds of limit " + limit);
                round = withPrevious(round, out.owners());
            }
            AssignmentInput unlimited = withOptions(round, new AssignmentOptions(Integer.MAX_VALUE, in.options().drainedMembers()));
            assertEquals(List.of(), assigner.assign(unlimited).moves(), "a converged assignment must be a fixed point without a limit");
        });
        assertEquals(expectedCases(), checked);
    }

    /** Runs rounds without a limit until nothing moves; the result's input has that assignment as previous. */
    private AssignmentInput stable(AssignmentInput in) {
        AssignmentInput round = withOptions(in, new AssignmentOptions(Integer.MAX_VALUE, in.options().drainedMembers()));
        for (int r = 0; r < 1_000; r++) {
            Assignment out = assigner.assign(round);
            if (out.moves().isEmpty()) {
                return round;
            }
            round = withPrevious(round, out.owners());
        }
        throw new AssertionError("no stable assignment after 1000 rounds");
    }

    private static AssignmentInput withPrevious(AssignmentInput in, Map<String, String> owners) {
        return new AssignmentInput(in.members(), in.regions(), owners, in.options());
    }

    private static AssignmentInput withOptions(AssignmentInput in, AssignmentOptions options) {
        return new AssignmentInput(in.members(), in.regions(), in.previousOwners(), options);
    }

    @FunctionalInterface
    interface CaseCheck {
        void check(int caseNumber, Random random, AssignmentInput input);
    }

    private static int expectedCases() {
        return System.getProperty("assigner.case") != null ? 1 : CASES;
    }

    /** Runs the check over every case, or the one named by -Dassigner.case and -Dassigner.caseSeed. */
    private static int forEachCase(String property, IntFunction<Shape> shape, CaseCheck check) {
        String only = System.getProperty("assigner.case");
        int from = only == null ? 0 : Integer.parseInt(only);
        int to = only == null ? CASES : from + 1;
        int checked = 0;
        for (int i = from; i < to; i++) {
            long seed = only == null ? RandomAssignmentInputs.caseSeed(BASE_SEED, i) : Long.getLong("assigner.caseSeed");
            AssignmentInput in = RandomAssignmentInputs.generate(seed, i, shape.apply(i));
            try {
                check.check(i, new Random(seed ^ 0x5DEECE66DL), in);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("Property " + property + " failed for case " + i + " with seed " + seed
                        + " (rerun with -Dassigner.case=" + i + " -Dassigner.caseSeed=" + seed + "): " + e.getMessage()
                        + "\nInput:\n" + AssignmentInvariants.dump(in, 300), e);
            }
            checked++;
        }
        return checked;
    }
}
