package io.shardwork.coordination.worker;

import io.shardwork.coordination.checkpoint.CheckpointStore;
import io.shardwork.layout.Checkpoint;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code noop} handler until order processing lands: processes nothing, and on {@link #stop} gives the offset
 * it started from as its final checkpoint, which the release writes under its epoch with the claim's deletion
 * (exercising the fenced release).
 */
public final class NoopRegionLifecycle implements RegionLifecycle {
    private record Run(long epoch, long offset) { }

    private final Map<String, Run> running = new ConcurrentHashMap<>();

    /** @param checkpoints the worker's store; not needed: the release writes the final checkpoint */
    public NoopRegionLifecycle(CheckpointStore checkpoints) {
    }

    @Override
    public void start(String region, long epoch, Optional<Checkpoint> checkpoint) {
        running.put(region, new Run(epoch, checkpoint.map(Checkpoint::offset).orElse(0L)));
    }

    @Override
    public void pause(String region) {
    }

    @Override
    public void resume(String region) {
    }

    /** The checkpoint it started from, for the release to write with the claim's deletion. */
    @Override
    public OptionalLong stop(String region) {
        Run run = running.remove(region);
        return run == null ? OptionalLong.empty() : OptionalLong.of(run.offset());
    }

    @Override
    public void abandon(String region) {
        running.remove(region);
    }
}
