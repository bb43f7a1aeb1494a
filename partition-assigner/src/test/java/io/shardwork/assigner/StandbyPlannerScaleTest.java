package io.shardwork.assigner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardwork.assigner.RandomAssignmentInputs.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The planner at the leader's sizes, 10,000 regions x 1,000 members and 100,000 x 10,000, with the skewed weights of
 * {@link RandomAssignmentInputs}: once with equal capacities and one zone, once with three zones, a tenth of the regions
 * restricted to one and capacities 1 to 4. Over the whole plan rule 1 holds, and in the first kind, for two random
 * owners that leave, the next round gives their regions to their standbys.
 *
 * <p>It prints the planner's time, members and regions given in id and name order: the first call, then the least and
 * the median of {@value #TIMED} calls after {@value #WARM_UP} more. That is a measurement on whatever machine runs the
 * tests, not an assertion.
 */
class StandbyPlannerScaleTest {
    private static final int WARM_UP = 20;
    private static final int TIMED = 20;

    private final StandbyPlanner planner = new StandbyPlanner();
    private final StickyWeightedAssigner assigner = new StickyWeightedAssigner();

    @Test
    void tenThousandRegionsOnAThousandMembers() {
        check(1_000, 10_000);
    }

    @Test
    void aHundredThousandRegionsOnTenThousandMembers() {
        check(10_000, 100_000);
    }

    private void check(int memberCount, int regionCount) {
        Random random = new Random(RandomAssignmentInputs.caseSeed(20_261_214L, memberCount));
        AssignmentInput drawn = RandomAssignmentInputs.generate(random, memberCount, regionCount, Shape.UNZONED_UNLIMITED);
        List<Member> ids = new ArrayList<>(drawn.members());
        ids.sort(Comparator.comparing(Member::id));
        List<Region> names = new ArrayList<>(drawn.regions());
        names.sort(Comparator.comparing(Region::name));

        AssignmentInput plain = new AssignmentInput(ids.stream().map(m -> new Member(m.id(), "z", 1)).toList(),
                names.stream().map(r -> new Region(r.name(), r.weight())).toList(), drawn.previousOwners(), AssignmentOptions.unlimited());
        Map<String, String> owners = assigner.assign(plain).owners();
        Map<String, String> plan = timedPlan("one zone, equal capacities", plain, owners);
        new ReferenceStandbyPlan(plain, owners).checkCandidates(plan);
        List<String> owning = new ArrayList<>(new java.util.TreeSet<>(owners.values()));
        for (int k = 0; k < 2; k++) {
            String leaver = owning.get(random.nextInt(owning.size()));
            assertEquals(null, ReferenceStandbyPlan.takeoverMiss(assigner, plain, owners, plan, leaver, false));
        }

        List<Member> zonedMembers = new ArrayList<>();
        for (int m = 0; m < ids.size(); m++) {
            zonedMembers.add(new Member(ids.get(m).id(), "z" + m % 3, 1 + m % 4));
        }
        List<Region> zonedRegions = names.stream().map(r -> new Region(r.name(), r.weight(),
                random.nextInt(10) == 0 ? Set.of("z" + random.nextInt(3)) : Set.of())).toList();
        AssignmentInput zoned = new AssignmentInput(zonedMembers, zonedRegions, drawn.previousOwners(), AssignmentOptions.unlimited());
        Map<String, String> zonedOwners = assigner.assign(zoned).owners();
        new ReferenceStandbyPlan(zoned, zonedOwners).checkCandidates(timedPlan("three zones, capacities 1 to 4", zoned, zonedOwners));
    }

    private Map<String, String> timedPlan(String what, AssignmentInput in, Map<String, String> owners) {
        long[] nanos = new long[1 + WARM_UP + TIMED];
        Map<String, String> plan = null;
        for (int k = 0; k < nanos.length; k++) {
            long start = System.nanoTime();
            plan = planner.plan(in, owners);
            nanos[k] = System.nanoTime() - start;
        }
        long[] timed = Arrays.copyOfRange(nanos, 1 + WARM_UP, nanos.length);
        Arrays.sort(timed);
        System.out.printf("standby plan of %,d regions on %,d members (%s): first call %.1f ms, then least %.1f ms, median %.1f ms%n",
                in.regions().size(), in.members().size(), what, nanos[0] / 1e6, timed[0] / 1e6, timed[TIMED / 2] / 1e6);
        return plan;
    }
}
