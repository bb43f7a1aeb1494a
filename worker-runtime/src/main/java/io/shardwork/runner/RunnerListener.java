package io.shardwork.runner;

/**
 * Hears how a {@link RegionRunner} ends. Every method is called on the runner's own thread; the end
 * (one of stopped, fenced, abandoned, died) exactly once per run, after the runner's consumer and
 * producer are closed and before {@link RegionRunner#stop()} and {@link RegionRunner#awaitEnd}
 * return. Implementations must not block for long.
 */
public interface RunnerListener {
    RunnerListener NONE = new RunnerListener() {
    };

    /** The region is fetching from {@code startOffset} (in exactly-once mode Kafka's committed offset when there is one). */
    default void onStarted(RegionRunner runner, long startOffset) {
    }

    /**
     * A handler call (each attempt) returned or threw after {@code nanos}. Called for every
     * order on the runner's thread: must be cheap (a timer's record).
     */
    default void onHandlerCall(RegionRunner runner, long nanos) {
    }

    /** Graceful end: every order before {@code finalOffset} is done, its effects are durable and the final checkpoint is written. */
    default void onStopped(RegionRunner runner, long finalOffset) {
    }

    /** The checkpoint store or the producer rejected this epoch: the region stopped at once, nothing more was committed. */
    default void onFenced(RegionRunner runner, Exception cause) {
    }

    /** {@link RegionRunner#abandon()} was called: the region stopped without a checkpoint. */
    default void onAbandoned(RegionRunner runner) {
    }

    /**
     * The runner died of an unexpected failure (Kafka unreachable past its timeouts, a failed final
     * checkpoint, a bug): no checkpoint was written after the failure. The owner should release the
     * region or start a new runner from the last checkpoint.
     */
    default void onDied(RegionRunner runner, Throwable cause) {
    }
}
