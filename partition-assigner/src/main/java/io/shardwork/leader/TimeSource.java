package io.shardwork.leader;

import java.time.Instant;

/** The wall clock, behind an interface so that tests can drive time. */
@FunctionalInterface
public interface TimeSource {
    /** Milliseconds since the epoch. Never blocks. */
    long currentTimeMillis();

    default Instant now() {
        return Instant.ofEpochMilli(currentTimeMillis());
    }

    static TimeSource system() {
        return System::currentTimeMillis;
    }
}
