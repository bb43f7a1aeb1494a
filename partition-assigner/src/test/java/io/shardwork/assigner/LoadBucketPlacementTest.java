package io.shardwork.assigner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.assigner.RandomAssignmentInputs.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Step 7 on load buckets ({@link LoadLedger#placeByLoadBuckets}, the cold round's fast path) against the general
 * way, one region at a time through the ledger's heaps: the same assignment over seeded random inputs of every
 * shape (cold and warm, zones, drains, unequal capacities, exclusions, standbys, move limits); a cold round keeps the zone
 * rules and is balanced; the buckets hand out members by load, then index, like the heaps. A failure names the
 * case and its seed.
 */
class LoadBucketPlacementTest {
    private static final int CASES = 1_000;
    private static final long BASE_SEED = Long.getLong("assigner.seed", 20_261_205L);

    private final StickyWeightedAssigner byBuckets = new StickyWeightedAssigner(true);
    private final StickyWeightedAssigner oneAtATime = new StickyWeightedAssigner(false);

    @Test
    void placingOnLoadBucketsGivesTheSameAssignmentAsPlacingOneRegionAtATime() {
        for (int i = 0; i < CASES; i++) {
            long seed = RandomAssignmentInputs.caseSeed(BASE_SEED, i);
            AssignmentInput in = RandomAssignmentInputs.generate(seed, i, Shape.ANY);
            Random random = new Random(seed);
            List<AssignmentInput> variants = new ArrayList<>(List.of(in, cold(in)));
            if (i % 3 == 0) {
                variants.add(RestartBackoffExclusionTest.withExclusions(in, RestartBackoffExclusionTest.randomExclusions(in, random)));
                variants.add(RestartBackoffExclusionTest.withExclusions(cold(in), RestartBackoffExclusionTest.randomExclusions(in, random)));
            }
            if (i % 3 == 1) {
                // usable standbys turn the buckets off; unusable ones (gone, drained, disallowed) must not change the result
                variants.add(RandomAssignmentInputs.withStandbys(in, RandomAssignmentInputs.randomStandbys(in, random, -1)));
                variants.add(RandomAssignmentInputs.withStandbys(cold(in), RandomAssignmentInputs.randomStandbys(in, random, 0.05)));
            }
            int caseNumber = i;
            for (AssignmentInput variant : variants) {
                assertSame(oneAtATime.assign(variant), byBuckets.assign(variant), "case " + caseNumber + ", seed " + seed
                        + ", exclusions " + variant.excludedMembers() + "\nInput:\n" + AssignmentInvariants.dump(variant, 300));
            }
        }
    }

    @Test
    void aColdRoundKeepsTheZoneRulesAndIsBalanced() {
        for (int i = 0; i < CASES; i++) {
            long seed = RandomAssignmentInputs.caseSeed(BASE_SEED, i);
            AssignmentInput in = cold(RandomAssignmentInputs.generate(seed, i, i % 2 == 0 ? Shape.UNZONED_UNLIMITED : Shape.UNLIMITED));
            try {
                AssignmentInvariants invariants = new AssignmentInvariants(in, byBuckets.assign(in));
                invariants.checkOwnership();
                invariants.checkBalance();
            } catch (AssertionError e) {
                throw new AssertionError("case " + i + ", seed " + seed + ": " + e.getMessage() + "\nInput:\n"
                        + AssignmentInvariants.dump(in, 300), e);
            }
        }
    }

    /** The benchmark's size: 10,000 regions with skewed weights, 1,000 members of equal capacity, no previous owners. */
    @Test
    void aLargeColdRoundIsTheSameBothWaysAndBalanced() {
        long seed = RandomAssignmentInputs.caseSeed(BASE_SEED, -1);
        AssignmentInput in = RandomAssignmentInputs.generate(new Random(seed), 1_000, 10_000, Shape.UNZONED_UNLIMITED);
        in = cold(new AssignmentInput(in.members().stream().map(m -> new Member(m.id(), "z", 1)).toList(), in.regions(),
                Map.of(), in.options()));
        Assignment assignment = byBuckets.assign(in);
        assertSame(oneAtATime.assign(in), assignment, "seed " + seed);
        AssignmentInvariants invariants = new AssignmentInvariants(in, assignment);
        invariants.checkOwnership();
        invariants.checkBalance();
    }

    @Test
    void bucketsAreUsedOnlyWhenTheLeastLoadedMemberDoesNotDependOnTheLevel() {
        assertTrue(coldLedger(new int[] {1, 1, 1}, new long[] {5, 3, 200, 1}, Map.of()).placeByLoadBuckets(new int[] {2, 0, 1, 3}),
                "equal capacities, no exclusions");
        assertFalse(coldLedger(new int[] {1, 2, 1}, new long[] {5, 3, 200, 1}, Map.of()).placeByLoadBuckets(new int[] {2, 0, 1, 3}),
                "unequal capacities: the excess order depends on the level");
        assertFalse(coldLedger(new int[] {1, 1, 1}, new long[] {5, 3, 200, 1}, Map.of("r1", Set.of("m0")))
                .placeByLoadBuckets(new int[] {2, 0, 1, 3}), "a member excluded from a forced region");
        assertFalse(coldLedger(new int[] {1, 1, 1}, new long[] {5, 3, 1L << 40, 1}, Map.of()).placeByLoadBuckets(new int[] {2, 0, 1, 3}),
                "a region heavier than the buckets the round's size allows");
    }

    /** Random loads and weights: the buckets give the member of least load, ties by the smaller index, every time. */
    @Test
    void bucketsGiveTheLeastLoadedMemberThenTheSmallerIndex() {
        for (int round = 0; round < 200; round++) {
            long seed = RandomAssignmentInputs.caseSeed(BASE_SEED, round);
            Random random = new Random(seed);
            int count = 1 + random.nextInt(50);
            long heaviest = 1 + random.nextInt(30);
            long[] load = new long[count + 3];
            int[] members = new int[count];
            long least = Long.MAX_VALUE;
            long most = 0;
            for (int k = 0; k < count; k++) {
                members[k] = k + 3; // not the whole index range: other zones own indices 0..2
                load[k + 3] = random.nextInt(40);
                least = Math.min(least, load[k + 3]);
                most = Math.max(most, load[k + 3]);
            }
            LoadBuckets buckets = new LoadBuckets(members, load, (int) (most - least + heaviest + 1), new int[count + 3]);
            for (int step = 0; step < 500; step++) {
                int expected = members[0];
                for (int m : members) {
                    if (load[m] < load[expected] || (load[m] == load[expected] && m < expected)) {
                        expected = m;
                    }
                }
                assertEquals(expected, buckets.first(), "seed " + seed + ", step " + step + ", loads " + Arrays.toString(load));
                load[expected] += 1 + random.nextInt((int) heaviest);
                buckets.firstChanged();
            }
        }
    }

    /** A ledger with no previous owners, members m0.. in one zone, regions r0.. allowed anywhere, nothing kept yet. */
    private static LoadLedger coldLedger(int[] capacity, long[] weight, Map<String, Set<String>> excluded) {
        long total = Arrays.stream(weight).sum();
        long heaviest = Arrays.stream(weight).max().orElse(0);
        int[][] allowedZones = new int[weight.length][];
        int[] previousOwner = new int[weight.length];
        List<Region> regions = new ArrayList<>();
        for (int r = 0; r < weight.length; r++) {
            allowedZones[r] = new int[] {0};
            previousOwner[r] = LoadLedger.NONE;
            regions.add(new Region("r" + r, weight[r]));
        }
        Map<String, Integer> eligibleIndex = new java.util.HashMap<>();
        for (int m = 0; m < capacity.length; m++) {
            eligibleIndex.put("m" + m, m);
        }
        return new LoadLedger(new CapacityShare(total, Arrays.stream(capacity).sum(), heaviest), capacity, new int[capacity.length], 1,
                weight, allowedZones, previousOwner, Exclusions.of(excluded, regions, eligibleIndex));
    }

    /** Equal assignments, or a failure naming the first region whose owner or move differs (not both whole values). */
    private static void assertSame(Assignment expected, Assignment actual, String context) {
        if (expected.equals(actual)) {
            return;
        }
        for (Map.Entry<String, String> e : expected.owners().entrySet()) {
            assertEquals(e.getValue(), actual.owners().get(e.getKey()), "owner of " + e.getKey() + ", " + context);
        }
        assertEquals(expected.moves(), actual.moves(), "moves, " + context);
        assertEquals(expected, actual, context);
    }

    private static AssignmentInput cold(AssignmentInput in) {
        return new AssignmentInput(in.members(), in.regions(), Map.of(), in.options(), in.excludedMembers(), in.standbys());
    }
}
