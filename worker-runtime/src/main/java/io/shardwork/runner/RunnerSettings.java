package io.shardwork.runner;

import io.shardwork.config.ShardworkConfig;
import io.shardwork.deadletter.RetryBackoff;
import java.util.Objects;

/**
 * What a {@link RegionRunner} needs from the configuration, as plain values.
 *
 * @param workerId             the worker, written into invoice and dead-letter headers
 * @param ordersTopic          input topic, one partition per region
 * @param deadLetterTopic      where unparseable and failing orders go, same partition number
 * @param checkpointIntervalMs the most time between checkpoints while orders flow
 * @param maxInFlight          the most orders fetched and not yet handled (it bounds max.poll.records)
 * @param backoff              attempts and delays of a failing order
 * @param pollTimeoutMs        how long one fetch waits for orders; bounds how late an idle region notices a stop
 * @param keyOrdering          runner.ordering=key: same key in offset order, keys concurrent on the worker's pool
 * @param concurrency          with key ordering, the most handler calls at once per region
 */
public record RunnerSettings(String workerId, String ordersTopic, String deadLetterTopic, long checkpointIntervalMs,
                             int maxInFlight, RetryBackoff backoff, long pollTimeoutMs, boolean keyOrdering,
                             int concurrency) {
    /** Region ordering: one order at a time. */
    public RunnerSettings(String workerId, String ordersTopic, String deadLetterTopic, long checkpointIntervalMs,
                          int maxInFlight, RetryBackoff backoff, long pollTimeoutMs) {
        this(workerId, ordersTopic, deadLetterTopic, checkpointIntervalMs, maxInFlight, backoff, pollTimeoutMs, false, 1);
    }

    public RunnerSettings {
        if (concurrency < 1) {
            throw new IllegalArgumentException("Invalid runner settings: concurrency=" + concurrency);
        }
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(ordersTopic, "ordersTopic");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(backoff, "backoff");
        if (checkpointIntervalMs < 0 || maxInFlight < 1 || pollTimeoutMs < 1) {
            throw new IllegalArgumentException("Invalid runner settings: checkpointIntervalMs=" + checkpointIntervalMs
                    + ", maxInFlight=" + maxInFlight + ", pollTimeoutMs=" + pollTimeoutMs);
        }
    }

    public static RunnerSettings from(ShardworkConfig config, String workerId) {
        return new RunnerSettings(workerId, config.ordersTopic(), config.deadLetterTopic(),
                config.checkpointIntervalMs(), config.runnerMaxInFlight(),
                new RetryBackoff(config.retryMaxAttempts(), config.retryBackoffInitialMs(), config.retryBackoffMaxMs()),
                100, config.keyOrdering(), config.runnerConcurrency());
    }
}
