package io.shardwork.coordination.ownership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class OwnershipWarmUpTest {

    /** The warm-up goes through a joiner's whole path, each step with the action the coordinator would carry out. */
    @Test
    void theWarmUpRunsAClaimThatWaitsForTheOldOwnerThenAReleaseAndEndsIdle() {
        List<Transition> path = OwnershipWarmUp.run();

        assertEquals(List.of(OwnershipState.CLAIMING, OwnershipState.CLAIMING, OwnershipState.CLAIMING,
                OwnershipState.OWNED, OwnershipState.RELEASING, OwnershipState.IDLE),
                path.stream().map(t -> t.next().state()).toList());
        assertEquals(List.of(List.of(new OwnershipAction.Claim(1)), List.of(new OwnershipAction.AwaitClaimRelease()),
                List.of(new OwnershipAction.Claim(1)), List.of(new OwnershipAction.StartWork(1)),
                List.of(new OwnershipAction.Release(1)), List.of()),
                path.stream().map(Transition::actions).toList());
    }
}
