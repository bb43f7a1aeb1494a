package io.shardwork.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.assigner.AssignmentInput;
import io.shardwork.assigner.AssignmentStrategy;
import io.shardwork.assigner.Region;
import io.shardwork.assigner.StickyWeightedAssigner;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The warm-up drives the real strategy and the standby planner through joins and leaves of made-up members, feeding
 * each result (owners and standbys) back.
 */
class LeaderWarmUpTest {
    @Test
    void testTheStrategyRunsEveryRoundOnTheDeploymentsRegionsWithItsPreviousResult() {
        List<Region> regions = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            regions.add(new Region("r" + i, 1 + i % 3));
        }
        List<AssignmentInput> inputs = new ArrayList<>();
        AssignmentStrategy real = new StickyWeightedAssigner();
        LeaderWarmUp.run(input -> {
            inputs.add(input);
            return real.assign(input);
        }, regions);

        assertEquals(LeaderWarmUp.ROUNDS, inputs.size());
        assertTrue(inputs.stream().allMatch(input -> input.regions().equals(regions)), "always this deployment's regions");
        assertTrue(inputs.stream().anyMatch(input -> input.members().size() == 2)
                && inputs.stream().anyMatch(input -> input.members().size() == 3), "members leave and join");
        assertTrue(inputs.get(0).previousOwners().isEmpty());
        assertEquals(regions.size(), inputs.get(1).previousOwners().size(), "each round starts from the last result");
        assertTrue(inputs.get(0).standbys().isEmpty());
        for (int round = 1; round < inputs.size(); round++) {
            AssignmentInput input = inputs.get(round);
            assertEquals(regions.size(), input.standbys().size(),
                    "round " + round + " has the standbys the last one planned, so the standby path runs warm too");
            input.standbys().forEach((region, standby) -> assertTrue(!standby.equals(input.previousOwners().get(region)),
                    region + "'s standby is not its owner"));
        }
    }

    @Test
    void aStrategyClassIsWarmedOncePerJvm() {
        class Own implements AssignmentStrategy { // a class of this test's alone
            @Override
            public io.shardwork.assigner.Assignment assign(AssignmentInput input) {
                return new StickyWeightedAssigner().assign(input);
            }
        }
        assertTrue(LeaderWarmUp.firstFor(new Own()));
        assertFalse(LeaderWarmUp.firstFor(new Own()), "another instance of a warmed class");
        assertFalse(LeaderWarmUp.firstFor(new Own()));
    }
}
