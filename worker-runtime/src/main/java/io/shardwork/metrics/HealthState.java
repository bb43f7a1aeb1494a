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
 * Whether this worker is healthy, for {@code /health}. DOWN, with a reason each, while any of these holds:
 * <ol>
 *   <li>no ZooKeeper connection yet: no CONNECTED seen since start;</li>
 *   <li>the ZooKeeper session is LOST (Curator's LOST: the session expired, or the connection has been gone
 *       for a session timeout). Back UP at RECONNECTED (a new session; the coordinator re-registers and
 *       claims again through the normal path). SUSPENDED alone stays UP (reported as the zookeeper state):
 *       regions are paused, and a blip shorter than the session must not fail a probe;</li>
 *   <li>the coordinator stopped on its own ({@code WorkerCoordinator.failure()}, e.g. a duplicate worker id
 *       after a session loss): for good;</li>
 *   <li>a region's runner died ({@link io.shardwork.runner.RunnerListener#onDied}): until a new run of that
 *       region starts on this worker (the coordinator gave the claim up and claimed it again), or the
 *       region is no longer pursued by this worker (assigned elsewhere: its ownership went back to IDLE);</li>
 *   <li>a handler call has run longer than {@code handler.timeout.ms}: until it returns or the region is given up.</li>
 * </ol>
 *
 * <p>Thread-safe; callbacks arrive on Curator's, the coordinator's and runners' threads; {@link #check()}
 * never blocks and never reads ZooKeeper.
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
    private final Map<String, String> hungHandlers = new TreeMap<>();
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

    /** A handler call of {@code region} has run {@code running}, longer than {@code timeout} (handler.timeout.ms). Any thread. */
    public synchronized void handlerHung(String region, long epoch, java.time.Duration running, java.time.Duration timeout) {
        hungHandlers.put(region, "a handler call of region " + region + " (epoch " + epoch + ") has run " + running.toMillis()
                + " ms, longer than handler.timeout.ms (" + timeout.toMillis() + " ms)");
    }

    /** The hung call of {@code region} returned, or the region was given up. Any thread. */
    public synchronized void handlerRecovered(String region) {
        hungHandlers.remove(region);
    }

    /** The health now. Never blocks. */
    public synchronized Health check() {
        List<String> reasons = new ArrayList<>();
        if (zookeeper == null) {
            reasons.add("not connected to ZooKeeper yet");
        } else if (zookeeper == ConnectionState.LOST) {
            reasons.add("ZooKeeper session lost");
        }
        coordinatorFailure.get().ifPresent(failure -> reasons.add("coordinator stopped: " + failure.getMessage()));
        deaths.entrySet().removeIf(entry -> !pursued.test(entry.getKey()));
        deaths.values().forEach(death -> reasons.add(death.reason()));
        hungHandlers.keySet().removeIf(region -> !pursued.test(region));
        reasons.addAll(hungHandlers.values());
        return new Health(reasons.isEmpty() ? "UP" : "DOWN", workerId,
                zookeeper == null ? "NOT_CONNECTED" : zookeeper.name(), List.copyOf(reasons));
    }
}
