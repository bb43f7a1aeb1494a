package io.shardwork.node;

import io.shardwork.coordination.checkpoint.CheckpointStore;
import io.shardwork.coordination.checkpoint.FencedException;
import io.shardwork.coordination.worker.RegionLifecycle;
import io.shardwork.layout.Checkpoint;
import io.shardwork.metrics.RunnerTotals;
import io.shardwork.runner.CheckpointWriter;
import io.shardwork.runner.RegionFencedException;
import io.shardwork.runner.RegionRunner;
import io.shardwork.runner.RegionRunnerFactory;
import io.shardwork.runner.RunnerListener;
import io.shardwork.runner.RunnerStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the coordinator's decisions with one {@link RegionRunner} per held region: start from the
 * checkpoint under the claim's epoch, pause and resume on connection blips, stop gracefully (final fenced
 * checkpoint) before the claim is deleted, abandon at once when fenced or lost.
 *
 * <p>Called on the coordinator's event thread. A runner that ends on its own (fenced by the checkpoint
 * store or the producer, or died) is reported through {@link #onWorkEnded}, so the coordinator can give the
 * claim up and claim again under a new epoch.
 */
public final class RunnerLifecycle implements RegionLifecycle {
    private static final Logger log = LoggerFactory.getLogger(RunnerLifecycle.class);

    private final RegionRunnerFactory runners;
    private final CheckpointStore checkpoints;
    private final Map<String, Integer> partitions;
    private final Duration stopTimeout;
    private final Map<String, Run> running = new ConcurrentHashMap<>();
    private final RunnerTotals totals = new RunnerTotals();
    private volatile BiConsumer<String, Long> workEnded = (region, epoch) -> { };
    private volatile RunnerListener observer = RunnerListener.NONE;
    private volatile FenceListener fenceListener = (region, epoch, cause) -> { };

    /** Hears that a runner was fenced, with the refusal that stopped it; on the runner's thread, must not block. */
    @FunctionalInterface
    public interface FenceListener {
        void fenced(String region, long epoch, Exception cause);
    }

    /** One runner and how it ended, as far as the coordinator's requests go. */
    private final class Run implements RunnerListener {
        final String region;
        final long epoch;
        final BiConsumer<String, Long> unexpectedEnd;
        volatile RegionRunner runner;
        volatile RunnerTotals.Run counted;
        volatile boolean requestedEnd;
        volatile Exception fencedBy;

        final FenceListener fences;

        Run(String region, long epoch, BiConsumer<String, Long> unexpectedEnd, FenceListener fences) {
            this.region = region;
            this.epoch = epoch;
            this.unexpectedEnd = unexpectedEnd;
            this.fences = fences;
        }

        /** An observer that throws must not keep the coordinator from hearing of the end. */
        private void tell(Runnable notification) {
            try {
                notification.run();
            } catch (RuntimeException e) {
                log.warn("region {} epoch {}: a runner observer threw: {}", region, epoch, e.toString());
            }
        }

        @Override
        public void onStarted(RegionRunner runner, long startOffset) {
            tell(() -> observer.onStarted(runner, startOffset));
        }

        @Override
        public void onHandlerCall(RegionRunner runner, long nanos) {
            observer.onHandlerCall(runner, nanos);
        }

        @Override
        public void onStopped(RegionRunner runner, long finalOffset) {
            totals.end(counted);
            tell(() -> observer.onStopped(runner, finalOffset));
        }

        @Override
        public void onAbandoned(RegionRunner runner) {
            totals.end(counted);
            tell(() -> observer.onAbandoned(runner));
        }

        @Override
        public void onFenced(RegionRunner runner, Exception cause) {
            totals.end(counted);
            tell(() -> observer.onFenced(runner, cause));
            fencedBy = cause;
            fences.fenced(region, epoch, cause);
            log.warn("region {} epoch {}: fenced ({}); stopped at once", region, epoch, cause.getMessage());
            if (!requestedEnd) {
                unexpectedEnd.accept(region, epoch);
            }
        }

        @Override
        public void onDied(RegionRunner runner, Throwable cause) {
            totals.end(counted);
            tell(() -> observer.onDied(runner, cause));
            log.error("region {} epoch {}: runner died; the claim is given up and the region resumes from its last checkpoint", region, epoch, cause);
            if (!requestedEnd) {
                unexpectedEnd.accept(region, epoch);
            }
        }
    }

    public RunnerLifecycle(RegionRunnerFactory runners, CheckpointStore checkpoints, Map<String, Integer> partitions, Duration stopTimeout) {
        this.runners = runners;
        this.checkpoints = checkpoints;
        this.partitions = Map.copyOf(partitions);
        this.stopTimeout = stopTimeout;
    }

    /** Who hears of a region whose work ended on its own: (region, epoch). Set once, before the coordinator starts. */
    public void onWorkEnded(BiConsumer<String, Long> handler) {
        this.workEnded = handler;
    }

    /** Who else hears every runner's start and end (metrics, health), on the runner's thread. Set once, before the coordinator starts. */
    public void observeRunners(RunnerListener listener) {
        this.observer = listener;
    }

    /** Who hears of fenced runners (the ownership history). Set once, before the coordinator starts. */
    public void onFenced(FenceListener listener) {
        this.fenceListener = listener;
    }

    @Override
    public void start(String region, long epoch, Optional<Checkpoint> checkpoint) {
        Integer partition = partitions.get(region);
        if (partition == null) {
            throw new IllegalStateException("Region " + region + " is not configured on this worker; its partition is unknown.");
        }
        Run run = new Run(region, epoch, (r, e) -> workEnded.accept(r, e), (r, e, cause) -> fenceListener.fenced(r, e, cause));
        CheckpointWriter writer = (writtenEpoch, nextOffset) -> {
            try {
                checkpoints.commit(region, writtenEpoch, nextOffset);
            } catch (FencedException fenced) {
                throw new RegionFencedException(fenced.getMessage(), fenced);
            } catch (RuntimeException failed) {
                throw failed;
            } catch (Exception failed) {
                throw new IllegalStateException("Checkpoint of region " + region + " failed: " + failed, failed);
            }
        };
        RegionRunner runner = runners.newRunner(writer, run);
        run.runner = runner;
        run.counted = totals.begin(region, runner::stats);
        Run previous = running.put(region, run);
        if (previous != null) {
            previous.requestedEnd = true;
            previous.runner.abandon();
        }
        long from = checkpoint.map(Checkpoint::offset).orElse(0L);
        log.info("region {} (partition {}) claimed under epoch {}: processing from offset {}", region, partition, epoch, from);
        runner.start(region, partition, epoch, from);
    }

    @Override
    public void pause(String region) {
        Run run = running.get(region);
        if (run != null) {
            run.runner.pause();
        }
    }

    @Override
    public void resume(String region) {
        Run run = running.get(region);
        if (run != null) {
            run.runner.resume();
        }
    }

    @Override
    public void beginStop(String region) {
        Run run = running.get(region);
        if (run != null) {
            run.requestedEnd = true;
            run.runner.beginStop();
        }
    }

    @Override
    public void stop(String region) throws FencedException {
        Run run = running.remove(region);
        if (run == null) {
            return;
        }
        run.requestedEnd = true;
        boolean ended;
        try {
            ended = run.runner.stop(stopTimeout);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        if (!ended) {
            run.runner.abandon();
            throw new IllegalStateException("Region " + region + " did not stop within " + stopTimeout.toMillis()
                    + " ms (shutdown.timeout.ms); abandoned without a final checkpoint.");
        }
        if (run.fencedBy != null) {
            throw new FencedException(region, run.epoch, "fenced while stopping: " + run.fencedBy.getMessage());
        }
        log.info("region {} released after a final checkpoint at offset {}", region, run.runner.stats().checkpointedOffset());
    }

    @Override
    public void abandon(String region) {
        Run run = running.remove(region);
        if (run != null) {
            run.requestedEnd = true;
            run.runner.abandon();
            log.warn("region {} epoch {} abandoned: no further checkpoint or effect", region, run.epoch);
        }
    }

    /** Per-region counters over every run so far, ended or running: monotonic across reclaims. */
    public RunnerTotals totals() {
        return totals;
    }

    /** Counters of the runners running now, by region. */
    public List<RunnerStats> runningStats() {
        return running.values().stream().map(run -> run.runner.stats()).toList();
    }
}
