package io.shardwork.runner;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A checkpoint store with the ZooKeeper semantics of the design: per region an epoch that every
 * claim bumps, and a checkpoint written only under the current epoch. Thread-safe.
 */
public final class InMemoryCheckpoints {
    private final Map<String, Long> epochs = new HashMap<>();
    private final Map<String, Long> offsets = new HashMap<>();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /** Bumps the region's epoch and returns it: the old owner's writes are rejected from now on. */
    public synchronized long claim(String region) {
        return epochs.merge(region, 1L, Long::sum);
    }

    /** The region's checkpoint, 0 when none was written. */
    public synchronized long offset(String region) {
        return offsets.getOrDefault(region, 0L);
    }

    public long writes() {
        return writes.get();
    }

    public long rejected() {
        return rejected.get();
    }

    /** The writer for one claim of {@code region}. */
    public CheckpointWriter writer(String region) {
        return (epoch, nextOffset) -> {
            synchronized (this) {
                long current = epochs.getOrDefault(region, 0L);
                if (epoch != current) {
                    rejected.incrementAndGet();
                    throw new RegionFencedException("Checkpoint of " + region + " under epoch " + epoch
                            + " rejected: the epoch is now " + current);
                }
                offsets.put(region, nextOffset);
                writes.incrementAndGet();
            }
        };
    }
}
