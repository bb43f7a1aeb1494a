package io.shardwork.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.shardwork.assigner.MoveReason;
import io.shardwork.coordination.ownership.OwnershipState;
import io.shardwork.coordination.worker.WorkerCoordinator;
import io.shardwork.layout.AssignmentDocument;
import io.shardwork.runner.RunnerStats;
import java.util.List;
import java.util.Optional;
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
 * shardwork_region_lag_records{region}            orders behind the partition's end (the consumer's figure, else the end offset asked of the broker); NaN when not held here or not known yet
 * shardwork_regions_owned                         regions this worker holds a claim on
 * shardwork_leader                                1 while this worker acts as leader, else 0
 * shardwork_leader_epoch                          the leader epoch of its running term, -1 when not leader
 * shardwork_assignment_generation                 the generation of the last assignment this worker read, -1 before
 * shardwork_regions_unplaced                      configured regions without an owner in the last assignment read (cluster view: every worker reports it)
 * shardwork_regions_assigned_unclaimed            regions the assignment gives this worker that it has not claimed yet (sum over workers)
 * shardwork_region_moves_total{reason}            moves that gave this worker a region (sum over workers: the cluster's moves), see {@link MoveTally}
 * shardwork_build_info{version}                   1; the version of the running build
 * </pre>
 * plus the timers of {@link ClaimTimers} and {@link HandlerTimers}, the counters of
 * {@link ZooKeeperOperationCounter}, the health gauges of {@link #bindHealth} and the JVM meters of {@link JvmMeters}.
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
        bindRegions(registry, regions, totals, running);
        bindCoordinator(registry, coordinator, regions);
    }

    /**
     * The per-region series. Every gauge holds its source strongly: Micrometer keeps only a weak reference to
     * a gauge's state object, and {@code running} is typically a method reference nobody else holds, which
     * the first garbage collection would clear, turning the gauge to NaN for good.
     */
    static void bindRegions(MeterRegistry registry, List<String> regions, RunnerTotals totals,
                            Supplier<List<RunnerStats>> running) {
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
            Gauge.builder("shardwork.region.lag.records", running, stats -> lagOf(stats.get(), region))
                    .description("Orders behind the end of the region's partition at the last fetch; NaN when not held here")
                    .tag("region", region)
                    .strongReference(true)
                    .register(registry);
        }
    }

    private static void bindCoordinator(MeterRegistry registry, WorkerCoordinator coordinator, List<String> regions) {
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
        Gauge.builder("shardwork.regions.unplaced", coordinator, c -> unplaced(c, regions))
                .description("Configured regions without an owner in the last assignment this worker read (NaN before the first)")
                .register(registry);
        Gauge.builder("shardwork.regions.assigned.unclaimed", coordinator, c -> assignedUnclaimed(c, regions))
                .description("Regions the assignment gives this worker that it has not claimed yet")
                .register(registry);
        MoveTally moves = new MoveTally(coordinator.workerId(), coordinator::lastAssignment, java.time.Instant.now());
        for (MoveReason reason : MoveReason.values()) {
            // the meter holds its state object weakly: the coordinator lives as long as the node, the lambda holds the tally
            FunctionCounter.builder("shardwork.region.moves", coordinator, c -> moves.count(reason))
                    .description("Region moves that gave this worker a region, by the assigner's reason")
                    .tag("reason", reason.wireName())
                    .register(registry);
        }
        Gauge.builder("shardwork.build.info", () -> 1)
                .description("The running build; the value is always 1")
                .tag("version", BuildInfo.version())
                .register(registry);
    }

    /** {@code shardwork_ready} and {@code shardwork_live}: 1 when the probe of that name would answer UP. */
    public static void bindHealth(MeterRegistry registry, HealthState health) {
        Gauge.builder("shardwork.ready", health, h -> h.ready().up() ? 1 : 0)
                .description("1 when /health/ready answers UP: connected, every held region running")
                .register(registry);
        Gauge.builder("shardwork.live", health, h -> h.live().up() ? 1 : 0)
                .description("1 when /health/live answers UP: the worker can still recover on its own")
                .register(registry);
    }

    private static double unplaced(WorkerCoordinator coordinator, List<String> regions) {
        Optional<AssignmentDocument> document = coordinator.lastAssignment();
        if (document.isEmpty()) {
            return Double.NaN;
        }
        return regions.stream().filter(region -> !document.get().owners().containsKey(region)).count();
    }

    private static double assignedUnclaimed(WorkerCoordinator coordinator, List<String> regions) {
        return regions.stream().filter(region -> coordinator.ownership(region).state() == OwnershipState.CLAIMING).count();
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
