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
}
