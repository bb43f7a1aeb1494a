package io.shardwork.coordination.claim;

import io.shardwork.layout.Checkpoint;
import java.util.Optional;

/** How a claim attempt ended. */
public sealed interface ClaimResult {
    /**
     * The claim is ours under {@code epoch}; {@code checkpoint} is the region's checkpoint as read with the
     * claim, current when the claim was made: no one can move it between that read and our claim (a
     * checkpoint write needs a live claim, and any claim made in between would have failed ours);
     * {@code checkpointVersion} is its znode version then (-1 when unknown), the version the first checkpoint
     * write of the run can be checked against without reading the node again.
     */
    record Succeeded(long epoch, Optional<Checkpoint> checkpoint, int checkpointVersion) implements ClaimResult {
        public Succeeded(long epoch) {
            this(epoch, Optional.empty(), -1);
        }
    }

    /**
     * Another claim exists on the region; {@code epochVersion} is the version of its epoch node read with it
     * (-1 when unknown). A release deletes the claim and leaves the epoch node alone, so once the blocking claim
     * is gone the region can be claimed with that version without reading it again ({@link RegionClaims#claimFreed}).
     */
    record Blocked(int epochVersion) implements ClaimResult {
        public Blocked() {
            this(-1);
        }
    }

    /** The assignment moved past the generation that named us. */
    record Rejected() implements ClaimResult { }
}
