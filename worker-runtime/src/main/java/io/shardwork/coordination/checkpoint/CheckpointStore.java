package io.shardwork.coordination.checkpoint;

import io.shardwork.layout.Checkpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
     * Writes the checkpoints of several regions, each under its own epoch, each with its own outcome: a region that
     * is fenced (its {@link #commit} would throw {@link FencedException}) is refused alone, the others are written.
     * Blocks; a store that can write them in one round trip does ({@link ZooKeeperCheckpointStore}: one multi),
     * by default they are written one after the other.
     *
     * @return the regions whose checkpoint was NOT written, each with why (a {@link FencedException} when fenced);
     *         every other region of {@code due} was written
     */
    default Map<String, Exception> commitAll(List<DueCheckpoint> due) {
        Map<String, Exception> failures = new LinkedHashMap<>();
        for (DueCheckpoint checkpoint : due) {
            try {
                commit(checkpoint.region(), checkpoint.epoch(), checkpoint.nextOffset());
            } catch (Exception e) {
                failures.put(checkpoint.region(), e);
            }
        }
        return failures;
    }
}
