package io.shardwork.deadletter;

/** Waits between retries, behind an interface so tests need no real waiting. */
@FunctionalInterface
public interface Sleeper {
    /**
     * Waits about {@code millis} ms, or less when the wait is cut short (for example the region was
     * abandoned: the caller checks its own state afterwards).
     */
    void sleep(long millis) throws InterruptedException;
}
