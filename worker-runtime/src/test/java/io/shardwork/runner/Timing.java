package io.shardwork.runner;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Every timeout of the processing tests, in one place. Generous: the machine is shared and slow. */
public final class Timing {
    /** A region runner getting through a few thousand orders, or ending after stop/abandon. */
    public static final Duration RUNNER = Duration.ofSeconds(60);
    /** One Kafka round trip (a send, an admin call, reading a small topic). */
    public static final Duration KAFKA = Duration.ofSeconds(30);
    /** How often a waited-for condition is looked at again. */
    private static final long RECHECK_MS = 20;

    private Timing() {
    }

    public static void await(CountDownLatch latch, Duration timeout, String what) throws InterruptedException {
        assertTrue(latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS),
                "Timed out after " + timeout.toMillis() + " ms waiting for " + what);
    }

    /** Waits until {@code condition} holds; on timeout fails with {@code what} and the {@code state} seen last. */
    public static void awaitUntil(BooleanSupplier condition, Duration timeout, String what, Supplier<Object> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + timeout.toMillis() + " ms waiting for " + what + "; last state: " + state.get());
            }
            TimeUnit.MILLISECONDS.sleep(RECHECK_MS);
        }
    }
}
