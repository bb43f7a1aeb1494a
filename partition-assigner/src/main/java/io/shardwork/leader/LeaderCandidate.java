package io.shardwork.leader;

import io.shardwork.assigner.AssignmentStrategy;
import io.shardwork.assigner.Region;
import io.shardwork.layout.ClusterPaths;
import java.io.Closeable;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.CancelLeadershipException;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListener;
import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's candidacy for leadership, and its leader work while elected.
 *
 * <p>Why {@link LeaderSelector} rather than {@code LeaderLatch}: the selector hands leadership to ONE
 * thread for as long as {@code takeLeadership} runs, which is exactly the controller's single thread; giving
 * up leadership is returning from it, and {@code autoRequeue} re-joins the election, so "deposed: stop at
 * once and re-join" needs no second mechanism. Cancelling leadership interrupts that thread, which the
 * controller's queue honours at once. A latch would need its own event thread, listener races between
 * isLeader/notLeader, and close-and-recreate to re-join.
 *
 * <p>Term: elected, bump {@code /leader-epoch} (the new znode version is this term's epoch; the bump is sent
 * without waiting, and the controller's first reads travel with it), then run an {@link AssignmentController}
 * on the leadership thread until deposed, cancelled or closed.
 *
 * <p>Connection states go through {@link #handleStateChange}: SUSPENDED and LOST cancel the term at once
 * (stop acting); leadership is re-confirmed only by winning the election again, with a new epoch.
 */
public final class LeaderCandidate implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderCandidate.class);

    private enum State { LATENT, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final CuratorFramework client;
    private final ClusterPaths paths;
    private final String workerId;
    private final List<Region> regions;
    private final AssignmentStrategy strategy;
    private final ControllerSettings settings;
    private final TimeSource time;
    private final Supplier<? extends Collection<String>> likelyMembers;
    private final LeaderSelector selector;
    private final AtomicLong actingEpoch = new AtomicLong(-1);
    private final AtomicLong terms = new AtomicLong();

    /**
     * @param regions the regions this worker knows at start, only to warm the leader's code ({@link LeaderWarmUp}):
     *                the leader assigns the regions of the cluster definition it reads in every round
     */
    public LeaderCandidate(CuratorFramework client, ClusterPaths paths, String workerId, List<Region> regions,
                           AssignmentStrategy strategy, ControllerSettings settings, TimeSource time) {
        this(client, paths, workerId, regions, strategy, settings, time, Set::of);
    }

    /**
     * @param likelyMembers the members this worker believes there are (those of the last assignment it read): a term's
     *                      first read asks for their data with the member list ({@link AssignmentController})
     */
    public LeaderCandidate(CuratorFramework client, ClusterPaths paths, String workerId, List<Region> regions,
                           AssignmentStrategy strategy, ControllerSettings settings, TimeSource time,
                           Supplier<? extends Collection<String>> likelyMembers) {
        this.client = client;
        this.likelyMembers = likelyMembers;
        this.paths = paths;
        this.workerId = workerId;
        this.regions = List.copyOf(regions);
        this.strategy = strategy;
        this.settings = settings;
        this.time = time;
        this.selector = new LeaderSelector(client, paths.leader(), new Listener());
        this.selector.setId(workerId);
        this.selector.autoRequeue();
    }

    /**
     * Joins the election. Does not block; the term runs on the selector's own thread. Also warms the
     * leader's code on a thread of its own ({@link LeaderWarmUp}), so a first term after a failover is fast: the
     * first candidate of the JVM with this strategy's class.
     */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("Cannot be started more than once");
        }
        selector.start();
        if (!LeaderWarmUp.firstFor(strategy)) {
            return;
        }
        Thread warmUp = new Thread(() -> {
            try {
                LeaderWarmUp.run(strategy, regions);
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("Leader warm-up of {} failed: {}", workerId, e.toString());
            }
        }, "shardwork-leader-warm-up-" + workerId);
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
    }

    /**
     * Leaves the election: interrupts a running term, then, while connected, waits up to
     * {@link #CLOSE_WAIT} for this candidate's election node to be deleted, so that the client may be closed
     * right after without cutting the release short. Idempotent.
     */
    @Override
    public void close() {
        if (!state.compareAndSet(State.STARTED, State.CLOSED)) {
            state.set(State.CLOSED);
            return;
        }
        selector.close();
        awaitOwnNodeGone();
    }

    /**
     * Leaves the election without waiting for anything, as when the process is going down hard: a running
     * term is interrupted; the election node goes with the session. Idempotent.
     */
    public void closeNow() {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            selector.close();
        }
    }

    /** How long {@link #close()} waits for the election node to go. */
    public static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(2);

    private void awaitOwnNodeGone() {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        Object changed = new Object();
        try {
            while (client.getZookeeperClient().isConnected() && System.nanoTime() < deadline) {
                client.getChildren().usingWatcher((org.apache.zookeeper.Watcher) event -> {
                    synchronized (changed) {
                        changed.notifyAll();
                    }
                }).forPath(paths.leader());
                boolean present = selector.getParticipants().stream().anyMatch(p -> workerId.equals(p.getId()));
                if (!present) {
                    return;
                }
                synchronized (changed) {
                    changed.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // disconnected or closing: the session's end deletes the node anyway
        }
    }

    /** Whether this worker is acting as leader right now (in a term, epoch taken). Never blocks. */
    public boolean isActing() {
        return actingEpoch.get() > 0;
    }

    /** The epoch of the running term, or -1 when not acting. Never blocks. */
    public long actingEpoch() {
        return actingEpoch.get();
    }

    /** How many terms this candidate has started (for tests and metrics). */
    public long terms() {
        return terms.get();
    }

    /** The single connection-state switch. Called on Curator's connection-state thread. */
    void handleStateChange(ConnectionState newState) {
        switch (newState) {
            case SUSPENDED, LOST -> {
                if (actingEpoch.getAndSet(-1) > 0) {
                    LOG.info("Leader {}: connection {}, stopping as leader until re-elected.", workerId, newState);
                }
                throw new CancelLeadershipException();
            }
            case CONNECTED, RECONNECTED, READ_ONLY -> {
                // leadership is re-confirmed only by winning the election again (autoRequeue)
            }
        }
    }

    private final class Listener implements LeaderSelectorListener {
        @Override
        public void takeLeadership(CuratorFramework leaderClient) throws Exception {
            if (state.get() != State.STARTED) {
                return;
            }
            LeaderEpochs.Bump bump = new LeaderEpochs(client, paths).bumpInBackground(workerId, time.now());
            terms.incrementAndGet();
            try {
                new AssignmentController(client, paths, workerId, strategy, settings, time, likelyMembers).lead(bump, epoch -> {
                    actingEpoch.set(epoch);
                    LOG.info("Worker {} is leader with epoch {}.", workerId, epoch);
                });
            } finally {
                actingEpoch.set(-1);
            }
        }

        @Override
        public void stateChanged(CuratorFramework changedClient, ConnectionState newState) {
            handleStateChange(newState);
        }
    }
}
