package io.shardwork.leader;

/**
 * The controller's event queue: it keeps at most ONE pending recompute, so a burst of watch events
 * becomes one round. Also holds one scheduled wake-up (the end of the rebalance settle delay).
 * Any thread may {@link #request()}; one thread {@link #await()}s.
 */
final class RecomputeQueue {
    private boolean pending;
    private long wakeAtMillis = Long.MAX_VALUE;

    /** Asks for a recompute; never blocks. Many requests before the next round collapse into one. */
    synchronized void request() {
        pending = true;
        notifyAll();
    }

    /** Asks for a recompute at {@code atMillis} (wall clock) unless an earlier wake-up is already due. */
    synchronized void requestAt(long atMillis) {
        wakeAtMillis = Math.min(wakeAtMillis, atMillis);
        notifyAll();
    }

    /**
     * Blocks until a recompute is pending or the scheduled wake-up is due, then consumes both.
     *
     * @throws InterruptedException when the leader thread is interrupted (leadership cancelled or closed)
     */
    synchronized void await(TimeSource time) throws InterruptedException {
        while (!pending) {
            long now = time.currentTimeMillis();
            if (now >= wakeAtMillis) {
                break;
            }
            long waitMillis = wakeAtMillis == Long.MAX_VALUE ? 0 : Math.max(1, wakeAtMillis - now);
            wait(waitMillis);
        }
        pending = false;
        wakeAtMillis = Long.MAX_VALUE;
    }
}
