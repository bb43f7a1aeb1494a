package io.shardwork.coordination.checkpoint;

import io.shardwork.layout.Checkpoint;
import java.time.Duration;
import java.util.Optional;

/** Where a region's progress is kept. Implementations are thread-safe. */
public interface CheckpointStore {
    /** The last checkpoint of {@code region}, empty when none was ever written. Blocks on the store. */
    Optional<Checkpoint> read(String region) throws Exception;

    /**
     * Records that every order of {@code region} before {@code nextOffset} is done, only if the claim of
     * {@code epoch} is still live. Blocks for one round trip; not retried.
     *
     * @throws FencedException when the claim of {@code epoch} is gone or superseded: stop the region at once
     */
    void commit(String region, long epoch, long nextOffset) throws FencedException, Exception;

    /**
     * The same record as {@link #commit}, without waiting for it: the store writes it within {@code within},
     * together with what the worker's other regions post meanwhile, and tells {@code outcome} on a thread of its
     * own. A later post of the same region and epoch still waiting replaces it (its outcome is never called);
     * so does a {@link #commit} of the same region and epoch. This default writes at once, on the caller's thread.
     */
    default void post(String region, long epoch, long nextOffset, Duration within, Outcome outcome) {
        try {
            commit(region, epoch, nextOffset);
            outcome.completed(null);
        } catch (Exception e) {
            outcome.completed(e);
        }
    }

    /** How a posted checkpoint ended. */
    @FunctionalInterface
    interface Outcome {
        /** @param failure null when written; a {@link FencedException} when refused as fenced; else what failed */
        void completed(Exception failure);
    }
}
