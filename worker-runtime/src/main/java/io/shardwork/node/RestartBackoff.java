package io.shardwork.node;

import io.shardwork.layout.RestartBackoffRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How long a region whose runner died waits before it is claimed again: the first death of a row at once,
 * then {@code initial}, doubling with every further death in a row, at most {@code max}. A row ends when a run
 * of the region ends without dying (stopped), or dies after its checkpoint moved past where the previous death
 * left it (it made progress): a poison that kills every run at the same place backs off, a rare death does not.
 * Thread-safe; the clock only dates the next claim for {@link #inBackoff()}.
 */
public final class RestartBackoff {
    private record Row(int deaths, long checkpointAtDeath, long delayMs, Instant nextClaimAt) { }

    private final long initialMs;
    private final long maxMs;
    private final Clock clock;
    private final Map<String, Row> rows = new HashMap<>();
    private volatile Runnable onChange = () -> { };

    public RestartBackoff(Duration initial, Duration max) {
        this(initial, max, Clock.systemUTC());
    }

    public RestartBackoff(Duration initial, Duration max, Clock clock) {
        this.clock = clock;
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
    public Duration onDeath(String region, long checkpointedOffset) {
        long delay;
        boolean changed;
        synchronized (this) {
            Row previous = rows.get(region);
            int deaths = previous == null || checkpointedOffset > previous.checkpointAtDeath() ? 1 : previous.deaths() + 1;
            delay = deaths == 1 ? 0 : Math.min(maxMs, initialMs << Math.min(deaths - 2, 30));
            rows.put(region, new Row(deaths, checkpointedOffset, delay, clock.instant().plusMillis(delay)));
            changed = delay > 0 || (previous != null && previous.delayMs() > 0);
        }
        if (changed) {
            onChange.run();
        }
        return Duration.ofMillis(delay);
    }

    /** A run of {@code region} ended without dying: the row of deaths is over. */
    public void onCleanEnd(String region) {
        Row removed;
        synchronized (this) {
            removed = rows.remove(region);
        }
        if (removed != null && removed.delayMs() > 0) {
            onChange.run();
        }
    }

    /**
     * The regions that had to wait before their last claim (a row of at least two deaths; a first death is
     * claimed again at once), sorted by region: what the worker publishes in its member node.
     */
    public synchronized List<RestartBackoffRecord> inBackoff() {
        return rows.entrySet().stream().filter(e -> e.getValue().delayMs() > 0).sorted(Map.Entry.comparingByKey())
                .map(e -> new RestartBackoffRecord(e.getKey(), e.getValue().deaths(), e.getValue().delayMs(), e.getValue().nextClaimAt()))
                .toList();
    }

    /**
     * Who hears that {@link #inBackoff()} changed (a death that sets a wait, or a row with a wait that ended); on the
     * thread of the death or end, outside this object's lock, must not block. Never per order. Set once.
     */
    public void onChange(Runnable listener) {
        this.onChange = listener;
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
