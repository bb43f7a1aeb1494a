package io.shardwork.coordination.ownership;

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
import java.util.Objects;

/**
 * One worker's ownership of one region, as a PURE state machine: an immutable value; {@link #on} takes an
 * input and returns the next value plus the actions the runtime must carry out. No I/O, no clock, no threads.
 *
 * <p>Transitions (anything not listed leaves the value unchanged and asks for nothing: stale inputs,
 * such as a ClaimFreed after we were unassigned, are ignored):
 * <pre>
 * IDLE      + Assigned(g)            -> CLAIMING(g)    [Claim(g)]
 * CLAIMING  + Assigned(g')           -> CLAIMING(g')   [Claim(g')]
 * CLAIMING  + Unassigned             -> IDLE           []
 * CLAIMING  + ClaimBlocked           -> CLAIMING       [AwaitClaimRelease]
 * CLAIMING  + ClaimFreed             -> CLAIMING       [Claim(g)]
 * CLAIMING  + ClaimRejected          -> IDLE           []   (the newer generation arrives as its own input)
 * CLAIMING  + ClaimSucceeded(e)      -> OWNED(e)       [StartWork(e)]
 * CLAIMING  + Reconnected            -> CLAIMING       [Claim(g)]
 * OWNED     + Assigned(g')           -> OWNED(g')      []
 * OWNED     + Unassigned             -> RELEASING      [Release(e)]
 * OWNED     + ConnectionSuspended    -> PAUSED         [PauseWork]
 * OWNED     + Fenced                 -> FENCED         [Abandon]
 * PAUSED    + Reconnected(holds)     -> OWNED          [ResumeWork]        when still assigned
 * PAUSED    + Reconnected(holds)     -> RELEASING      [ResumeWork, Release(e)] when unassigned meanwhile
 * PAUSED    + Reconnected(lost)      -> FENCED         [Abandon]
 * PAUSED    + Unassigned             -> PAUSED         []   (remembered; acted on at reconnect)
 * RELEASING + ReleaseFinished        -> IDLE or CLAIMING(g) [Claim(g)] when assigned again meanwhile
 * RELEASING + Fenced                 -> FENCED         [Abandon]
 * FENCED    + Assigned(g)            -> CLAIMING(g)    [Claim(g)]
 * FENCED    + Unassigned             -> IDLE           []
 * any holder + SessionLost           -> IDLE           [Abandon]   (OWNED, PAUSED, RELEASING)
 * CLAIMING  + SessionLost            -> IDLE           []
 * </pre>
 *
 * @param region     the region
 * @param state      the state
 * @param assigned   whether the latest assignment names this worker
 * @param generation the latest generation that named this worker, or -1
 * @param epoch      the epoch of the claim held (OWNED, PAUSED, RELEASING), else 0
 */
public record RegionOwnership(String region, OwnershipState state, boolean assigned, long generation, long epoch) {
    public RegionOwnership {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(state, "state");
    }

    /** A region this worker knows nothing about yet. */
    public static RegionOwnership idle(String region) {
        return new RegionOwnership(region, OwnershipState.IDLE, false, -1, 0);
    }

    /** Whether the region's work may be running (a claim is held, possibly paused or being released). */
    public boolean holdsClaim() {
        return state == OwnershipState.OWNED || state == OwnershipState.PAUSED || state == OwnershipState.RELEASING;
    }

    /** The next value and actions for {@code event}. Pure. */
    public Transition on(OwnershipEvent event) {
        return switch (state) {
            case IDLE -> fromIdle(event);
            case CLAIMING -> fromClaiming(event);
            case OWNED -> fromOwned(event);
            case PAUSED -> fromPaused(event);
            case RELEASING -> fromReleasing(event);
            case FENCED -> fromFenced(event);
        };
    }

    private Transition fromIdle(OwnershipEvent event) {
        if (event instanceof Assigned a) {
            return go(new RegionOwnership(region, OwnershipState.CLAIMING, true, a.generation(), 0), new Claim(a.generation()));
        }
        if (event instanceof Unassigned) {
            return go(new RegionOwnership(region, OwnershipState.IDLE, false, -1, 0));
        }
        return stay();
    }

