package io.shardwork.history;

import io.shardwork.coordination.checkpoint.CheckpointStore;
import io.shardwork.coordination.checkpoint.FencedException;
import io.shardwork.layout.Checkpoint;
import java.util.Optional;

/**
 * A {@link CheckpointStore} that records every checkpoint the store refuses as fenced in the ownership
 * history, then rethrows. Accepted checkpoints are recorded by the store's own audit (the
 * {@code checkpointed} callback of the ownership listener), which knows the znode version.
 */
public final class HistoryCheckpointStore implements CheckpointStore {
    private final CheckpointStore store;
    private final HistoryRecorder history;
    private final String workerId;

    public HistoryCheckpointStore(CheckpointStore store, HistoryRecorder history, String workerId) {
        this.store = store;
        this.history = history;
        this.workerId = workerId;
    }

    @Override
    public Optional<Checkpoint> read(String region) throws Exception {
        return store.read(region);
    }

    @Override
    public void commit(String region, long epoch, long nextOffset) throws FencedException, Exception {
        try {
            store.commit(region, epoch, nextOffset);
        } catch (FencedException fenced) {
            history.fenced(region, workerId, epoch, "checkpoint");
            throw fenced;
        }
    }

    @Override
    public void post(String region, long epoch, long nextOffset, java.time.Duration within, Outcome outcome) {
        store.post(region, epoch, nextOffset, within, failure -> {
            if (failure instanceof FencedException) {
                history.fenced(region, workerId, epoch, "checkpoint");
            }
            outcome.completed(failure);
        });
    }
}
