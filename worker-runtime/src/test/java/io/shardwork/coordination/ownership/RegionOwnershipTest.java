package io.shardwork.coordination.ownership;

import static io.shardwork.coordination.ownership.OwnershipState.CLAIMING;
import static io.shardwork.coordination.ownership.OwnershipState.FENCED;
import static io.shardwork.coordination.ownership.OwnershipState.IDLE;
import static io.shardwork.coordination.ownership.OwnershipState.OWNED;
import static io.shardwork.coordination.ownership.OwnershipState.PAUSED;
import static io.shardwork.coordination.ownership.OwnershipState.RELEASING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardwork.coordination.ownership.OwnershipAction.Abandon;
import io.shardwork.coordination.ownership.OwnershipAction.AwaitClaimRelease;
import io.shardwork.coordination.ownership.OwnershipAction.Claim;
import io.shardwork.coordination.ownership.OwnershipAction.PauseWork;
import io.shardwork.coordination.ownership.OwnershipAction.Release;
import io.shardwork.coordination.ownership.OwnershipAction.ResumeWork;
import io.shardwork.coordination.ownership.OwnershipAction.StartWork;
import io.shardwork.coordination.ownership.OwnershipEvent.Assigned;
import io.shardwork.coordination.ownership.OwnershipEvent.ClaimBlocked;
import io.shardwork.coordination.ownership.OwnershipEvent.ClaimFreed;
import io.shardwork.coordination.ownership.OwnershipEvent.ClaimRejected;
import io.shardwork.coordination.ownership.OwnershipEvent.ClaimSucceeded;
import io.shardwork.coordination.ownership.OwnershipEvent.ConnectionSuspended;
import io.shardwork.coordination.ownership.OwnershipEvent.Fenced;
import io.shardwork.coordination.ownership.OwnershipEvent.Reconnected;
import io.shardwork.coordination.ownership.OwnershipEvent.ReleaseFinished;
import io.shardwork.coordination.ownership.OwnershipEvent.SessionLost;
import io.shardwork.coordination.ownership.OwnershipEvent.Unassigned;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per transition of {@link RegionOwnership}, each on whole values. */
class RegionOwnershipTest {
    private static final String R = "eu-west";

    private static RegionOwnership idle() {
        return RegionOwnership.idle(R);
    }

    private static RegionOwnership claiming(long generation) {
        return new RegionOwnership(R, CLAIMING, true, generation, 0);
    }

    private static RegionOwnership owned(long generation, long epoch) {
        return new RegionOwnership(R, OWNED, true, generation, epoch);
    }

    private static RegionOwnership paused(boolean assigned, long generation, long epoch) {
        return new RegionOwnership(R, PAUSED, assigned, generation, epoch);
    }

    private static RegionOwnership releasing(boolean assigned, long generation, long epoch) {
        return new RegionOwnership(R, RELEASING, assigned, generation, epoch);
    }

    private static RegionOwnership fenced() {
        return new RegionOwnership(R, FENCED, false, -1, 0);
    }

    private static Transition transition(RegionOwnership next, OwnershipAction... actions) {
        return new Transition(next, List.of(actions));
    }

    @Test
    void testIdleToClaimingOnAssigned() {
        assertEquals(transition(claiming(3), new Claim(3)), idle().on(new Assigned(3)));
    }

    @Test
    void testIdleStaysIdleOnUnassigned() {
        assertEquals(transition(idle()), idle().on(new Unassigned(3)));
    }

    @Test
    void testIdleIgnoresStaleClaimFreed() {
        assertEquals(transition(idle()), idle().on(new ClaimFreed()));
    }

    @Test
    void testClaimingToClaimingOnNewerAssigned() {
        assertEquals(transition(claiming(4), new Claim(4)), claiming(3).on(new Assigned(4)));
    }

    @Test
    void testClaimingToIdleOnUnassigned() {
        assertEquals(transition(idle()), claiming(3).on(new Unassigned(4)));
    }

    @Test
    void testClaimingToClaimingAwaitingReleaseOnClaimBlocked() {
        assertEquals(transition(claiming(3), new AwaitClaimRelease()), claiming(3).on(new ClaimBlocked()));
    }

    @Test
    void testClaimingRetriesClaimOnClaimFreed() {
        assertEquals(transition(claiming(3), new Claim(3)), claiming(3).on(new ClaimFreed()));
    }

