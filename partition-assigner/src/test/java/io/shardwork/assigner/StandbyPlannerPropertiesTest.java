package io.shardwork.assigner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.assigner.RandomAssignmentInputs.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link StandbyPlanner} over seeded random inputs: the plan is the one its rules give, written out plainly
 * ({@link ReferenceStandbyPlan}), for inputs of every shape (zones, unequal weights and capacities, drained and gone
 * members, exclusions, previous standbys); rule 1 holds; the plan depends only on the content; a plan given back as
 * the previous standbys is kept; and the takeover property: with equal capacities and weights and no zones or
 * exclusions, whoever leaves, the next round gives each of its regions to its standby. A failure names the case and
 * its seed.
 */
class StandbyPlannerPropertiesTest {
    private static final int CASES = 600;
    private static final long BASE_SEED = Long.getLong("assigner.seed", 20_261_213L);

    private final StandbyPlanner planner = new StandbyPlanner();
    private final StickyWeightedAssigner assigner = new StickyWeightedAssigner();

    /** The planner against the plain rules; rule 1; order independence; a plan fed back as previous standbys is kept. */
    @Test
    void thePlanFollowsItsRulesForInputsOfEveryShape() {
        for (int i = 0; i < CASES; i++) {
            long seed = RandomAssignmentInputs.caseSeed(BASE_SEED, i);
            Random random = new Random(seed);
            AssignmentInput in = RandomAssignmentInputs.generate(seed, i, Shape.ANY);
            if (i % 3 == 0) {
                in = RestartBackoffExclusionTest.withExclusions(in, RestartBackoffExclusionTest.randomExclusions(in, random));
            }
            in = RandomAssignmentInputs.withStandbys(in, RandomAssignmentInputs.randomStandbys(in, random, -1));
            // the round's result, or (every 4th case) owners that name gone and drained members and leave regions out
            Map<String, String> owners = i % 4 == 3 ? in.previousOwners() : assigner.assign(in).owners();
            try {
                SortedMap<String, String> plan = planner.plan(in, owners);
                ReferenceStandbyPlan reference = new ReferenceStandbyPlan(in, owners);
                assertSamePlan(reference.plan(), plan, "the plan of the plain rules");
                reference.checkCandidates(plan);
                assertSamePlan(plan, planner.plan(RandomAssignmentInputs.shuffled(in, random), new HashMap<>(owners)), "after a shuffle");
                assertSamePlan(plan, planner.plan(RandomAssignmentInputs.withStandbys(in, plan), owners), "with itself as previous standbys");
            } catch (AssertionError | RuntimeException e) {
                throw failure(i, seed, in, e);
            }
        }
    }

    /**
     * The takeover property, for every owner (20 random ones when there are more), leaving or drained: over inputs with
     * equal capacities and no exclusions, a third with equal weights and no zones, a third with skewed weights, a third
     * with skewed weights and zone restrictions; with drained members, random previous standbys and move limits. It
     * must be able to fail: standbys chosen by a rule that ignores the simulation (the candidate of least id; the least
     * loaded candidate before the departure, for every region of the leaver) miss in some cases.
     */
    @Test
    void whoeverLeavesTheNextRoundGivesEachOfItsRegionsToItsStandby() {
        int checked = 0;
        int leastIdMisses = 0;
        int noGrowthMisses = 0;
        for (int i = 0; i < CASES; i++) {
            long seed = RandomAssignmentInputs.caseSeed(BASE_SEED, i);
            Random random = new Random(seed);
            // a third each: equal weights without zones, skewed weights without zones, skewed weights with zones
            Shape shape = i % 3 == 2 ? Shape.UNLIMITED : Shape.UNZONED_UNLIMITED;
            AssignmentInput in = equalCapacities(RandomAssignmentInputs.generate(seed, i, shape), i % 3 == 0, random);
            Map<String, String> owners = assigner.assign(in).owners();
            List<String> leavers = new ArrayList<>(new TreeMap<>(owners).values().stream().distinct().toList());
            Collections.shuffle(leavers, random);
            leavers = leavers.subList(0, Math.min(20, leavers.size()));
            if (leavers.isEmpty()) {
                continue;
            }
            try {
                SortedMap<String, String> plan = planner.plan(in, owners);
                SortedMap<String, String> leastId = otherPlan(in, owners, (region, candidates) -> candidates.get(0));
                SortedMap<String, String> noGrowth = otherPlan(in, owners, (region, candidates) -> leastLoaded(candidates, owners, in));
                boolean drain = i % 2 == 1;
                for (String leaver : leavers) {
                    String miss = ReferenceStandbyPlan.takeoverMiss(assigner, in, owners, plan, leaver, drain);
                    assertEquals(null, miss, "the planned standbys");
                    checked++;
                }
                leastIdMisses += ReferenceStandbyPlan.takeoverMiss(assigner, in, owners, leastId, leavers.get(0), drain) != null ? 1 : 0;
                noGrowthMisses += ReferenceStandbyPlan.takeoverMiss(assigner, in, owners, noGrowth, leavers.get(0), drain) != null ? 1 : 0;
            } catch (AssertionError | RuntimeException e) {
                throw failure(i, seed, in, e);
            }
        }
        System.out.printf("standby takeover property: %d leaves checked over %d cases; standbys by least id missed in %d cases,"
                + " by the least load before the departure in %d%n", checked, CASES, leastIdMisses, noGrowthMisses);
        assertTrue(leastIdMisses > 0 && noGrowthMisses > 0, "the property cannot tell the planner from plans that ignore"
                + " the simulation: " + leastIdMisses + " and " + noGrowthMisses + " misses");
    }

