package io.shardwork.coordination.ownership;

/** Where one worker stands with one region. */
public enum OwnershipState {
    /** Not assigned here, or assigned and nothing held yet without an attempt in flight. */
    IDLE,
    /** Assigned here; waiting for the previous claim to disappear, or claiming. */
    CLAIMING,
    /** Claim held under an epoch; the region's work runs. */
    OWNED,
    /** Claim held (as far as we know) but the connection is suspended; work is paused. */
    PAUSED,
    /** Unassigned while owned; the work is being stopped, the final checkpoint written, the claim deleted. */
    RELEASING,
    /** A write under our epoch was refused, or the claim was lost: the work was abandoned. */
    FENCED
}
