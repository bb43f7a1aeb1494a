package io.shardwork.coordination.ownership;

/** An input of the ownership state machine. Generations are znode versions of {@code /assignment}. */
public sealed interface OwnershipEvent {
    /** The assignment of {@code generation} names this worker as the owner. */
    record Assigned(long generation) implements OwnershipEvent { }

    /** The assignment of {@code generation} does not name this worker. */
    record Unassigned(long generation) implements OwnershipEvent { }

    /** The claim multi succeeded; {@code epoch} is the new version of {@code /regions/r/epoch}. */
    record ClaimSucceeded(long epoch) implements OwnershipEvent { }

    /** Another claim exists on {@code /owners/r}. */
    record ClaimBlocked() implements OwnershipEvent { }

    /** The blocking claim was deleted (watch). */
    record ClaimFreed() implements OwnershipEvent { }

    /** The claim multi failed its check of {@code /assignment}: the generation moved on. */
    record ClaimRejected() implements OwnershipEvent { }

    /** The work stopped, the final checkpoint is written and the claim deleted. */
    record ReleaseFinished() implements OwnershipEvent { }

    /** A write under our epoch was refused. */
    record Fenced() implements OwnershipEvent { }

    /** The ZooKeeper connection is suspended. */
    record ConnectionSuspended() implements OwnershipEvent { }

    /** The connection is back; {@code claimHolds} when the same session still owns {@code /owners/r}. */
    record Reconnected(boolean claimHolds) implements OwnershipEvent { }

    /** The session expired: every ephemeral node of ours is gone or about to be. */
    record SessionLost() implements OwnershipEvent { }
}
