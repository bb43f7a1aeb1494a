package io.shardwork.deadletter;

/**
 * The retry schedule of a failing order: exponential with jitter, bounded.
 *
 * <p>After failed attempt n (1-based) the cap is {@code min(max, initial * 2^(n-1))} and the delay is
 * drawn uniformly from (cap/2, cap] ("equal jitter"): never more than {@code max}, never less than half
 * the cap, so retries of many regions that fail together spread out but still back off. Immutable.
 */
public final class RetryBackoff {
    private final int maxAttempts;
    private final long initialMs;
    private final long maxMs;

    /**
     * @param maxAttempts attempts of an order before it is dead-lettered, at least 1
     * @param initialMs   the first cap, at least 0
     * @param maxMs       the largest delay, at least {@code initialMs}
     */
    public RetryBackoff(int maxAttempts, long initialMs, long maxMs) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        if (initialMs < 0 || maxMs < initialMs) {
            throw new IllegalArgumentException("Backoff needs 0 <= initialMs <= maxMs, not " + initialMs + " and " + maxMs);
        }
        this.maxAttempts = maxAttempts;
        this.initialMs = initialMs;
        this.maxMs = maxMs;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** Whether an order that failed {@code failedAttempts} times goes to the dead-letter topic now. */
    public boolean exhausted(int failedAttempts) {
        return failedAttempts >= maxAttempts;
    }

    /** The upper bound of the delay after failed attempt {@code attempt}. */
    public long capMs(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based, not " + attempt);
        }
        int shift = Math.min(attempt - 1, 62);
        long cap = initialMs > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : initialMs << shift;
        return Math.min(maxMs, cap);
    }

    /** The delay after failed attempt {@code attempt}, in (cap/2, cap] (0 when the cap is 0). */
    public long delayMs(int attempt, JitterSource jitter) {
        long cap = capMs(attempt);
        double r = jitter.nextDouble();
        if (r < 0 || r >= 1) {
            throw new IllegalArgumentException("Jitter must be in [0, 1), not " + r);
        }
        return cap - (long) (r * (cap / 2.0));
    }
}
