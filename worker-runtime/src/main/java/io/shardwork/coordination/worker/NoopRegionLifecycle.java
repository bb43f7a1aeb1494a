package io.shardwork.coordination.worker;

import io.shardwork.coordination.checkpoint.CheckpointStore;
import io.shardwork.coordination.checkpoint.FencedException;
import io.shardwork.layout.Checkpoint;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code noop} handler until order processing lands: processes nothing, and on {@link #stop} writes
 * a checkpoint at the offset it started from, under its epoch (exercising the fenced write).
 */
public final class NoopRegionLifecycle implements RegionLifecycle {
    private record Run(long epoch, long offset) { }

    private final CheckpointStore checkpoints;
    private final Map<String, Run> running = new ConcurrentHashMap<>();

    public NoopRegionLifecycle(CheckpointStore checkpoints) {
        this.checkpoints = checkpoints;
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

    @Override
    public OptionalLong stop(String region) throws FencedException {
        Run run = running.remove(region);
        if (run == null) {
            return OptionalLong.empty();
        }
        try {
            checkpoints.commit(region, run.epoch(), run.offset());
        } catch (FencedException fenced) {
            throw fenced;
        } catch (Exception e) {
            throw new IllegalStateException("Final checkpoint of region " + region + " failed: " + e, e);
        }
        return OptionalLong.empty(); // written here
    }

    @Override
    public void abandon(String region) {
        running.remove(region);
    }
}
