package io.shardwork.assigner;

/** Why a region changed owner (or got its first owner). */
public enum MoveReason {
    /** The previous owner is gone, or the region never had one. */
    ORPHANED,
    /** Moved to even out load between members. */
    BALANCE,
    /** The previous owner is drained by an operator. */
    DRAIN,
    /** The previous owner's zone is not allowed for the region any more. */
    ZONE,
    /** The previous owner holds more than its capacity share. */
    CAPACITY,
    /**
     * The previous owner is excluded from the region (its run of the region hung or kept dying there, see
     * {@link AssignmentInput#excludedMembers}) and another eligible member may hold it.
     */
    RESTART_BACKOFF;

    /** The lower-case wire name, as written in the audit trail. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
