package io.shardwork.node;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How long a region whose runner died waits before it is claimed again: the first death of a row at once,
 * then {@code initial}, doubling with every further death in a row, at most {@code max}. A row ends when a run
 * of the region ends without dying (stopped), or dies after its checkpoint moved past where the previous death
 * left it (it made progress): a poison that kills every run at the same place backs off, a rare death does not.
 * Pure; thread-safe.
 */
public final class RestartBackoff {
    private record Row(int deaths, long checkpointAtDeath, long delayMs) { }

    private final long initialMs;
    private final long maxMs;
    private final Map<String, Row> rows = new HashMap<>();

    public RestartBackoff(Duration initial, Duration max) {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("Need 0 <= initial <= max, not " + initial + " and " + max);
        }
        this.initialMs = initial.toMillis();
        this.maxMs = max.toMillis();
    }

    /**
     * A run of {@code region} died with its checkpoint at {@code checkpointedOffset}.
     *
     * @return how long to wait before claiming the region again
     */
    public synchronized Duration onDeath(String region, long checkpointedOffset) {
        Row previous = rows.get(region);
        int deaths = previous == null || checkpointedOffset > previous.checkpointAtDeath() ? 1 : previous.deaths() + 1;
        long delay = deaths == 1 ? 0 : Math.min(maxMs, initialMs << Math.min(deaths - 2, 30));
        rows.put(region, new Row(deaths, checkpointedOffset, delay));
        return Duration.ofMillis(delay);
    }

    /** A run of {@code region} ended without dying: the row of deaths is over. */
    public synchronized void onCleanEnd(String region) {
        rows.remove(region);
    }

    /** Deaths of {@code region} in a row so far; 0 when none. */
    public synchronized int consecutiveDeaths(String region) {
        Row row = rows.get(region);
        return row == null ? 0 : row.deaths();
    }

    /** The wait set after the last death of {@code region}, in ms; 0 when none. */
    public synchronized long delayMs(String region) {
        Row row = rows.get(region);
        return row == null ? 0 : row.delayMs();
    }
}
