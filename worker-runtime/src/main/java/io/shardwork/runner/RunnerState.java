package io.shardwork.runner;

/** Where a {@link RegionRunner} is in its one-way life. */
public enum RunnerState {
    /** Constructed, not started. */
    NEW,
    /** Started: opening its clients, then fetching and handling orders (also while paused). */
    RUNNING,
    /** {@link RegionRunner#stop()} was called: finishing the current order, then the final checkpoint. */
    STOPPING,
    /** Ended gracefully with a final checkpoint. */
    STOPPED,
    /** Ended by {@link RegionRunner#abandon()}: no checkpoint, no commit. */
    ABANDONED,
    /** Ended because the epoch was rejected (checkpoint store or producer). */
    FENCED,
    /** Ended by an unexpected failure. */
    DIED;

    public boolean terminal() {
        return this == STOPPED || this == ABANDONED || this == FENCED || this == DIED;
    }
}
