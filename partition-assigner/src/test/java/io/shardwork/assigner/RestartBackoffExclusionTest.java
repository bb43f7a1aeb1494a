package io.shardwork.assigner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Restart backoff in the assigner ({@link AssignmentInput#excludedMembers}, step 5 of
 * {@link StickyWeightedAssigner}): a member excluded from a region gives it up when another eligible member in an
 * allowed zone may take it, keeps it otherwise, and is no candidate when the region is placed.
 */
class RestartBackoffExclusionTest {
    private static final int CASES = 400;
    private static final long BASE_SEED = Long.getLong("assigner.seed", 20_261_205L);

    private final StickyWeightedAssigner assigner = new StickyWeightedAssigner();

    @Test
    void anExcludedOwnerWithAPeerLosesTheRegionForRestartBackoffAndNothingElseMoves() {
        AssignmentInput in = new AssignmentInput(
                List.of(new Member("a", "z", 1), new Member("b", "z", 1)),
                regions("r0", "r1", "r2", "r3"),
                Map.of("r0", "a", "r1", "a", "r2", "b", "r3", "b"),
                AssignmentOptions.unlimited(),
                Map.of("r0", Set.of("a")));

        assertEquals(new Assignment(owners("r0", "b", "r1", "a", "r2", "b", "r3", "b"),
                List.of(new Move("r0", "a", "b", MoveReason.RESTART_BACKOFF)), List.of()), assigner.assign(in));
    }

    @Test
    void anExcludedSoleMemberKeepsTheRegion() {
        AssignmentInput in = new AssignmentInput(List.of(new Member("a", "z", 1)), regions("r0", "r1"),
                Map.of("r0", "a", "r1", "a"), AssignmentOptions.unlimited(), Map.of("r0", Set.of("a")));

        assertEquals(new Assignment(owners("r0", "a", "r1", "a"), List.of(), List.of()), assigner.assign(in));
    }

    @Test
    void whenEveryMemberIsExcludedTheOwnerKeepsTheRegion() {
        AssignmentInput in = new AssignmentInput(List.of(new Member("a", "z", 1), new Member("b", "z", 1)), regions("r0", "r1"),
                Map.of("r0", "a", "r1", "b"), AssignmentOptions.unlimited(), Map.of("r0", Set.of("a", "b")));

        assertEquals(new Assignment(owners("r0", "a", "r1", "b"), List.of(), List.of()), assigner.assign(in));
    }

    @Test
    void theRegionGoesOnlyToAMemberOfItsAllowedZones() {
        Region onlyZ1 = new Region("r0", 1, Set.of("z1"));
        Region alsoOnlyZ1 = new Region("r1", 1, Set.of("z1"));
        AssignmentInput in = new AssignmentInput(
                List.of(new Member("a", "z1", 1), new Member("b", "z1", 1), new Member("c", "z2", 1)),
                List.of(onlyZ1, alsoOnlyZ1), Map.of("r0", "a", "r1", "b"), AssignmentOptions.unlimited(), Map.of("r0", Set.of("a")));

        assertEquals(new Assignment(owners("r0", "b", "r1", "b"), List.of(new Move("r0", "a", "b", MoveReason.RESTART_BACKOFF)),
                List.of()), assigner.assign(in), "c holds nothing but runs in z2");
    }

    @Test
    void anExcludedOwnerKeepsTheRegionWhenNoOtherMemberRunsInItsZones() {
        AssignmentInput in = new AssignmentInput(List.of(new Member("a", "z1", 1), new Member("b", "z2", 1)),
                List.of(new Region("r0", 1, Set.of("z1")), new Region("r1", 1)), Map.of("r0", "a", "r1", "b"),
                AssignmentOptions.unlimited(), Map.of("r0", Set.of("a")));

        assertEquals(new Assignment(owners("r0", "a", "r1", "b"), List.of(), List.of()), assigner.assign(in));
    }

    @Test
    void anOrphanedRegionIsNotPlacedOnAnExcludedMemberEvenTheLeastLoaded() {
        AssignmentInput in = new AssignmentInput(List.of(new Member("a", "z", 1), new Member("b", "z", 1)),
                regions("r0", "r1", "r2"), Map.of("r0", "gone", "r1", "b", "r2", "b"), AssignmentOptions.unlimited(),
                Map.of("r0", Set.of("a")));

        Assignment out = assigner.assign(in);

        assertEquals("b", out.owners().get("r0"), out.toString());
        assertEquals(new Move("r0", "gone", "b", MoveReason.ORPHANED), out.moves().get(0));
    }

    @Test
    void aDrainedOrLaggingPeerIsNoAlternative() {
        AssignmentInput in = new AssignmentInput(List.of(new Member("a", "z", 1), new Member("b", "z", 1)), regions("r0"),
                Map.of("r0", "a"), new AssignmentOptions(Integer.MAX_VALUE, Set.of("b")), Map.of("r0", Set.of("a")));

        assertEquals(new Assignment(owners("r0", "a"), List.of(), List.of()), assigner.assign(in));
    }

    /**
     * Over {@value #CASES} seeded random clusters (zones, drains, gone owners, move limits; exclusions of owners, of
     * random members and of every member of a region): the ownership rules hold with exclusions
     * ({@link AssignmentInvariants#checkOwnership}: one allowed owner per placeable region, no excluded owner while an
     * eligible member in an allowed zone is not excluded, RESTART_BACKOFF exactly for those); and compared with the
     * same round without exclusions, a region no member is excluded from moves only if it moves there too, or by
     * a balancing move (BALANCE or CAPACITY) that evens out the load the exclusions shifted; with a move limit of 0
     * only if it moves there too.
     */
    @Test
    void excludedMembersNeverKeepARegionAnotherMemberMayTakeAndNothingUnrelatedMoves() {
        int unrelatedBalancing = 0;
        int excludedMoves = 0;
        for (int i = 0; i < CASES; i++) {
            long seed = RandomAssignmentInputs.caseSeed(BASE_SEED, i);
            Random random = new Random(seed);
            int[] size = i % 10 == 0 ? new int[] {1 + random.nextInt(100), 1 + random.nextInt(1_000)}
                    : new int[] {1 + random.nextInt(12), 1 + random.nextInt(120)};
            AssignmentInput plain = RandomAssignmentInputs.generate(random, size[0], size[1], RandomAssignmentInputs.Shape.ANY);
            AssignmentInput excluded = withExclusions(plain, randomExclusions(plain, random));
            try {
                Assignment with = assigner.assign(excluded);
                new AssignmentInvariants(excluded, with).checkOwnership();
                excludedMoves += (int) with.moves().stream().filter(m -> m.reason() == MoveReason.RESTART_BACKOFF).count();
                unrelatedBalancing += checkNoUnrelatedMoves(excluded, with, assigner.assign(plain), false);
                AssignmentOptions noBalancing = new AssignmentOptions(0, plain.options().drainedMembers());
                AssignmentInput plainSettling = new AssignmentInput(plain.members(), plain.regions(), plain.previousOwners(), noBalancing);
                AssignmentInput excludedSettling = withExclusions(plainSettling, excluded.excludedMembers());
                Assignment settling = assigner.assign(excludedSettling);
                new AssignmentInvariants(excludedSettling, settling).checkOwnership();
                checkNoUnrelatedMoves(excludedSettling, settling, assigner.assign(plainSettling), true);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("Case " + i + " with seed " + seed + " failed: " + e.getMessage() + "\nExclusions: "
                        + new TreeMap<>(excluded.excludedMembers()) + "\nInput:\n" + AssignmentInvariants.dump(plain, 300), e);
            }
        }
        System.out.printf("restart backoff property: %d cases, %d RESTART_BACKOFF moves, %d balancing moves of unrelated regions%n",
                CASES, excludedMoves, unrelatedBalancing);
    }

    /** @return how many regions without exclusions moved by balancing only because of the exclusions */
    private static int checkNoUnrelatedMoves(AssignmentInput in, Assignment with, Assignment without, boolean strict) {
        Set<String> movedWithout = new HashSet<>();
        without.moves().forEach(m -> movedWithout.add(m.region()));
        int unrelated = 0;
        for (Move move : with.moves()) {
            if (in.excludedMembers().containsKey(move.region()) || movedWithout.contains(move.region())) {
                continue;
            }
            boolean balancing = move.reason() == MoveReason.BALANCE || move.reason() == MoveReason.CAPACITY;
            if (strict || !balancing) {
                throw new AssertionError("region " + move.region() + ", which no member is excluded from, moved " + move
                        + " though it does not move without exclusions");
            }
            unrelated++;
        }
        return unrelated;
    }

    /**
     * Some regions (1 to 5, or about a tenth) get excluded members: their previous owner (the usual case: its run of
     * the region hung), a random member, or every member.
     */
    static Map<String, Set<String>> randomExclusions(AssignmentInput in, Random random) {
        List<Region> regions = new ArrayList<>(in.regions());
        regions.sort(java.util.Comparator.comparing(Region::name));
        int count = random.nextBoolean() ? 1 + random.nextInt(5) : Math.max(1, regions.size() / 10);
        Map<String, Set<String>> excluded = new HashMap<>();
        for (int k = 0; k < count; k++) {
            Region r = regions.get(random.nextInt(regions.size()));
            Set<String> ids = excluded.computeIfAbsent(r.name(), name -> new TreeSet<>());
            int kind = random.nextInt(6);
            if (kind == 0) {
                in.members().forEach(m -> ids.add(m.id()));
            } else if (kind == 1) {
                ids.add(in.members().get(random.nextInt(in.members().size())).id());
            } else {
                String owner = in.previousOwners().get(r.name());
                ids.add(owner != null ? owner : in.members().get(random.nextInt(in.members().size())).id());
            }
        }
        return excluded;
    }

    static AssignmentInput withExclusions(AssignmentInput in, Map<String, Set<String>> excluded) {
        return new AssignmentInput(in.members(), in.regions(), in.previousOwners(), in.options(), excluded);
    }

    private static List<Region> regions(String... names) {
        List<Region> regions = new ArrayList<>();
        for (String name : names) {
            regions.add(new Region(name, 1));
        }
        return regions;
    }

    private static TreeMap<String, String> owners(String... regionOwnerPairs) {
        TreeMap<String, String> owners = new TreeMap<>();
        for (int k = 0; k < regionOwnerPairs.length; k += 2) {
            owners.put(regionOwnerPairs[k], regionOwnerPairs[k + 1]);
        }
        return owners;
    }
}
