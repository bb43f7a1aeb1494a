/**
 * What a worker tells about itself: {@link io.shardwork.metrics.WorkerMetrics} binds Micrometer meters over
 * the worker's own counters (no second count of anything), {@link io.shardwork.metrics.RunnerTotals} keeps
 * per-region totals across runner runs, {@link io.shardwork.metrics.ZooKeeperOperationCounter} counts
 * ZooKeeper operations through Curator's tracer, {@link io.shardwork.metrics.ClaimTimers} times claims and
 * takeovers, {@link io.shardwork.metrics.HealthState} decides UP or DOWN, and
 * {@link io.shardwork.metrics.MetricsEndpoint} serves {@code /metrics} and {@code /health} over the JDK's
 * HTTP server.
 */
package io.shardwork.metrics;
