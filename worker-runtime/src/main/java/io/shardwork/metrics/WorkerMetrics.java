package io.shardwork.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.shardwork.coordination.worker.WorkerCoordinator;
import io.shardwork.runner.RunnerStats;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Binds this worker's meters over the counters it already keeps: function counters and gauges read the
 * {@link RunnerTotals}, the runners' {@link RunnerStats}, the coordinator and its fencing counter at scrape
 * time, so nothing is counted twice. The registry's common tag {@code worker} is set by whoever builds it.
 *
 * <p>Meters (Prometheus names):
 * <pre>
 * shardwork_orders_processed_total{region}        orders done (handled, or dead-lettered)
 * shardwork_order_attempts_failed_total{region}   handler calls that threw (each retry counts)
 * shardwork_handler_errors_total{region}          of those, calls that threw a java.lang.Error
 * shardwork_orders_dead_lettered_total{region}    orders sent to the dead-letter topic
 * shardwork_fenced_writes_rejected_total{region}  runs stopped by a refused checkpoint or Kafka transaction
 * shardwork_checkpoints_total{region}             checkpoints written
 * shardwork_checkpoint_writes_fenced_total        checkpoint multis ZooKeeper refused (FencingCounter)
 * shardwork_releases_abandoned_total             releases whose runner did not stop within shutdown.timeout.ms
 * shardwork_region_lag{region}                    orders behind the partition's end (the consumer's figure, else the end offset asked of the broker); NaN when not held here or not known yet
 * shardwork_regions_owned                         regions this worker holds a claim on
 * shardwork_leader                                1 while this worker acts as leader, else 0
 * shardwork_leader_epoch                          the leader epoch of its running term, -1 when not leader
 * shardwork_assignment_generation                 the generation of the last assignment this worker read, -1 before
 * </pre>
 * plus the timers of {@link ClaimTimers} and the counters of {@link ZooKeeperOperationCounter}.
 *
 * <p>The two fencing figures overlap and must not be added: a refused checkpoint counts in both, a refused
 * Kafka transaction only in the per-region one.
 */
public final class WorkerMetrics {
    private WorkerMetrics() {
    }

    /**
     * Registers the meters; they read their sources at each scrape.
     *
     * @param regions the configured regions (one series per region and meter)
     * @param running the counters of the runners running now
     */
    public static void bind(MeterRegistry registry, WorkerCoordinator coordinator, List<String> regions,
                            RunnerTotals totals, Supplier<List<RunnerStats>> running) {
        for (String region : regions) {
            regionCounter(registry, "shardwork.orders.processed", "Orders done (handled, or dead-lettered)",
                    region, totals, RunnerTotals.Totals::processed);
            regionCounter(registry, "shardwork.order.attempts.failed", "Handler calls that threw, each retry counted",
                    region, totals, RunnerTotals.Totals::failedAttempts);
            regionCounter(registry, "shardwork.handler.errors", "Handler calls that threw a java.lang.Error",
                    region, totals, RunnerTotals.Totals::handlerErrors);
            regionCounter(registry, "shardwork.orders.dead.lettered", "Orders sent to the dead-letter topic",
                    region, totals, RunnerTotals.Totals::deadLettered);
            regionCounter(registry, "shardwork.fenced.writes.rejected",
                    "Runs stopped because a checkpoint or Kafka transaction under their epoch was refused",
                    region, totals, RunnerTotals.Totals::fencedWritesRejected);
            regionCounter(registry, "shardwork.checkpoints", "Checkpoints written",
                    region, totals, RunnerTotals.Totals::checkpoints);
            Gauge.builder("shardwork.region.lag", running, stats -> lagOf(stats.get(), region))
                    .description("Orders behind the end of the region's partition at the last fetch; NaN when not held here")
                    .tag("region", region)
                    .register(registry);
        }
        FunctionCounter.builder("shardwork.checkpoint.writes.fenced", coordinator, c -> c.fencingCounter().count())
                .description("Checkpoint writes ZooKeeper refused because the claim or epoch moved on")
                .register(registry);
        FunctionCounter.builder("shardwork.releases.abandoned", coordinator, WorkerCoordinator::abandonedReleases)
                .description("Releases whose runner did not stop within shutdown.timeout.ms: abandoned, claim deleted")
                .register(registry);
        Gauge.builder("shardwork.regions.owned", coordinator, c -> c.heldRegions().size())
                .description("Regions this worker holds a claim on")
                .register(registry);
        Gauge.builder("shardwork.leader", coordinator, c -> c.isLeader() ? 1 : 0)
                .description("1 while this worker acts as leader")
                .register(registry);
        Gauge.builder("shardwork.leader.epoch", coordinator, WorkerCoordinator::leaderEpoch)
                .description("Leader epoch of this worker's running term, -1 when not leader")
                .register(registry);
        Gauge.builder("shardwork.assignment.generation", coordinator, WorkerCoordinator::assignmentGeneration)
                .description("Generation of the last assignment this worker read, -1 before the first")
                .register(registry);
    }

    private static void regionCounter(MeterRegistry registry, String name, String description, String region,
                                      RunnerTotals totals, ToDoubleFunction<RunnerTotals.Totals> field) {
        FunctionCounter.builder(name, totals, t -> field.applyAsDouble(t.of(region)))
                .description(description)
                .tag("region", region)
                .register(registry);
    }

    private static double lagOf(List<RunnerStats> running, String region) {
        for (RunnerStats stats : running) {
            if (stats.region().equals(region) && stats.lag() >= 0) {
                return stats.lag();
            }
        }
        return Double.NaN;
    }
}
