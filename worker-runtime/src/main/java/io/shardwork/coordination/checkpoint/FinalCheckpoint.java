package io.shardwork.coordination.checkpoint;

import io.shardwork.layout.Checkpoint;
import org.apache.zookeeper.Op;

/**
 * A region's final checkpoint prepared to go into the multi that deletes its claim (a graceful release,
 * {@code RegionClaims#releaseWithCheckpoints}): the next owner finds the checkpoint and the free region in the same ZooKeeper
 * transaction, one round trip after the work stopped instead of two. {@link #write} is the setData of the
 * checkpoint node against the version this worker last read or wrote; the release multi fences it with its own
 * ops around it, the check of the epoch before and the deletion of the claim after (which fails without one), so
 * it is as fenced as every checkpoint {@link ZooKeeperCheckpointStore} writes. Built by
 * {@link ZooKeeperCheckpointStore#prepareFinal}; once the multi went through,
 * {@link ZooKeeperCheckpointStore#finalWritten} records it.
 */
public record FinalCheckpoint(String region, long epoch, long nextOffset, Checkpoint checkpoint, Op write) {
}
