package io.shardwork.cli.supervise;

import io.shardwork.cli.ExitCodes;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether, and after how long, the supervisor starts the worker again. Pure: no clock, no process.
 *
 * <p>The n-th restart in a row waits {@code backoff * 2^(n-1)}, at most {@link #MAX_BACKOFF}; after
 * {@code maxRestarts} restarts in a row the supervisor gives up and exits with the worker's code. A run
 * of at least {@link #STABLE_RUN} ends the row (the supervisor then counts from zero again). Exit code 2
 * (bad usage or configuration; nothing was started) is never restarted: it would fail the same way.
 *
 * @param mode        off, always or on-failure
 * @param maxRestarts restarts in a row before giving up; 0 means none
 * @param backoff     the wait before the first restart of a row
 */
public record RestartPolicy(RestartMode mode, int maxRestarts, Duration backoff) {
    /** The longest wait between two restarts. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** A run this long counts as healthy: the restarts in a row start again from zero. */
    public static final Duration STABLE_RUN = Duration.ofSeconds(60);

    public RestartPolicy {
        Objects.requireNonNull(mode, "mode");
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must be at least 0, not " + maxRestarts);
        }
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("backoff must be at least 0, not " + backoff);
        }
    }

    /** No restart: the supervisor ends with its worker. */
    public static RestartPolicy off() {
        return new RestartPolicy(RestartMode.OFF, 0, Duration.ZERO);
    }

    /**
     * The wait before the next start, or empty to stop.
     *
     * @param exitCode    the code the worker exited with (128 + n when killed by signal n)
     * @param restarts    restarts already made in the current row
     */
    public Optional<Duration> delayBeforeRestart(int exitCode, int restarts) {
        boolean wanted = switch (mode) {
            case OFF -> false;
            case ALWAYS -> true;
            case ON_FAILURE -> exitCode != ExitCodes.OK;
        };
        if (!wanted || exitCode == ExitCodes.USAGE || restarts >= maxRestarts) {
            return Optional.empty();
        }
        Duration delay = backoff;
        for (int i = 0; i < restarts && delay.compareTo(MAX_BACKOFF) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return Optional.of(delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay);
    }

    /** The restarts in a row after a run of {@code ranFor} that followed {@code restarts} restarts in a row. */
    public int restartsAfterRun(int restarts, Duration ranFor) {
        return ranFor.compareTo(STABLE_RUN) >= 0 ? 0 : restarts;
    }
}
