package io.shardwork.coordination.ownership;

/** What the runtime must carry out after a transition, in list order. */
public sealed interface OwnershipAction {
    /** Try to claim the region for {@code generation}: if {@code /owners/r} exists, watch it; else one claim multi. */
    record Claim(long generation) implements OwnershipAction { }

    /** Watch {@code /owners/r} until it is deleted (then deliver ClaimFreed). */
    record AwaitClaimRelease() implements OwnershipAction { }

    /** Start the region's work under {@code epoch} from its checkpoint. */
    record StartWork(long epoch) implements OwnershipAction { }

    /** Pause the region's work (connection suspended). */
    record PauseWork() implements OwnershipAction { }

    /** Resume paused work. */
    record ResumeWork() implements OwnershipAction { }

    /** Stop the work, finish in-flight work, write the final checkpoint under {@code epoch}, delete the claim. */
    record Release(long epoch) implements OwnershipAction { }

    /** Stop the work at once, no checkpoint; delete the claim if it is still ours. */
    record Abandon() implements OwnershipAction { }
}
