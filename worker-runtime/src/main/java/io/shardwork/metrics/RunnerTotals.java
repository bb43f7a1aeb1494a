package io.shardwork.metrics;

import io.shardwork.runner.RunnerStats;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Per-region counters summed over every runner run of this worker: the runs that ended (folded in once,
 * with their final counts) plus the runs still live (read now). A {@link io.shardwork.runner.RegionRunner}
 * counts from zero on each claim, so this is what makes the metrics monotonic across reclaims.
 *
 * <p>Thread-safe: {@link #begin} and {@link #end} may be called from any thread (the coordinator's event
 * thread, a runner's own thread); reads never block for long. A run is counted exactly once: while live
 * through its supplier, after {@link #end} through its folded final counts, never both.
 */
public final class RunnerTotals {
    /** One run in progress. */
    public static final class Run {
        private final String region;
        private final Supplier<RunnerStats> stats;

        private Run(String region, Supplier<RunnerStats> stats) {
            this.region = region;
            this.stats = stats;
        }
    }

    /**
     * The summed counters of one region.
     *
     * @param processed            orders done (handled, or dead-lettered)
     * @param failedAttempts       handler calls that threw, each retry counted
     * @param handlerErrors        of those, calls that threw a {@link java.lang.Error}
     * @param deadLettered         orders sent to the dead-letter topic
     * @param fencedWritesRejected runs stopped because a checkpoint or a transaction under their epoch was refused
     * @param checkpoints          checkpoints written
     */
    public record Totals(long processed, long failedAttempts, long handlerErrors, long deadLettered,
                         long fencedWritesRejected, long checkpoints) {
        public static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0);

        static Totals of(RunnerStats s) {
            return new Totals(s.processed(), s.failedAttempts(), s.handlerErrors(), s.deadLettered(),
                    s.fencedWritesRejected(), s.checkpoints());
        }

        Totals plus(Totals o) {
            return new Totals(processed + o.processed, failedAttempts + o.failedAttempts, handlerErrors + o.handlerErrors,
                    deadLettered + o.deadLettered, fencedWritesRejected + o.fencedWritesRejected, checkpoints + o.checkpoints);
        }
    }

    private final Map<String, Totals> ended = new HashMap<>();
    private final Set<Run> live = new LinkedHashSet<>();

    /** A run of {@code region} starts; its counts are read through {@code stats} until {@link #end}. Call before the runner starts. */
    public synchronized Run begin(String region, Supplier<RunnerStats> stats) {
        Run run = new Run(region, stats);
        live.add(run);
        return run;
    }

    /** The run ended (its counters are final): folds them in once. Later calls for the same run do nothing. */
    public synchronized void end(Run run) {
        if (live.remove(run)) {
            ended.merge(run.region, Totals.of(run.stats.get()), Totals::plus);
        }
    }

    /** The sum over every run of {@code region}, ended or live. */
    public synchronized Totals of(String region) {
        Totals sum = ended.getOrDefault(region, Totals.ZERO);
        for (Run run : live) {
            if (run.region.equals(region)) {
                sum = sum.plus(Totals.of(run.stats.get()));
            }
        }
        return sum;
    }
}
