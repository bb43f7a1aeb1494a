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
 * A handler call that hung until the worker gave the region up ({@link #onGiveUp}) counts as a death, waits at
 * least {@code initial} and is published at once: the leader then excludes this worker from the region while
 * another worker may take it, so another worker tries next.
 * Thread-safe; the clock only dates the next claim for {@link #inBackoff()}.
 */
public final class RestartBackoff {
    private record Row(int deaths, long checkpointAtDeath, long delayMs, Instant nextClaimAt, boolean gaveUp) {
        /** Whether the row is published (and the leader excludes this worker from the region). */
        boolean shown() {
            return delayMs > 0 || gaveUp;
        }
    }

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
        return died(region, checkpointedOffset, false);
    }

    /**
     * This worker gave {@code region} up because a handler call hung (past twice handler.timeout.ms), with its
     * checkpoint at {@code checkpointedOffset}: a death of the run that waits at least {@code initial} (so the
     * leader, which hears of it at once, can move the region before this worker would claim it again) and is
     * always published.
     *
     * @return how long to wait before deleting the claim and claiming the region again
     */
    public Duration onGiveUp(String region, long checkpointedOffset) {
        return died(region, checkpointedOffset, true);
    }

    private Duration died(String region, long checkpointedOffset, boolean gaveUp) {
        long delay;
        boolean changed;
        synchronized (this) {
            Row previous = rows.get(region);
            int deaths = previous == null || checkpointedOffset > previous.checkpointAtDeath() ? 1 : previous.deaths() + 1;
            delay = deaths == 1 ? 0 : Math.min(maxMs, initialMs << Math.min(deaths - 2, 30));
            if (gaveUp) {
                delay = Math.max(delay, initialMs);
            }
            Row next = new Row(deaths, checkpointedOffset, delay, clock.instant().plusMillis(delay), gaveUp);
            rows.put(region, next);
            changed = next.shown() || (previous != null && previous.shown());
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
        if (removed != null && removed.shown()) {
            onChange.run();
        }
    }

    /**
     * The regions that had to wait before their last claim (a row of at least two deaths; a first death is
     * claimed again at once) or whose last death was a give-up of a hung handler call, sorted by region: what the
     * worker publishes in its member node, and what the leader excludes this worker from.
     */
    public synchronized List<RestartBackoffRecord> inBackoff() {
        return rows.entrySet().stream().filter(e -> e.getValue().shown()).sorted(Map.Entry.comparingByKey())
                .map(e -> new RestartBackoffRecord(e.getKey(), e.getValue().deaths(), e.getValue().delayMs(),
                        e.getValue().nextClaimAt(), e.getValue().gaveUp()))
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
