package io.shardwork.coordination.worker;

/**
 * A region's work did not stop within its time ({@code shutdown.timeout.ms}) and was abandoned without a
 * final checkpoint: whatever its stuck thread still attempts is refused (no live claim, then a newer
 * epoch), and the region resumes from its last checkpoint at its next owner.
 */
public final class StopAbandonedException extends Exception {
    public StopAbandonedException(String message) {
        super(message);
    }
}