    private Transition fromClaiming(OwnershipEvent event) {
        if (event instanceof Assigned a) {
            return go(new RegionOwnership(region, OwnershipState.CLAIMING, true, a.generation(), 0), new Claim(a.generation()));
        }
        if (event instanceof Unassigned || event instanceof ClaimRejected || event instanceof SessionLost) {
            return go(idle(region));
        }
        if (event instanceof ClaimBlocked) {
            return go(this, new AwaitClaimRelease());
        }
        if (event instanceof ClaimFreed || event instanceof Reconnected) {
            return go(this, new Claim(generation));
        }
        if (event instanceof ClaimSucceeded s) {
            return go(new RegionOwnership(region, OwnershipState.OWNED, true, generation, s.epoch()), new StartWork(s.epoch()));
        }
        return stay();
    }

    private Transition fromOwned(OwnershipEvent event) {
        if (event instanceof Assigned a) {
            return go(new RegionOwnership(region, OwnershipState.OWNED, true, a.generation(), epoch));
        }
        if (event instanceof Unassigned) {
            return go(new RegionOwnership(region, OwnershipState.RELEASING, false, -1, epoch), new Release(epoch));
        }
        if (event instanceof ConnectionSuspended) {
            return go(new RegionOwnership(region, OwnershipState.PAUSED, assigned, generation, epoch), new PauseWork());
        }
        if (event instanceof Fenced) {
            return go(fenced(), new Abandon());
        }
        if (event instanceof SessionLost) {
            return go(idle(region), new Abandon());
        }
        return stay();
    }

    private Transition fromPaused(OwnershipEvent event) {
        if (event instanceof Assigned a) {
            return go(new RegionOwnership(region, OwnershipState.PAUSED, true, a.generation(), epoch));
        }
        if (event instanceof Unassigned) {
            return go(new RegionOwnership(region, OwnershipState.PAUSED, false, -1, epoch));
        }
        if (event instanceof Reconnected r) {
            if (!r.claimHolds()) {
                return go(fenced(), new Abandon());
            }
            if (assigned) {
                return go(new RegionOwnership(region, OwnershipState.OWNED, true, generation, epoch), new ResumeWork());
            }
            return go(new RegionOwnership(region, OwnershipState.RELEASING, false, -1, epoch), new ResumeWork(), new Release(epoch));
        }
        if (event instanceof Fenced) {
            return go(fenced(), new Abandon());
        }
        if (event instanceof SessionLost) {
            return go(idle(region), new Abandon());
        }
        return stay();
    }

    private Transition fromReleasing(OwnershipEvent event) {
        if (event instanceof Assigned a) {
            return go(new RegionOwnership(region, OwnershipState.RELEASING, true, a.generation(), epoch));
        }
        if (event instanceof Unassigned) {
            return go(new RegionOwnership(region, OwnershipState.RELEASING, false, -1, epoch));
        }
        if (event instanceof ReleaseFinished) {
            if (assigned) {
                return go(new RegionOwnership(region, OwnershipState.CLAIMING, true, generation, 0), new Claim(generation));
            }
            return go(idle(region));
        }
        if (event instanceof Fenced) {
            return go(fenced(), new Abandon());
        }
        if (event instanceof SessionLost) {
            return go(idle(region), new Abandon());
        }
        return stay();
    }

    private Transition fromFenced(OwnershipEvent event) {
        if (event instanceof Assigned a) {
            return go(new RegionOwnership(region, OwnershipState.CLAIMING, true, a.generation(), 0), new Claim(a.generation()));
        }
        if (event instanceof Unassigned || event instanceof SessionLost) {
            return go(idle(region));
        }
        return stay();
    }

    private RegionOwnership fenced() {
        return new RegionOwnership(region, OwnershipState.FENCED, false, -1, 0);
    }

    private Transition stay() {
        return new Transition(this, List.of());
    }

    private static Transition go(RegionOwnership next, OwnershipAction... actions) {
        return new Transition(next, List.of(actions));
    }
}
