package io.shardwork.coordination.testing;

import io.shardwork.coordination.checkpoint.CheckpointStore;
import io.shardwork.coordination.checkpoint.FencedException;
import io.shardwork.coordination.worker.RegionLifecycle;
import io.shardwork.layout.Checkpoint;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test runner that writes checkpoints the way a real one would: one at start (progress made at once),
 * one at stop (the final one, left to the release's multi), and, when abandoned, one late "straggler" write from in-flight work on
 * another thread, as a zombie would attempt. Accepted writes reach the {@link OwnershipRecorder} through
 * the store's audit; refused ones are counted.
 */
public final class CheckpointingLifecycle implements RegionLifecycle {
    private record Run(long epoch, long offset) { }

    private final CheckpointStore store;
    private final ExecutorService stragglers;
    private final AtomicLong refused;
    private final AtomicLong pauses;
    private final AtomicLong resumes;
    private final Map<String, Run> running = new ConcurrentHashMap<>();

    public CheckpointingLifecycle(CheckpointStore store, ExecutorService stragglers, AtomicLong refused, AtomicLong pauses,
                                  AtomicLong resumes) {
        this.pauses = pauses;
        this.resumes = resumes;
        this.store = store;
        this.stragglers = stragglers;
        this.refused = refused;
    }

    @Override
    public void start(String region, long epoch, Optional<Checkpoint> checkpoint) {
        Run run = new Run(epoch, checkpoint.map(Checkpoint::offset).orElse(0L) + 1);
        running.put(region, run);
        try {
            store.commit(region, epoch, run.offset());
        } catch (FencedException fenced) {
            refused.incrementAndGet();
        } catch (Exception e) {
            // connection trouble: the next write tells
        }
    }

    @Override
    public void pause(String region) {
        pauses.incrementAndGet();
    }

    @Override
    public void resume(String region) {
        resumes.incrementAndGet();
    }

    /** Leaves the final checkpoint to the release, which writes it in the multi that deletes the claim (as the real runner does). */
    @Override
    public OptionalLong stop(String region) {
        Run run = running.remove(region);
        return run == null ? OptionalLong.empty() : OptionalLong.of(run.offset() + 1);
    }

    @Override
    public void abandon(String region) {
        Run run = running.remove(region);
        if (run == null) {
            return;
        }
        try {
            stragglers.execute(() -> {
                try {
                    store.commit(region, run.epoch(), run.offset() + 100);
                } catch (FencedException fenced) {
                    refused.incrementAndGet();
                } catch (Exception e) {
                    // the client is gone or reconnecting
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // test over
        }
    }
}
