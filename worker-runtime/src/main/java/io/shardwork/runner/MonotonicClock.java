package io.shardwork.runner;

/** Elapsed time for checkpoint intervals, behind an interface so tests can step it. */
@FunctionalInterface
public interface MonotonicClock {
    MonotonicClock SYSTEM = System::nanoTime;

    /** Nanoseconds from an arbitrary origin; only differences mean something. */
    long nanos();
}