    /**
     * The same input with every capacity equal (a random common value), and if asked every weight equal too (zones are
     * kept, the shape decides them), maybe one more member drained, a random move limit and random previous standbys.
     */
    private static AssignmentInput equalCapacities(AssignmentInput in, boolean equalWeights, Random random) {
        int capacity = 1 + random.nextInt(3);
        long weight = 1 + random.nextInt(5);
        List<Member> members = in.members().stream().map(m -> new Member(m.id(), m.zone(), capacity)).toList();
        List<Region> regions = equalWeights ? in.regions().stream().map(r -> new Region(r.name(), weight, r.allowedZones())).toList()
                : in.regions();
        Set<String> drained = new HashSet<>(in.options().drainedMembers());
        if (random.nextInt(4) == 0 && members.size() > 2) {
            drained.add(members.get(random.nextInt(members.size())).id());
        }
        int limit = random.nextBoolean() ? Integer.MAX_VALUE : random.nextInt(5);
        AssignmentInput equal = new AssignmentInput(members, regions, in.previousOwners(), new AssignmentOptions(limit, drained));
        return RandomAssignmentInputs.withStandbys(equal, RandomAssignmentInputs.randomStandbys(equal, random, -1));
    }

    /** A plan that picks each owned region's standby among its candidates (rule 1 without exclusions, in id order) by another rule. */
    private static SortedMap<String, String> otherPlan(AssignmentInput in, Map<String, String> owners,
                                                       BiFunction<String, List<Member>, Member> pick) {
        Set<String> drained = in.options().drainedMembers();
        List<Member> eligible = new ArrayList<>(in.members().stream().filter(m -> !drained.contains(m.id())).toList());
        eligible.sort(java.util.Comparator.comparing(Member::id));
        Map<String, Region> regions = new HashMap<>();
        in.regions().forEach(r -> regions.put(r.name(), r));
        SortedMap<String, String> plan = new TreeMap<>();
        owners.forEach((region, owner) -> {
            List<Member> candidates = eligible.stream().filter(m -> !m.id().equals(owner) && regions.get(region).allows(m.zone())).toList();
            if (!candidates.isEmpty()) {
                plan.put(region, pick.apply(region, candidates).id());
            }
        });
        return plan;
    }

    /** The candidate of least load (equal capacities), ties by id: who would take the first region of a leaver. */
    private static Member leastLoaded(List<Member> candidates, Map<String, String> owners, AssignmentInput in) {
        Map<String, Long> weights = new HashMap<>();
        in.regions().forEach(r -> weights.put(r.name(), r.weight()));
        Map<String, Long> load = new HashMap<>();
        owners.forEach((region, id) -> load.merge(id, weights.get(region), Long::sum));
        Member best = candidates.get(0);
        for (Member m : candidates) {
            if (load.getOrDefault(m.id(), 0L) < load.getOrDefault(best.id(), 0L)) {
                best = m;
            }
        }
        return best;
    }

    @Test
    void aSingleEligibleMemberGetsNoStandbys() {
        for (int i = 0; i < 50; i++) {
            long seed = RandomAssignmentInputs.caseSeed(BASE_SEED, i);
            Random random = new Random(seed);
            AssignmentInput in = RandomAssignmentInputs.generate(random, 1 + random.nextInt(3), 1 + random.nextInt(50), Shape.ANY);
            Set<String> drained = new HashSet<>();
            in.members().subList(1, in.members().size()).forEach(m -> drained.add(m.id()));
            AssignmentInput alone = new AssignmentInput(in.members(), in.regions(), in.previousOwners(),
                    new AssignmentOptions(Integer.MAX_VALUE, drained), Map.of(), RandomAssignmentInputs.randomStandbys(in, random, 0.5));
            Assignment out = assigner.assign(alone);
            assertEquals(Map.of(), planner.plan(alone, out.owners()), "case " + i + ", seed " + seed);
        }
    }

    /** Equal plans, or a failure naming the first region whose standby differs (not both whole maps). */
    static void assertSamePlan(Map<String, String> expected, Map<String, String> actual, String context) {
        Set<String> regions = new java.util.TreeSet<>(expected.keySet());
        regions.addAll(actual.keySet());
        for (String region : regions) {
            assertEquals(expected.get(region), actual.get(region), context + ": the standby of " + region);
        }
        assertEquals(expected, actual, context);
    }

    private static AssertionError failure(int i, long seed, AssignmentInput in, Throwable e) {
        return new AssertionError("Case " + i + " with seed " + seed + " failed: " + e.getMessage() + "\nExclusions: "
                + new TreeMap<>(in.excludedMembers()) + "\nInput:\n" + AssignmentInvariants.dump(in, 300), e);
    }
}
