package io.shardwork.runner;

/**
 * The port through which a {@link RegionRunner} records its progress for one region: in production a
 * fenced ZooKeeper write {@code check(/regions/r/epoch, epoch) + setData(/regions/r/checkpoint)}.
 * One instance per region run. Called on the runner's thread only, at most once per
 * {@code checkpoint.interval.ms} while orders flow and once on a graceful stop: ZooKeeper writes grow
 * with regions and time, never with orders.
 *
 * <p>By the time it is called, every effect of every order before {@code nextOffset} is durable
 * (acknowledged, or committed with the offset in exactly-once mode, where this write mirrors Kafka's
 * committed offset, the checkpoint of record).
 */
@FunctionalInterface
public interface CheckpointWriter {

    /**
     * Records that the region is done up to {@code nextOffset} (exclusive: the next order to process).
     * Blocks for the write.
     *
     * @throws RegionFencedException when {@code epoch} is no longer the region's epoch; the runner then
     *                               stops the region at once, without further effects
     * @throws RuntimeException      for a failure that says nothing about fencing (e.g. connection
     *                               loss): the runner keeps going and tries again at the next interval;
     *                               on a graceful stop it reports itself died instead of stopped
     */
    void commit(long epoch, long nextOffset) throws RegionFencedException;

    /**
     * The final checkpoint of a graceful stop, at {@code nextOffset}: by default written as {@link #commit} writes
     * it. A writer whose release writes it in the multi that deletes the region's claim only keeps it here (refusing
     * it as {@code commit} would when the run was given up), so the stop does not wait for a write of its own.
     */
    default void commitFinal(long epoch, long nextOffset) throws RegionFencedException {
        commit(epoch, nextOffset);
    }

    /**
     * The same record as {@link #commit}, without waiting for it: written within {@code within}, with the
     * checkpoints of the worker's other regions; {@code outcome} hears how it ended, on another thread. For
     * the periodic checkpoints: a refusal reaches the runner at its next checkpoint instead of at once, which
     * changes nothing of what the fence allows (every write is checked against the epoch whenever it is made).
     * This default writes at once, on the caller's thread.
     */
    default void post(long epoch, long nextOffset, java.time.Duration within, Outcome outcome) {
        try {
            commit(epoch, nextOffset);
            outcome.completed(null);
        } catch (RegionFencedException | RuntimeException e) {
            outcome.completed(e);
        }
    }

    /** How a posted checkpoint ended. */
    @FunctionalInterface
    interface Outcome {
        /** @param failure null when written; a {@link RegionFencedException} when refused as fenced; else what failed */
        void completed(Exception failure);
    }
}
