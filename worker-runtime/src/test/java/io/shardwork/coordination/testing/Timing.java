package io.shardwork.coordination.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Every timeout of the coordination tests, and the one way to wait for a condition. */
public final class Timing {
    /** ZooKeeper server tick: sessions expire on tick boundaries. */
    public static final int TICK_MS = 200;
    /** Session timeout of every test worker. */
    public static final int SESSION_TIMEOUT_MS = 2_000;
    /** The longest session the test server grants (20 ticks): for tests of blips that must not expire it. */
    public static final int LONG_SESSION_TIMEOUT_MS = 4_000;
    /** A connection blip well inside {@link #LONG_SESSION_TIMEOUT_MS}, even with the client's reconnect backoff. */
    public static final long BLIP_MS = 100;
    public static final int CONNECTION_TIMEOUT_MS = 5_000;
    public static final long REBALANCE_DELAY_MS = 300;
    /** Bound on a takeover after a crash: the session timeout plus one second. */
    public static final Duration TAKEOVER = Duration.ofMillis(SESSION_TIMEOUT_MS + 1_000);
    /** Bound on the cluster settling after a change (covers a session expiry and a settle delay). */
    public static final Duration CONVERGE = Duration.ofSeconds(20);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private Timing() {
    }

    /**
     * Waits until {@code condition} holds, checking it every 10 ms, failing after {@code timeout} with
     * {@code what} and the last {@code state}.
     */
    public static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<Object> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + "; last state: " + state.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        await(what, timeout, condition, () -> "n/a");
    }
}
