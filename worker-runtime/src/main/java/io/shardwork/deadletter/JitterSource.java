package io.shardwork.deadletter;

import java.util.Random;

/** Randomness for backoff jitter, behind an interface so tests choose the values. */
@FunctionalInterface
public interface JitterSource {
    /** A value in [0, 1). */
    double nextDouble();

    /** A seeded source; one per runner (java.util.Random is shared-safe but contended). */
    static JitterSource seeded(long seed) {
        Random random = new Random(seed);
        return random::nextDouble;
    }
}
