package io.shardwork.node;

import io.shardwork.coordination.checkpoint.CheckpointStore;
import io.shardwork.coordination.checkpoint.FencedException;
import io.shardwork.coordination.worker.RegionLifecycle;
import io.shardwork.coordination.worker.StopAbandonedException;
import io.shardwork.layout.Checkpoint;
import io.shardwork.metrics.RunnerTotals;
import io.shardwork.runner.CheckpointWriter;
import io.shardwork.runner.RegionFencedException;
import io.shardwork.runner.RegionRunner;
import io.shardwork.runner.RegionRunnerFactory;
import io.shardwork.runner.RunnerListener;
import io.shardwork.runner.RunnerState;
import io.shardwork.runner.RunnerStats;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the coordinator's decisions with one {@link RegionRunner} per held region: start from the
 * checkpoint under the claim's epoch, pause and resume on connection blips, stop gracefully before the claim is
 * deleted (the final checkpoint left to the multi that deletes it), abandon at once when fenced or lost.
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
    private final java.util.concurrent.atomic.AtomicLong abandonedStops = new java.util.concurrent.atomic.AtomicLong();
    private final RestartBackoff restarts;
    private final java.util.concurrent.atomic.AtomicLong handlerTimeouts = new java.util.concurrent.atomic.AtomicLong();
    /** Tells the coordinator of a death after its backoff; one daemon thread, idle but for that. */
    private final java.util.concurrent.ScheduledExecutorService restartTimer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "shardwork-restart-backoff");
                thread.setDaemon(true);
                return thread;
            });
    /** Default restart backoff after repeated runner deaths of one region: 1 s, doubling, at most 60 s. */
    public static final Duration RESTART_BACKOFF_INITIAL = Duration.ofSeconds(1);
    public static final Duration RESTART_BACKOFF_MAX = Duration.ofSeconds(60);
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
        /** Set when the run was given up: from then on its checkpoint writer refuses every write. */
        volatile boolean abandoned;
        /** When the graceful stop was first asked for ({@link System#nanoTime()}), or 0. */
        volatile long stopBegunNanos;
        volatile Exception fencedBy;
        /** The final checkpoint the graceful stop left to the release ({@link #stop}), or -1. */
        volatile long finalOffset = -1;
        /** Whether the handler call in progress was reported as running past handler.timeout.ms. */
        volatile boolean hungReported;

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
            restarts.onCleanEnd(region);
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
            Duration wait = restarts.onDeath(region, runner.stats().checkpointedOffset());
            tell(() -> observer.onDied(runner, cause));
            log.error("region {} epoch {}: runner died ({} in a row); the claim is given up {} and the region resumes from its last"
                    + " checkpoint", region, epoch, restarts.consecutiveDeaths(region),
                    wait.isZero() ? "at once" : "in " + wait.toMillis() + " ms", cause);
            if (!requestedEnd) {
                endAfter(wait);
            }
        }

        /** Tells the coordinator that this run ended on its own once {@code wait} has passed (the restart backoff). */
        void endAfter(Duration wait) {
            if (wait.isZero()) {
                unexpectedEnd.accept(region, epoch);
            } else {
                try {
                    restartTimer.schedule(() -> unexpectedEnd.accept(region, epoch), wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    unexpectedEnd.accept(region, epoch);
                }
            }
        }
    }

    /** @param partitions region to partition, a live view: regions added by a new cluster definition appear in it */
    public RunnerLifecycle(RegionRunnerFactory runners, CheckpointStore checkpoints, Map<String, Integer> partitions, Duration stopTimeout) {
        this(runners, checkpoints, partitions, stopTimeout, new RestartBackoff(RESTART_BACKOFF_INITIAL, RESTART_BACKOFF_MAX));
    }

    /**
     * @param restarts how long a region whose runner died waits before the coordinator hears of it (and claims it
     *                 again): repeated deaths back off instead of looping
     */
    public RunnerLifecycle(RegionRunnerFactory runners, CheckpointStore checkpoints, Map<String, Integer> partitions, Duration stopTimeout,
                           RestartBackoff restarts) {
        this.restarts = restarts;
        this.runners = runners;
        this.checkpoints = checkpoints;
        this.partitions = partitions;
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
            throw new IllegalStateException("Region " + region + " is not in the cluster definition this worker runs; its partition is unknown.");
        }
        Run run = new Run(region, epoch, (r, e) -> workEnded.accept(r, e), (r, e, cause) -> fenceListener.fenced(r, e, cause));
        CheckpointWriter writer = new CheckpointWriter() {
            @Override
            public void commit(long writtenEpoch, long nextOffset) throws RegionFencedException {
                refuseIfAbandoned(writtenEpoch);
                try {
                    checkpoints.commit(region, writtenEpoch, nextOffset);
                } catch (Exception failed) {
                    Exception mapped = asRunnerFailure(failed);
                    if (mapped instanceof RegionFencedException fenced) {
                        throw fenced;
                    }
                    throw (RuntimeException) mapped;
                }
            }

            /** Kept for the release's multi when the coordinator asked for the stop; else written at once. */
            @Override
            public void commitFinal(long writtenEpoch, long nextOffset) throws RegionFencedException {
                refuseIfAbandoned(writtenEpoch);
                if (run.requestedEnd) {
                    run.finalOffset = nextOffset;
                } else {
                    commit(writtenEpoch, nextOffset);
                }
            }

            @Override
            public void post(long writtenEpoch, long nextOffset, Duration within, Outcome outcome) {
                try {
                    refuseIfAbandoned(writtenEpoch);
                } catch (RegionFencedException refused) {
                    outcome.completed(refused);
                    return;
                }
                checkpoints.post(region, writtenEpoch, nextOffset, within,
                        failure -> outcome.completed(failure == null ? null : asRunnerFailure(failure)));
            }

            private void refuseIfAbandoned(long writtenEpoch) throws RegionFencedException {
                if (run.abandoned) {
                    FencedException refused = new FencedException(region, writtenEpoch, "abandoned on this worker: it writes no checkpoint");
                    run.fences.fenced(region, writtenEpoch, refused); // counted like a refusal of ZooKeeper's (ownership history)
                    throw new RegionFencedException(refused.getMessage(), refused);
                }
            }

            /** A refusal as the runner's fence; any other failure as a runtime one (the runner tries again later). */
            private Exception asRunnerFailure(Exception failed) {
                if (failed instanceof FencedException fenced) {
                    return new RegionFencedException(fenced.getMessage(), fenced);
                }
                return failed instanceof RuntimeException ? failed
                        : new IllegalStateException("Checkpoint of region " + region + " failed: " + failed, failed);
            }
        };
        RegionRunner runner = runners.newRunner(writer, run);
        run.runner = runner;
        run.counted = totals.begin(region, runner::stats);
        Run previous = running.put(region, run);
        if (previous != null) {
            previous.requestedEnd = true;
            previous.abandoned = true;
            previous.runner.abandon();
        }
        long from = checkpoint.map(Checkpoint::offset).orElse(0L);
        log.info("region {} (partition {}) claimed under epoch {}: processing from offset {}", region, partition, epoch, from);
        runner.start(region, partition, epoch, from);
    }

    @Override
    public void standBy(Set<String> standingBy, Set<String> owned) {
        Map<String, Integer> standbys = new HashMap<>();
        for (String region : standingBy) {
            Integer partition = partitions.get(region);
            if (partition != null) {
                standbys.put(region, partition);
            }
        }
        runners.standBy(standbys, owned);
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
            if (run.stopBegunNanos == 0) {
                run.stopBegunNanos = System.nanoTime();
            }
            run.runner.beginStop();
        }
    }

    /**
     * Waits for the graceful stop at most shutdown.timeout.ms, counted from {@link #beginStop} when that came
     * first, so regions released together all end within that one bound. Past it the runner is abandoned:
     * it writes no checkpoint from then on, and its stuck thread's effects are fenced once the claim is gone.
     * A run already given up (its handler call hung, see {@link #watchHandlers}) cannot stop gracefully: it is
     * released at once, without a final checkpoint. The runner's final checkpoint is not written here: it is
     * returned, for the coordinator to write in the multi that deletes the claim.
     */
    @Override
    public OptionalLong stop(String region) throws FencedException, StopAbandonedException {
        Run run = running.remove(region);
        if (run == null) {
            return OptionalLong.empty();
        }
        if (run.abandoned) {
            run.runner.abandon();
            throw new StopAbandonedException("Region " + region + " epoch " + run.epoch + " was given up before its release (a hung"
                    + " handler call); released without a final checkpoint (last checkpoint " + run.runner.stats().checkpointedOffset() + ")");
        }
        run.requestedEnd = true;
        long begun = run.stopBegunNanos != 0 ? run.stopBegunNanos : System.nanoTime();
        Duration left = stopTimeout.minusNanos(System.nanoTime() - begun);
        boolean ended;
        try {
            ended = run.runner.stop(left.isNegative() ? Duration.ZERO : left);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        if (!ended) {
            abandonedStops.incrementAndGet();
            run.abandoned = true;
            run.runner.abandon();
            throw new StopAbandonedException("Region " + region + " epoch " + run.epoch + " did not stop within "
                    + stopTimeout.toMillis() + " ms (shutdown.timeout.ms); abandoned without a final checkpoint at offset "
                    + run.runner.stats().nextOffset() + " (last checkpoint " + run.runner.stats().checkpointedOffset() + ")");
        }
        if (run.fencedBy != null) {
            throw new FencedException(region, run.epoch, "fenced while stopping: " + run.fencedBy.getMessage());
        }
        if (run.finalOffset < 0) {
            log.info("region {} released after a final checkpoint at offset {}", region, run.runner.stats().checkpointedOffset());
            return OptionalLong.empty();
        }
        log.info("region {} stopped at offset {}: its final checkpoint goes with the claim's deletion", region, run.finalOffset);
        return OptionalLong.of(run.finalOffset);
    }

    @Override
    public void abandon(String region) {
        Run run = running.remove(region);
        if (run != null) {
            run.requestedEnd = true;
            run.abandoned = true;
            run.runner.abandon();
            log.warn("region {} epoch {} abandoned: no further checkpoint or effect", region, run.epoch);
        }
    }

    @Override
    public Duration stopTimeout() {
        return stopTimeout;
    }

    /** Hears of handler calls running past {@code handler.timeout.ms}; on the watch thread, must not block. */
    public interface HandlerWatchListener {
        /** A call of {@code region}'s handler has run {@code running}, past the timeout. */
        void hung(String region, long epoch, Duration running);

        /** The call reported as hung returned, or its run ended. */
        void recovered(String region);

        /**
         * The region was given up after twice the timeout: abandoned, published as in restart backoff (the leader
         * moves it to another worker if one may take it), its claim to be deleted after the backoff's wait.
         */
        void gaveUp(String region, long epoch, Duration running);
    }

    /**
     * Watches every run's handler call, every quarter of {@code timeout} (at most every second): a call running
     * longer than {@code timeout} is reported as hung (the worker is not ready, naming the region); one running
     * twice as long makes this worker give the region up: the run is abandoned (its checkpoint writer refuses,
     * its sends are refused) and the give-up counts as a death of the region's run in {@link RestartBackoff}
     * ({@link RestartBackoff#onGiveUp}), published at once in the member node, so the leader moves the region to
     * another worker when one may take it (restart-backoff exclusion). After the backoff's wait (at least its
     * initial wait) the coordinator hears that the work ended and deletes the claim; the region is claimed under a
     * new epoch, by the other worker or, when there is none, by this one again; the new epoch fences whatever the
     * hung call still attempts. If the leader moved the region meanwhile, the release deletes the claim at once.
     * The hung thread itself cannot be stopped: it keeps running until the call returns, then finds its run
     * abandoned and ends without an effect. Call once, before the coordinator starts.
     */
    public void watchHandlers(Duration timeout, HandlerWatchListener listener) {
        long every = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
        restartTimer.scheduleWithFixedDelay(() -> checkHandlers(timeout, listener), every, every,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void checkHandlers(Duration timeout, HandlerWatchListener listener) {
        try {
            for (Run run : running.values()) {
                Duration call = run.runner.handlerCallRunning();
                if (call.compareTo(timeout) >= 0 && !run.hungReported) {
                    run.hungReported = true;
                    handlerTimeouts.incrementAndGet();
                    log.warn("region {} epoch {}: a handler call has run {} ms, longer than handler.timeout.ms ({} ms)", run.region,
                            run.epoch, call.toMillis(), timeout.toMillis());
                    listener.hung(run.region, run.epoch, call);
                } else if (call.compareTo(timeout) < 0 && run.hungReported) {
                    run.hungReported = false;
                    listener.recovered(run.region);
                }
                if (call.compareTo(timeout.multipliedBy(2)) >= 0 && !run.abandoned && !run.requestedEnd) {
                    run.abandoned = true;
                    run.requestedEnd = true;
                    run.runner.abandon();
                    Duration wait = restarts.onGiveUp(run.region, run.runner.stats().checkpointedOffset());
                    log.error("region {} epoch {}: a handler call has run {} ms, twice handler.timeout.ms: the region is given up"
                            + " (abandoned, in restart backoff so that another worker takes it; the claim is deleted in {} ms at the"
                            + " latest); the hung thread runs on until the call returns", run.region, run.epoch, call.toMillis(), wait.toMillis());
                    listener.gaveUp(run.region, run.epoch, call);
                    listener.recovered(run.region);
                    run.endAfter(wait);
                }
            }
        } catch (RuntimeException e) {
            log.warn("The handler watch failed: {}", e.toString());
        }
    }

    /** Stops the handler watch and the restart timer (pending restarts are dropped). Call once the coordinator is closed. */
    public void shutdown() {
        restartTimer.shutdownNow();
    }

    /** Handler calls that ran past handler.timeout.ms, so far. */
    public long handlerTimeouts() {
        return handlerTimeouts.get();
    }

    /** The restart backoff of regions whose runners died (metrics, health). */
    public RestartBackoff restartBackoff() {
        return restarts;
    }

    /** Releases whose runner did not stop within shutdown.timeout.ms and was abandoned, so far. */
    public long abandonedStops() {
        return abandonedStops.get();
    }

    /** Per-region counters over every run so far, ended or running: monotonic across reclaims. */
    public RunnerTotals totals() {
        return totals;
    }

    /** Counters of the runners running now, by region. */
    public List<RunnerStats> runningStats() {
        // a run is listed in running before its runner starts (so that its death is always heard); until then it
        // has no region, and is not running yet
        return running.values().stream().map(run -> run.runner.stats()).filter(stats -> stats.state() != RunnerState.NEW)
                .toList();
    }
}
