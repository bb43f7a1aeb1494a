package io.shardwork.runner;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link MonotonicClock} that moves only when told: checkpoints happen exactly where a test wants them. */
public final class ManualClock implements MonotonicClock {
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanos() {
        return nanos.get();
    }

    public void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }
}
