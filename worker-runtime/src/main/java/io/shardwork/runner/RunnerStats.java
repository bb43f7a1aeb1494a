package io.shardwork.runner;

/**
 * A snapshot of one runner's counters. Counts are since this runner started.
 *
 * @param processed            orders done (handled, or dead-lettered)
 * @param failedAttempts       handler calls that threw (each retry counts)
 * @param handlerErrors        of those, calls that threw a {@link java.lang.Error}
 * @param deadLettered         orders sent to the dead-letter topic (unparseable or failing)
 * @param fencedWritesRejected checkpoints or transactions refused because the epoch is no longer current
 * @param checkpoints          checkpoints written
 * @param checkpointFailures   checkpoint writes that failed for another reason (retried later)
 * @param startOffset          where this run started, -1 before it knows
 * @param nextOffset           the next order to process
 * @param checkpointedOffset   the offset of the last checkpoint written by this run, -1 if none yet
 * @param durableOffset        every order of this run below it is done for good: its effects written and its position
 *                             kept. At least once, the checkpointed offset; exactly once, the offset committed with the
 *                             last transaction (Kafka's committed offset is the checkpoint of record there, the
 *                             ZooKeeper checkpoint mirrors it up to a fifth of an interval later), -1 if none yet
 * @param lag                  orders behind the end of the partition at the last fetch, -1 when unknown
 * @param holding              the runner thread is holding still after {@link RegionRunner#pause()}: no order is in progress
 * @param fromStandby          this run took the decoder memory this worker kept while it stood by for the region
 *                             ({@code standby.replicas}) instead of reading the partition back
 */
public record RunnerStats(String region, long epoch, RunnerState state, long processed, long failedAttempts,
                          long handlerErrors, long deadLettered, long fencedWritesRejected, long checkpoints,
                          long checkpointFailures, long startOffset, long nextOffset, long checkpointedOffset,
                          long durableOffset, long lag, boolean holding, boolean fromStandby) {
}