    @Test
    void testClaimingToIdleOnClaimRejected() {
        assertEquals(transition(idle()), claiming(3).on(new ClaimRejected()));
    }

    @Test
    void testClaimingToOwnedOnClaimSucceeded() {
        assertEquals(transition(owned(3, 7), new StartWork(7)), claiming(3).on(new ClaimSucceeded(7)));
    }

    @Test
    void testClaimingRetriesClaimOnReconnected() {
        assertEquals(transition(claiming(3), new Claim(3)), claiming(3).on(new Reconnected(false)));
    }

    @Test
    void testClaimingToIdleOnSessionLost() {
        assertEquals(transition(idle()), claiming(3).on(new SessionLost()));
    }

    @Test
    void testOwnedToOwnedOnNewerAssigned() {
        assertEquals(transition(owned(4, 7)), owned(3, 7).on(new Assigned(4)));
    }

    @Test
    void testOwnedToReleasingOnUnassigned() {
        assertEquals(transition(releasing(false, -1, 7), new Release(7)), owned(3, 7).on(new Unassigned(4)));
    }

    @Test
    void testOwnedToPausedOnConnectionSuspended() {
        assertEquals(transition(paused(true, 3, 7), new PauseWork()), owned(3, 7).on(new ConnectionSuspended()));
    }

    @Test
    void testOwnedToFencedOnFenced() {
        assertEquals(transition(fenced(), new Abandon()), owned(3, 7).on(new Fenced()));
    }

    @Test
    void testOwnedToIdleOnSessionLost() {
        assertEquals(transition(idle(), new Abandon()), owned(3, 7).on(new SessionLost()));
    }

    @Test
    void testPausedToOwnedOnReconnectedWithClaim() {
        assertEquals(transition(owned(3, 7), new ResumeWork()), paused(true, 3, 7).on(new Reconnected(true)));
    }

    @Test
    void testPausedToReleasingOnReconnectedWithClaimAfterUnassigned() {
        assertEquals(transition(releasing(false, -1, 7), new ResumeWork(), new Release(7)),
                paused(false, -1, 7).on(new Reconnected(true)));
    }

    @Test
    void testPausedToFencedOnReconnectedWithoutClaim() {
        assertEquals(transition(fenced(), new Abandon()), paused(true, 3, 7).on(new Reconnected(false)));
    }

    @Test
    void testPausedRemembersUnassigned() {
        assertEquals(transition(paused(false, -1, 7)), paused(true, 3, 7).on(new Unassigned(4)));
    }

    @Test
    void testPausedRemembersAssigned() {
        assertEquals(transition(paused(true, 5, 7)), paused(false, -1, 7).on(new Assigned(5)));
    }

    @Test
    void testPausedToFencedOnFenced() {
        assertEquals(transition(fenced(), new Abandon()), paused(true, 3, 7).on(new Fenced()));
    }

    @Test
    void testPausedToIdleOnSessionLost() {
        assertEquals(transition(idle(), new Abandon()), paused(true, 3, 7).on(new SessionLost()));
    }

    @Test
    void testReleasingToIdleOnReleaseFinished() {
        assertEquals(transition(idle()), releasing(false, -1, 7).on(new ReleaseFinished()));
    }

    @Test
    void testReleasingToClaimingOnReleaseFinishedWhenAssignedAgain() {
        assertEquals(transition(claiming(5), new Claim(5)), releasing(true, 5, 7).on(new ReleaseFinished()));
    }

    @Test
    void testReleasingRemembersAssigned() {
        assertEquals(transition(releasing(true, 5, 7)), releasing(false, -1, 7).on(new Assigned(5)));
    }

    @Test
    void testReleasingToFencedOnFenced() {
        assertEquals(transition(fenced(), new Abandon()), releasing(false, -1, 7).on(new Fenced()));
    }

    @Test
    void testReleasingToIdleOnSessionLost() {
        assertEquals(transition(idle(), new Abandon()), releasing(false, -1, 7).on(new SessionLost()));
    }

    @Test
    void testFencedToClaimingOnAssigned() {
        assertEquals(transition(claiming(5), new Claim(5)), fenced().on(new Assigned(5)));
    }

    @Test
    void testFencedToIdleOnUnassigned() {
        assertEquals(transition(idle()), fenced().on(new Unassigned(5)));
    }

    @Test
    void testFencedIgnoresReconnected() {
        assertEquals(transition(fenced()), fenced().on(new Reconnected(true)));
    }
}
