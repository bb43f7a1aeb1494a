package io.shardwork.coordination.claim;

/** How a claim attempt ended. */
public sealed interface ClaimResult {
    /** The claim is ours under {@code epoch}. */
    record Succeeded(long epoch) implements ClaimResult { }

    /** Another claim exists on the region. */
    record Blocked() implements ClaimResult { }

    /** The assignment moved past the generation that named us. */
    record Rejected() implements ClaimResult { }
}
