package io.shardwork.coordination.worker;

import java.time.Instant;

/**
 * Hears every claim and release of this worker, on the coordinator's event thread; must not block.
 * {@code claimed} is called after the claim multi succeeded and before the work starts; {@code released}
 * after the work stopped (or was abandoned) and before the claim node is deleted, so the intervals of one
 * region never overlap between workers that learn of their loss before ZooKeeper deletes their claim.
 */
public interface OwnershipListener {
    /**
     * {@code region} was assigned to this worker under {@code generation} and it starts claiming it (the region
     * entered CLAIMING; the claim may still wait for the previous owner's release). On the event thread; must
     * not block. Metrics time a claim from here to {@link #claimed}.
     */
    default void claiming(String region, String workerId, long generation, Instant at) {
    }

    void claimed(String region, String workerId, long epoch, Instant at);

    /**
     * @param graceful true for a planned release (final checkpoint written), false when abandoned
     */
    void released(String region, String workerId, long epoch, Instant at, boolean graceful);

    /**
     * A checkpoint of {@code region} under {@code epoch} was accepted; {@code checkpointVersion} is the new
     * znode version of {@code /regions/r/checkpoint}, i.e. ZooKeeper's order of all accepted checkpoints of
     * the region. Called on the committing thread; must not block.
     */
    default void checkpointed(String region, String workerId, long epoch, long offset, int checkpointVersion) {
    }

    /**
     * The final checkpoint of {@code region}'s release under {@code epoch}, which the coordinator writes with the
     * claim's deletion, was refused as fenced: the region was claimed again meanwhile. On the event thread; must
     * not block. (A runner's own checkpoints refused are told where they are written.)
     */
    default void finalCheckpointFenced(String region, String workerId, long epoch) {
    }

    OwnershipListener NONE = new OwnershipListener() {
        @Override
        public void claimed(String region, String workerId, long epoch, Instant at) {
        }

        @Override
        public void released(String region, String workerId, long epoch, Instant at, boolean graceful) {
        }
    };
}
