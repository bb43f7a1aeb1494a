package io.shardwork.embedded;

import java.io.Closeable;

/**
 * The lifecycle both embedded servers share: running, stopped (data and ports kept, can be restarted) or
 * closed for good. Lifecycle methods are synchronized: safe from any thread, one at a time.
 */
abstract class RestartableServer implements Closeable {
    private enum State { RUNNING, STOPPED, CLOSED }

    private State state = State.STOPPED;

    /** Starts the server; returns once it serves, or cleans up and throws a {@link ClusterStartException}. */
    protected abstract void startServer();

    /** Stops the server and frees its ports, keeping the data; must tolerate a partly started server. */
    protected abstract void stopServer();

    /** "the embedded Kafka broker on 127.0.0.1:9092", for error messages. */
    protected abstract String description();

    /** Starts the server the first time; for the static factories. */
    protected final synchronized void startRunning() {
        startServer();
        state = State.RUNNING;
    }

    /** Whether the server is running now. Thread-safe, does not block. */
    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /**
     * Stops the server and frees its ports, keeping the data; blocks until it has stopped. Does nothing
     * when already stopped.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized void stop() {
        requireNotClosed("stop");
        if (state == State.RUNNING) {
            stopServer();
            state = State.STOPPED;
        }
    }

    /**
     * Starts the server again on the same ports with the same data, stopping it first when it runs. Blocks
     * like the first start.
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws PortInUseException    when another process took a port meanwhile
     */
    public synchronized void restart() {
        requireNotClosed("restart");
        if (state == State.RUNNING) {
            stopServer();
            state = State.STOPPED;
        }
        startServer();
        state = State.RUNNING;
    }

    /** Stops the server for good. Idempotent; blocks like {@link #stop()}. */
    @Override
    public synchronized void close() {
        if (state == State.RUNNING) {
            stopServer();
        }
        state = State.CLOSED;
    }

    private void requireNotClosed(String action) {
        if (state == State.CLOSED) {
            throw new IllegalStateException("Cannot " + action + " the " + description() + ": it is closed");
        }
    }
}
