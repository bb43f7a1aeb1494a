package io.shardwork.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;

/**
 * Whether this worker is alive and whether it is ready, for {@code /health/live}, {@code /health/ready} and
 * {@code /health} (the ready view, kept for compatibility).
 *
 * <p><b>Live</b> is DOWN only when the worker can no longer recover on its own and must be restarted:
 * <ol>
 *   <li>the coordinator stopped on its own ({@code WorkerCoordinator.failure()}, e.g. a duplicate worker id
 *       after a session loss);</li>
 *   <li>something marked it {@link #unrecoverable(String) unrecoverable} (e.g. the handler cannot be loaded).</li>
 * </ol>
 *
 * <p><b>Ready</b> is DOWN, with a reason each, while any of these holds (and while it is not live):
 * <ol>
 *   <li>no ZooKeeper connection yet: no CONNECTED seen since start;</li>
 *   <li>the ZooKeeper session is LOST (Curator's LOST: the session expired, or the connection has been gone
 *       for a session timeout). Back UP at RECONNECTED (a new session; the coordinator re-registers and
 *       claims again through the normal path). SUSPENDED alone stays UP (reported as the zookeeper state):
 *       the session may still be alive, regions are paused, and a blip shorter than the session must not fail
 *       a probe;</li>
 *   <li>a region's runner died ({@link io.shardwork.runner.RunnerListener#onDied}): until a new run of that
 *       region starts on this worker (the coordinator gave the claim up and claimed it again), or the
 *       region is no longer pursued by this worker (assigned elsewhere: its ownership went back to IDLE);</li>
 *   <li>a region is held but its runner is not running (yet): see {@link #requireRunning};</li>
 *   <li>a named condition is {@link #raise raised} (a hung handler: a call running longer than {@code handler.timeout.ms}, until it returns or the region is given up) until it is {@link #clear cleared}.</li>
 * </ol>
 *
 * <p>Thread-safe; callbacks arrive on Curator's, the coordinator's and runners' threads; {@link #live()},
 * {@link #ready()} and {@link #check()} never block and never read ZooKeeper.
 */
public final class HealthState implements ConnectionStateListener {
    /**
     * One health reading.
     *
     * @param status    UP or DOWN
     * @param zookeeper the last Curator connection state, or NOT_CONNECTED before the first
     * @param reasons   why DOWN; empty when UP
     */
    public record Health(String status, String worker, String zookeeper, List<String> reasons) {
        public boolean up() {
            return "UP".equals(status);
        }
    }

    private record Death(long epoch, String reason) {
    }

    private final String workerId;
    private final Supplier<Optional<Exception>> coordinatorFailure;
    private final Predicate<String> pursued;
    private final Map<String, Death> deaths = new TreeMap<>();
    private static final String HUNG_HANDLER = "handler-timeout:";
    private final Map<String, String> raised = new TreeMap<>();
    private final List<String> unrecoverable = new ArrayList<>();
    private Supplier<List<String>> heldNotRunning = List::of;
    private ConnectionState zookeeper;

    /**
     * @param coordinatorFailure why the coordinator stopped on its own, if it did
     * @param pursued            whether this worker still holds or is claiming a region
     */
    public HealthState(String workerId, Supplier<Optional<Exception>> coordinatorFailure, Predicate<String> pursued) {
        this.workerId = workerId;
        this.coordinatorFailure = coordinatorFailure;
        this.pursued = pursued;
    }

    @Override
    public synchronized void stateChanged(CuratorFramework client, ConnectionState newState) {
        zookeeper = newState;
    }

    /** The runner of {@code region} under {@code epoch} died of {@code cause}. Any thread. */
    public synchronized void runnerDied(String region, long epoch, Throwable cause) {
        deaths.put(region, new Death(epoch, "runner of region " + region + " (epoch " + epoch + ") died: " + cause));
    }

    /** A runner of {@code region} under {@code epoch} is ready to fetch: a death under an older epoch is over. Any thread. */
    public synchronized void runnerStarted(String region, long epoch) {
        Death death = deaths.get(region);
        if (death != null && epoch > death.epoch()) {
            deaths.remove(region);
        }
    }

    /**
     * Regions count in readiness: {@code heldNotRunning} lists the regions this worker holds a claim on (and
     * means to work on) whose runner is not running; each makes the worker not ready. Call once, before serving.
     */
    public synchronized void requireRunning(Supplier<List<String>> heldNotRunning) {
        this.heldNotRunning = heldNotRunning;
    }

    /**
     * Raises a named condition that makes the worker not ready until {@link #clear(String)}: one reason per
     * name (raising again replaces it), e.g. {@code raise("hung-handler:eu", "handler in region eu busy for 95 s")}.
     * Any thread.
     */
    public synchronized void raise(String name, String reason) {
        raised.put(name, reason);
    }

    /** Clears the condition {@code name}; nothing when it is not raised. Any thread. */
    public synchronized void clear(String name) {
        raised.remove(name);
    }

    /** The worker cannot recover without a restart, because of {@code reason}: not live (nor ready) for good. Any thread. */
    public synchronized void unrecoverable(String reason) {
        if (!unrecoverable.contains(reason)) {
            unrecoverable.add(reason);
        }
    }

    /** A handler call of {@code region} has run {@code running}, longer than {@code timeout} (handler.timeout.ms). Any thread. */
    public synchronized void handlerHung(String region, long epoch, java.time.Duration running, java.time.Duration timeout) {
        raise(HUNG_HANDLER + region, "a handler call of region " + region + " (epoch " + epoch + ") has run "
                + running.toMillis() + " ms, longer than handler.timeout.ms (" + timeout.toMillis() + " ms)");
    }

    /** The hung call of {@code region} returned, or the region was given up. Any thread. */
    public synchronized void handlerRecovered(String region) {
        clear(HUNG_HANDLER + region);
    }

    /** Whether the process is worth keeping (the liveness probe). Never blocks. */
    public synchronized Health live() {
        return health(liveReasons());
    }

    /** Whether the worker does its work (the readiness probe); also what {@code /health} serves. Never blocks. */
    public synchronized Health ready() {
        List<String> reasons = new ArrayList<>();
        if (zookeeper == null) {
            reasons.add("not connected to ZooKeeper yet");
        } else if (zookeeper == ConnectionState.LOST) {
            reasons.add("ZooKeeper session lost");
        }
        reasons.addAll(liveReasons());
        deaths.entrySet().removeIf(entry -> !pursued.test(entry.getKey()));
        deaths.values().forEach(death -> reasons.add(death.reason()));
        for (String region : heldNotRunning.get()) {
            if (!deaths.containsKey(region)) {
                reasons.add("region " + region + " is held but its runner is not running");
            }
        }
        raised.keySet().removeIf(name -> name.startsWith(HUNG_HANDLER) && !pursued.test(name.substring(HUNG_HANDLER.length())));
        reasons.addAll(raised.values());
        return health(reasons);
    }

    /** The ready view: {@link #ready()}. */
    public Health check() {
        return ready();
    }

    private List<String> liveReasons() {
        List<String> reasons = new ArrayList<>();
        coordinatorFailure.get().ifPresent(failure -> reasons.add("coordinator stopped: " + failure.getMessage()));
        reasons.addAll(unrecoverable);
        return reasons;
    }

    private Health health(List<String> reasons) {
        return new Health(reasons.isEmpty() ? "UP" : "DOWN", workerId,
                zookeeper == null ? "NOT_CONNECTED" : zookeeper.name(), List.copyOf(reasons));
    }
}
