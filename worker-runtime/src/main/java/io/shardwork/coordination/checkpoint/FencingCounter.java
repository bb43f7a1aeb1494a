package io.shardwork.coordination.checkpoint;

import java.util.concurrent.atomic.AtomicLong;

/** Counts refused (fenced) writes; metrics read it. Thread-safe, never blocks. */
public final class FencingCounter {
    private final AtomicLong fenced = new AtomicLong();

    public void increment() {
        fenced.incrementAndGet();
    }

    public long count() {
        return fenced.get();
    }
}
