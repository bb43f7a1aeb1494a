package io.shardwork.coordination.checkpoint;

import io.shardwork.layout.Checkpoint;
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
}
