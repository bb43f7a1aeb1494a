package io.shardwork.coordination.worker;

import io.shardwork.assigner.AssignmentStrategy;
import io.shardwork.assigner.Region;
import io.shardwork.coordination.CoordinationSettings;
import io.shardwork.coordination.LayoutAccessDeniedException;
import io.shardwork.coordination.LayoutAcls;
import io.shardwork.coordination.WatchedRead;
import io.shardwork.coordination.ZooKeeperClientFactory;
import io.shardwork.coordination.checkpoint.CheckpointStore;
import io.shardwork.coordination.checkpoint.FencedException;
import io.shardwork.coordination.checkpoint.FencingCounter;
import io.shardwork.coordination.checkpoint.FinalCheckpoint;
import io.shardwork.coordination.checkpoint.ZooKeeperCheckpointStore;
import io.shardwork.coordination.claim.ClaimResult;
import io.shardwork.coordination.claim.RegionClaims;
import io.shardwork.coordination.definition.DefinitionStore;
import io.shardwork.coordination.definition.VersionedDefinition;
import io.shardwork.coordination.membership.DuplicateWorkerException;
import io.shardwork.coordination.membership.MemberRegistration;
import io.shardwork.coordination.ownership.OwnershipAction;
import io.shardwork.coordination.ownership.OwnershipEvent;
import io.shardwork.coordination.ownership.OwnershipState;
import io.shardwork.coordination.ownership.OwnershipWarmUp;
import io.shardwork.coordination.ownership.RegionOwnership;
import io.shardwork.coordination.ownership.Transition;
import io.shardwork.coordination.session.SessionCredentials;
import io.shardwork.coordination.session.SessionListener;
import io.shardwork.layout.AssignmentDocument;
import io.shardwork.layout.Checkpoint;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.DefinitionDocument;
import io.shardwork.layout.LayoutJson;
import io.shardwork.layout.MemberInfo;
import io.shardwork.logging.LogContext;
import io.shardwork.leader.ControllerSettings;
import io.shardwork.leader.LeaderCandidate;
import io.shardwork.leader.TimeSource;
import java.io.Closeable;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordination layer of one worker: membership, leader candidacy (the leader side runs on its own
 * thread, see {@link LeaderCandidate}), an assignment watcher, and one {@link RegionOwnership} state machine
 * per region whose actions are carried out here.
 *
 * <p>Threading: every worker-side event (assignment changes, claim watches, connection states) is handled
 * on ONE event thread, {@code shardwork-coordinator-<workerId>}; watches and listeners only enqueue. The
 * {@link RegionLifecycle} is called on that thread.
 *
 * <p>Connection states go through one switch: SUSPENDED pauses every held region; RECONNECTED resumes a
 * region only if its claim is still held by the same session, otherwise abandons it, and re-registers and
 * re-reads the assignment when the session changed; LOST abandons everything. Safety never depends on these
 * notifications arriving: every checkpoint is fenced by the region epoch (see
 * {@link ZooKeeperCheckpointStore}).
 */
public final class WorkerCoordinator implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerCoordinator.class);

    /**
     * Whether a coordinator of this JVM warmed the claim path: compiled code is the JVM's, and a second worker in one
     * JVM (tests, embedding applications, the throughput benchmark's worker per round) spent two ZooKeeper round
     * trips, 12-18 ms of its start before registering, on it again.
     */
    private static final AtomicBoolean CLAIM_PATH_WARMED = new AtomicBoolean();

    private static final String VERSION = "0.1.0-SNAPSHOT";

    private enum State { LATENT, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final CoordinationSettings settings;
    private final ClusterPaths paths;
    private final TimeSource time;
    private final OwnershipListener listener;
    private final ZooKeeperClientFactory clients;
    private final CuratorFramework client;
    private final FencingCounter fencing = new FencingCounter();
    private final java.util.concurrent.atomic.AtomicLong abandonedReleases = new java.util.concurrent.atomic.AtomicLong();
    private final ZooKeeperCheckpointStore checkpoints;
    private final RegionLifecycle lifecycle;
    private final RegionClaims claims;
    private final MemberRegistration membership;
    private final LeaderCandidate candidate;
    private final ExecutorService events;
    private final Map<String, RegionOwnership> ownerships = new ConcurrentHashMap<>();
    /** The epoch of each region whose end the listener was last told of ({@link #released}). */
    private final Map<String, Long> releasedEpochs = new ConcurrentHashMap<>();
    /** While {@link #applyAll} runs: the claims its releases leave to delete together (event thread only); else null. */
    private Map<String, StoppedRun> claimsToDelete;

    /** A released region whose work stopped: its claim's epoch, and the final checkpoint its stop left to write. */
    private record StoppedRun(long epoch, OptionalLong finalOffset) {
    }
    private final Watcher assignmentWatcher = this::onAssignmentWatch;
    /**
     * Claims of abandoned regions whose deletion failed (the connection was down when the session was lost), region to
     * epoch; event thread only. Deleted at the next connection, before claiming again: left alone, our own old claim
     * blocked our next one until ZooKeeper expired the old session.
     */
    private final Map<String, Long> abandonedClaims = new LinkedHashMap<>();
    /** Claims asked for and not made yet, region to generation; event thread only. */
    private final Map<String, Long> pendingClaims = new LinkedHashMap<>();
    /** Regions whose claim found another's in the way and that wait for its deletion. Event thread. */
    private final Set<String> awaitingRelease = new LinkedHashSet<>();
    /** The epoch node version read with each blocked claim ({@link ClaimResult.Blocked#epochVersion}); event thread only. */
    private final Map<String, Integer> blockedEpochVersions = new HashMap<>();
    /** Of the pending claims, those freed by a deletion with the epoch version read when blocked; event thread only. */
    private final Map<String, Integer> freedEpochVersions = new LinkedHashMap<>();
    private boolean claimsScheduled;
    /** The claim reads sent with the last assignment's read, for the claims it brings (coordinator thread). */
    private RegionClaims.ReadAhead readAhead = RegionClaims.ReadAhead.NONE;
    /** The checkpoint read in the same snapshot as a successful claim, until its work starts; event thread only. */
    private final Map<String, Optional<Checkpoint>> checkpointsReadWithClaims = new HashMap<>();

    private final DefinitionStore definitions;
    private final Watcher definitionWatcher = event -> {
        if (event.getType() != Watcher.Event.EventType.None) {
            submit(this::refreshDefinition);
        }
    };
    private final List<Consumer<VersionedDefinition>> definitionListeners = new CopyOnWriteArrayList<>();
    /** The cluster-wide settings (other than regions) the runners run with; a definition with others is not adopted. */
    private volatile SortedMap<String, String> runningSettings;
    private volatile VersionedDefinition adopted;
    private int refusedVersion = DefinitionDocument.NO_VERSION;

    private volatile boolean leaving;
    /**
     * While a graceful close waits for the leader to move its regions ({@link #awaitHandedOver}): assignments are
     * still read, but only to give up held regions; nothing is claimed or stood by for.
     */
    private volatile boolean handingOver;
    /** Our member node is gone: every generation from now on moves all our regions (coordinator thread). */
    private boolean deregistered;
    /** Notified whenever a region's state changes while {@link #handingOver}. */
    private final Object handedOver = new Object();
    private volatile Exception failure;
    private volatile long registeredSession;
    private volatile long assignmentGeneration = -1;
    private volatile AssignmentDocument lastAssignment;
    private volatile SessionListener sessionListener = SessionListener.NONE;
    private volatile long announcedSession;

    /** A coordinator whose regions run the {@link NoopRegionLifecycle}. */
    public WorkerCoordinator(CoordinationSettings settings, AssignmentStrategy strategy) {
        this(settings, strategy, NoopRegionLifecycle::new, OwnershipListener.NONE, TimeSource.system());
    }

    /**
     * Builds the coordinator and its own CuratorFramework ({@link ZooKeeperClientFactory}: with credentials
     * in the settings, every node it creates is writable by that identity only); connects nothing until
     * {@link #start()}.
     *
     * @param strategy         the pure assignment strategy the leader side runs when this worker is leader
     * @param lifecycleFactory builds the order runner from this worker's fenced checkpoint store
     * @param listener         hears every claim and release
     * @param time             the wall clock
     */
    public WorkerCoordinator(CoordinationSettings settings, AssignmentStrategy strategy,
                             Function<CheckpointStore, RegionLifecycle> lifecycleFactory, OwnershipListener listener,
                             TimeSource time) {
        this.settings = settings;
        this.paths = new ClusterPaths(settings.clusterName());
        this.time = time;
        this.listener = listener;
        this.clients = ZooKeeperClientFactory.from(settings);
        this.client = clients.newClient();
        this.checkpoints = new ZooKeeperCheckpointStore(client, paths, settings.workerId(), fencing, time,
                (region, epoch, offset, version) -> listener.checkpointed(region, settings.workerId(), epoch, offset, version));
        this.lifecycle = lifecycleFactory.apply(checkpoints);
        this.claims = new RegionClaims(client, paths, settings.workerId(), time);
        this.membership = new MemberRegistration(client, paths, settings.workerId(), new MemberInfo(hostName(),
                ProcessHandle.current().pid(), settings.zone(), settings.capacity(), time.now(), VERSION));
        this.definitions = new DefinitionStore(client, paths);
        this.candidate = new LeaderCandidate(client, paths, settings.workerId(), settings.regions(), strategy,
                new ControllerSettings(Duration.ofMillis(settings.rebalanceDelayMs()), settings.maxBalanceMovesPerRound()),
                time, this::likelyMembers);
        this.events = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(() -> {
                LogContext.worker(settings.workerId());
                runnable.run();
            }, "shardwork-coordinator-" + settings.workerId());
            thread.setDaemon(true);
            return thread;
        });
        for (Region region : settings.regions()) {
            ownerships.put(region.name(), RegionOwnership.idle(region.name()));
        }
    }

    /**
     * Connects (blocking up to {@code connectionTimeoutMs}), registers the member node, joins the election
     * and starts following the assignment. Blocks until registered. With credentials, first brings every
     * existing node of the cluster to the deployment's ACL ({@link LayoutAcls}).
     *
     * @throws DuplicateWorkerException when a live worker holds the same id (the coordinator is then closed)
     * @throws LayoutAccessDeniedException when the layout is not writable with this worker's credentials
     * @throws IllegalStateException    when called twice, or when ZooKeeper cannot be reached in time
     */
    public void start() throws Exception {
        start(() -> { });
    }

    /**
     * As {@link #start()}, running {@code beforeRegistering} on the caller's thread once the session is up, the layout
     * made and the definition read, just before the member node is created: what must hold before the leader may
     * give this worker regions (its topics checked, its Kafka clients warming) then overlaps the ZooKeeper steps,
     * and its failure closes the coordinator unregistered and is thrown as it is.
     */
    public void start(StartStep beforeRegistering) throws Exception {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("Cannot be started more than once");
        }
        client.start();
        try {
            if (!client.blockUntilConnected(settings.connectionTimeoutMs(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Cannot connect to ZooKeeper at " + settings.connectString() + " within "
                        + settings.connectionTimeoutMs() + " ms.");
            }
            announceSession();
            createLayout();
            if (clients.secured()) {
                LayoutAcls.secure(client, paths.root(), clients.acl());
            }
            onEvents(() -> {
                refreshDefinition();
                warmUpClaims();
            });
            beforeRegistering.run();
            onEvents(this::registerMembership);
        } catch (KeeperException.NoAuthException denied) {
            closeWithoutRelease();
            throw new LayoutAccessDeniedException("Cannot write " + denied.getPath() + ": the layout of cluster "
                    + settings.clusterName() + " is secured by another identity, and this worker has "
                    + (clients.secured() ? "other credentials" : "no credentials (zookeeper.auth.digest)") + ".", denied);
        } catch (Exception e) {
            closeWithoutRelease();
            throw e;
        }
        client.getConnectionStateListenable().addListener((c, newState) -> submit(() -> handleStateChange(newState)));
        candidate.start();
        submit(this::refreshAssignment);
    }

    /**
     * Graceful shutdown: deregisters, so the leader moves our regions, and goes on processing them until the
     * assignment that moves them arrives; then releases them as any move releases a region (stopped side by side,
     * each final checkpoint written with its claim's deletion: stop-before-start), so a region pauses from the
     * assignment to its new owner's start, as in a join, not from the signal: the leader's round and the
     * deregistration are no longer part of the pause. Whatever the leader has not moved within the session timeout
     * (no leader, or one that cannot write) is released then, as is everything when the deregistration failed.
     * Then it leaves the election and closes the client.
     * Blocks until done: the regions stop side by side, each within {@link RegionLifecycle#stopTimeout()}
     * ({@code shutdown.timeout.ms}, past which it is abandoned and its claim deleted all the same), and the
     * close waits that long plus {@link #closeMargin()} for the ZooKeeper writes around them; only past
     * that bound does it close the session under regions still releasing. Idempotent.
     */
    @Override
    public void close() {
        if (!state.compareAndSet(State.STARTED, State.CLOSED)) {
            state.set(State.CLOSED);
            return;
        }
        leaving = true;
        handingOver = true;
        long bound = lifecycle.stopTimeout().plus(closeMargin()).toMillis();
        try {
            if (events.submit(this::deregister).get(bound, TimeUnit.MILLISECONDS)) {
                awaitHandedOver(Duration.ofMillis(settings.sessionTimeoutMs()));
            }
        } catch (Exception e) {
            LOG.warn("Worker {}: the handover of its regions did not finish: {}", settings.workerId(), e.toString());
        } finally {
            handingOver = false;
        }
        try {
            events.submit(this::releaseAll).get(bound, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("Worker {}: graceful release did not finish: {}", settings.workerId(), e.toString());
        }
        candidate.close();
        shutdownEvents();
        checkpoints.close();
        client.close();
    }

    /** Deletes our member node; whether it went (else the leader will not move our regions). Event thread. */
    private boolean deregister() {
        try {
            membership.deregister();
            deregistered = true;
            return true;
        } catch (Exception e) {
            LOG.warn("Worker {}: deregistration failed ({}); releasing its regions at once", settings.workerId(), e.toString());
            return false;
        }
    }

    /**
     * Waits until this worker holds no claim, the assignments read meanwhile having released them all, or until
     * {@code atMost} has passed. Any thread but the event thread.
     */
    private void awaitHandedOver(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        Set<String> held = heldRegions();
        LOG.info("Worker {} deregistered: processing {} until the leader moves them (at most {} ms)", settings.workerId(),
                held, atMost.toMillis());
        synchronized (handedOver) {
            while (!(held = heldRegions()).isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("Worker {}: the leader did not move {} within {} ms; releasing them now", settings.workerId(),
                            held, atMost.toMillis());
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(handedOver, left);
            }
        }
    }

    /** What a graceful close allows beyond the stops for deregistering and deleting claims: max(10 s, 3 x session). */
    Duration closeMargin() {
        return Duration.ofMillis(Math.max(10_000, settings.sessionTimeoutMs() * 3L));
    }

    /**
     * Stops at once WITHOUT releasing anything, as a crash would: the event thread is stopped, every held
     * region is abandoned (no checkpoint), the election is left and the client closed. Claims of a session
     * that is already expired stay until ZooKeeper expires it. For tests and chaos drills. Idempotent.
     */
    public void closeWithoutRelease() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED && events.isShutdown()) {
            return;
        }
        leaving = true;
        checkpoints.close(); // a crash writes nothing more: posted checkpoints still waiting are dropped
        shutdownEvents();
        for (RegionOwnership ownership : ownerships.values()) {
            if (ownership.holdsClaim()) {
                lifecycle.abandon(ownership.region());
                released(ownership.region(), ownership.epoch(), false);
            }
            ownerships.put(ownership.region(), RegionOwnership.idle(ownership.region()));
        }
        candidate.closeNow();
        client.close();
    }

    /**
     * The cluster-wide settings this worker's runners run with ({@code DefinitionMerge.definitionOf(config).settings()}).
     * A later definition version is adopted at runtime only when its settings are these (it changes regions
     * alone); otherwise the worker stays on its version until restarted. Without it, the first definition
     * read sets them. Call before {@link #start()}.
     */
    public void runSettings(SortedMap<String, String> settings) {
        if (state.get() != State.LATENT) {
            throw new IllegalStateException("Set the running settings before start()");
        }
        this.runningSettings = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(settings));
    }

    /**
     * Hears every definition version this worker adopts, on the event thread, before the regions it adds are
     * claimed. Call before {@link #start()}.
     */
    public void onDefinitionAdopted(Consumer<VersionedDefinition> listener) {
        definitionListeners.add(listener);
    }

    /** The cluster definition this worker runs, if any. Never blocks. */
    public Optional<VersionedDefinition> definition() {
        return Optional.ofNullable(adopted);
    }

    /**
     * Tells {@code listener} of every new ZooKeeper session of this worker: the first one during
     * {@link #start()}, before any node is created, and each later one on the event thread before the
     * worker re-registers under it. Call before {@link #start()}. A supervisor uses it to close the session of
     * a dead worker at once (see {@link io.shardwork.coordination.session.SessionCloser}).
     *
     * @throws IllegalStateException after {@link #start()}
     */
    public void onSessionChange(SessionListener listener) {
        if (state.get() != State.LATENT) {
            throw new IllegalStateException("Set the session listener before start()");
        }
        this.sessionListener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /**
     * Why this coordinator stopped on its own, if it did: a {@link DuplicateWorkerException} when, after
     * its session was lost, another live worker had registered the same id. It then holds no region and
     * takes no part in the election; the process should exit. Never blocks.
     */
    public Optional<Exception> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Publishes changed member data (e.g. the regions in restart backoff) in {@code /members/<workerId>}. Any thread;
     * returns at once. On the event thread, {@code change} is applied to the member data as it is then, so changes
     * asked for one after the other are published in that order, the last one last; kept for re-registrations
     * after a session loss. A failed write is logged; the next change or registration publishes again.
     */
    public void updateMember(java.util.function.UnaryOperator<MemberInfo> change) {
        submit(() -> {
            MemberInfo next = change.apply(membership.info());
            try {
                membership.update(next);
            } catch (Exception e) {
                LOG.warn("Worker {}: cannot publish its member data: {}", settings.workerId(), e.toString());
            }
        });
    }

    /**
     * The work of {@code region} under {@code epoch} ended on its own (its runner was fenced or died), not
     * because this coordinator asked. Any thread; returns at once. On the event thread: the region goes to
     * FENCED, our claim (if still ours) is deleted so that a new claim with a new epoch can be made, and
     * the assignment is re-read, so a region still assigned to us is claimed again and resumes from its
     * last checkpoint. Ignored when the region is no longer held under that epoch.
     */
    public void workEnded(String region, long epoch) {
        submit(() -> {
            RegionOwnership current = ownerships.get(region);
            if (current == null || !current.holdsClaim() || current.epoch() != epoch) {
                return;
            }
            released(region, epoch, false);
            apply(region, new OwnershipEvent.Fenced());
            try {
                claims.release(region, epoch);
            } catch (Exception e) {
                LOG.warn("Worker {} region {}: cannot delete our claim after its work ended: {}", settings.workerId(), region, e.toString());
            }
        });
    }

    /** This worker's id. */
    public String workerId() {
        return settings.workerId();
    }

    /** Whether this worker acts as leader right now. Never blocks. */
    public boolean isLeader() {
        return candidate.isActing();
    }

    /** The leader epoch of the running term, or -1 when not leader. Never blocks. */
    public long leaderEpoch() {
        return candidate.actingEpoch();
    }

    /** The last assignment document this worker read (owners, unplaceable regions, moves), if any. Never blocks. */
    public Optional<AssignmentDocument> lastAssignment() {
        return Optional.ofNullable(lastAssignment);
    }

    /**
     * The members this worker believes there are: itself and the owners and standbys of the last assignment it read.
     * Should it become leader, its first read asks for their data with the member list.
     */
    private Set<String> likelyMembers() {
        Set<String> likely = new HashSet<>();
        likely.add(settings.workerId());
        AssignmentDocument known = lastAssignment;
        if (known != null) {
            likely.addAll(known.owners().values());
            likely.addAll(known.standbys().values());
        }
        return likely;
    }

    /** The generation of the last assignment this worker read, or -1 before the first. Never blocks. */
    public long assignmentGeneration() {
        return assignmentGeneration;
    }

    /** The current ownership of {@code region} as last set on the event thread. Never blocks. */
    public RegionOwnership ownership(String region) {
        return ownerships.get(region);
    }

    /** The regions this worker holds a claim on right now (OWNED, PAUSED or RELEASING). Never blocks. */
    public Set<String> heldRegions() {
        Set<String> held = new LinkedHashSet<>();
        new TreeMap<>(ownerships).forEach((region, ownership) -> {
            if (ownership.holdsClaim()) {
                held.add(region);
            }
        });
        return held;
    }

    /** The fenced checkpoint store of this worker. */
    public CheckpointStore checkpointStore() {
        return checkpoints;
    }

    /** Releases whose work did not stop in time and was abandoned before the claim was deleted, so far. Never blocks. */
    public long abandonedReleases() {
        return abandonedReleases.get();
    }

    /** How many writes of this worker were refused as fenced. */
    public FencingCounter fencingCounter() {
        return fencing;
    }

    /** The worker's CuratorFramework (for tests: session expiry injection; for status reads). */
    public CuratorFramework client() {
        return client;
    }

    // ---------------------------------------------------------------- event thread

    /** The single connection-state switch; on the event thread. */
    private void handleStateChange(ConnectionState newState) {
        switch (newState) {
            case SUSPENDED -> broadcast(new OwnershipEvent.ConnectionSuspended());
            case LOST -> broadcast(new OwnershipEvent.SessionLost());
            case RECONNECTED -> {
                announceSession();
                releaseAbandonedClaims();
                long session = currentSession();
                if (session != registeredSession) {
                    LOG.info("Worker {}: new ZooKeeper session, abandoning held regions and re-registering.", settings.workerId());
                    broadcast(new OwnershipEvent.SessionLost());
                    registerMembershipQuietly();
                } else {
                    for (String region : ownerships.keySet()) {
                        apply(region, new OwnershipEvent.Reconnected(claimHolds(region)));
                    }
                }
                refreshDefinition();
                refreshAssignment();
            }
            case CONNECTED, READ_ONLY -> {
                // CONNECTED is only the first connection, handled by start()
            }
        }
    }

    /**
     * Deletes the claims left by abandons that could not delete them ({@link #abandonedClaims}), each only if it is
     * still the claim of its epoch ({@link RegionClaims#release}); one that fails again stays for the next connection.
     */
    private void releaseAbandonedClaims() {
        for (Iterator<Map.Entry<String, Long>> each = abandonedClaims.entrySet().iterator(); each.hasNext(); ) {
            Map.Entry<String, Long> claim = each.next();
            try {
                claims.release(claim.getKey(), claim.getValue());
                each.remove();
            } catch (Exception e) {
                LOG.warn("Worker {} region {}: deleting the claim of epoch {} it abandoned failed again, retrying at the next"
                        + " connection: {}", settings.workerId(), claim.getKey(), claim.getValue(), e.toString());
            }
        }
    }

    /** A step of the start, run on the caller's thread ({@code beforeRegistering}) or on the event thread; may throw. */
    @FunctionalInterface
    public interface StartStep {
        void run() throws Exception;
    }

    /** Runs {@code step} on the event thread and waits for it; its exception is thrown as it is. */
    private void onEvents(StartStep step) throws Exception {
        Future<?> done = events.submit(() -> {
            step.run();
            return null;
        });
        try {
            done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * The cluster's persistent nodes (the election's, the leader epoch's and the assignment's too), requested together and awaited
     * together: one round trip where they exist, and a new cluster's are committed in one batch instead of one
     * write after another (the first worker of a cluster used to spend 14 ms here, and its first leader 3 more
     * round trips making {@code /leader} and {@code /leader-epoch}). An empty {@code /leader-epoch} is version 0,
     * which is no epoch, as its absence was.
     */
    private void createLayout() throws Exception {
        List<String> layout = List.of(paths.members(), paths.owners(), paths.regions(), paths.drained(), paths.leader(),
                paths.leaderEpoch(), paths.assignment());
        List<CompletableFuture<KeeperException.Code>> answers = new ArrayList<>();
        for (String path : layout) {
            CompletableFuture<KeeperException.Code> answer = new CompletableFuture<>();
            answers.add(answer);
            // the assignment's first document, generation 0, as a leader would make it: a new cluster's first leader
            // then finds the whole tree with its first read
            byte[] data = path.equals(paths.assignment()) ? LayoutJson.encode(AssignmentDocument.initial(time.now())) : new byte[0];
            client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
                    .inBackground((c, event) -> answer.complete(KeeperException.Code.get(event.getResultCode())))
                    .forPath(path, data);
        }
        for (int i = 0; i < layout.size(); i++) {
            KeeperException.Code code;
            try {
                code = answers.get(i).get(settings.connectionTimeoutMs(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("ZooKeeper did not answer the creation of " + layout.get(i) + " within "
                        + settings.connectionTimeoutMs() + " ms.", e);
            }
            if (code != KeeperException.Code.OK && code != KeeperException.Code.NODEEXISTS) {
                throw KeeperException.create(code, layout.get(i));
            }
        }
    }

    /**
     * Tells the session listener when the client's session differs from the last one told. The election
     * node of a new session may be created before this runs (Curator's recipes reconnect on their own);
     * members and claims never are: they are created on the event thread after it.
     */
    private void announceSession() {
        long session;
        byte[] password;
        try {
            org.apache.zookeeper.ZooKeeper zooKeeper = client.getZookeeperClient().getZooKeeper();
            session = zooKeeper.getSessionId();
            password = zooKeeper.getSessionPasswd();
        } catch (Exception e) {
            LOG.warn("Worker {}: cannot read the ZooKeeper session: {}", settings.workerId(), e.toString());
            return;
        }
        if (session == 0 || session == announcedSession) {
            return;
        }
        announcedSession = session;
        try {
            sessionListener.sessionStarted(new SessionCredentials(session, password, ProcessHandle.current().pid()));
        } catch (RuntimeException e) {
            LOG.warn("Worker {}: session listener failed: {}", settings.workerId(), e.toString());
        }
    }

    /**
     * Before registering (the leader gives regions to members only): the first claim then runs warm code. Once per
     * JVM ({@link #CLAIM_PATH_WARMED}).
     */
    private void warmUpClaims() {
        if (!CLAIM_PATH_WARMED.compareAndSet(false, true)) {
            return;
        }
        OwnershipWarmUp.run();
        try {
            claims.warmUp(ownerships.keySet());
        } catch (Exception e) {
            LOG.debug("Worker {}: warming the claim path failed (the first claim runs cold): {}", settings.workerId(), e.toString());
        }
    }

    private void registerMembership() throws Exception {
        if (leaving) {
            return;
        }
        long session = currentSession();
        membership.register();
        registeredSession = session;
        LOG.info("Worker {} registered with session 0x{}.", settings.workerId(), Long.toHexString(session));
    }

    private void registerMembershipQuietly() {
        try {
            registerMembership();
        } catch (DuplicateWorkerException e) {
            LOG.error("Worker {} stops coordinating: after its session was lost, {}", settings.workerId(), e.getMessage());
            failure = e;
            leaving = true;
            for (String region : ownerships.keySet()) {
                apply(region, new OwnershipEvent.Unassigned(-1));
            }
            candidate.closeNow();
        } catch (Exception e) {
            LOG.warn("Worker {}: re-registration failed, retrying at the next reconnect: {}", settings.workerId(), e.toString());
        }
    }

    /**
     * Reads {@code /definition} (re-arming its watch) and adopts a new version when it changes regions alone:
     * new regions get their state machine, listeners hear it, the member node publishes the version, and the
     * assignment is re-read. A version that changes other cluster-wide keys is not adopted (logged once): the
     * worker keeps its version until restarted, and the leader gives it nothing new. Event thread only.
     */
    private void refreshDefinition() {
        if (leaving) {
            return;
        }
        Optional<VersionedDefinition> read;
        try {
            read = definitions.read(definitionWatcher);
        } catch (Exception e) {
            LOG.warn("Worker {}: cannot read the cluster definition, retrying at the next event: {}", settings.workerId(), e.toString());
            return;
        }
        if (read.isEmpty() || (adopted != null && adopted.version() == read.get().version())) {
            return;
        }
        VersionedDefinition next = read.get();
        if (runningSettings == null) {
            runningSettings = next.document().settings();
        }
        if (!runningSettings.equals(next.document().settings())) {
            if (refusedVersion != next.version()) {
                refusedVersion = next.version();
                List<String> changed = new ArrayList<>();
                java.util.TreeSet<String> keys = new java.util.TreeSet<>(runningSettings.keySet());
                keys.addAll(next.document().settings().keySet());
                keys.forEach(k -> {
                    if (!java.util.Objects.equals(runningSettings.get(k), next.document().settings().get(k))) {
                        changed.add(k);
                    }
                });
                LOG.warn("Worker {}: cluster definition version {} changes {}, which a worker reads only at start: it keeps"
                        + " running version {} until restarted, and gets no new regions meanwhile.", settings.workerId(),
                        next.version(), changed, adopted == null ? "none" : adopted.version());
            }
            return;
        }
        for (DefinitionDocument.RegionRecord region : next.document().regions()) {
            ownerships.putIfAbsent(region.name(), RegionOwnership.idle(region.name()));
        }
        adopted = next;
        for (Consumer<VersionedDefinition> definitionListener : definitionListeners) {
            definitionListener.accept(next);
        }
        try {
            membership.update(membership.info().withDefinitionVersion(next.version()));
        } catch (Exception e) {
            LOG.warn("Worker {}: cannot publish definition version {}: {}", settings.workerId(), next.version(), e.toString());
        }
        LOG.info("Worker {} runs cluster definition version {} ({} regions).", settings.workerId(), next.version(),
                next.document().regions().size());
        if (registeredSession != 0) {
            refreshAssignment();
        }
    }

    private void onAssignmentWatch(WatchedEvent event) {
        if (event.getType() != Watcher.Event.EventType.None) {
            submit(this::refreshAssignment);
        }
    }

    /** Reads /assignment (re-arming the watch) and feeds every region's state machine. */
    private void refreshAssignment() {
        if (leaving && !handingOver) {
            return;
        }
        if (handingOver && deregistered) {
            // the generation that moves all our regions: released now, a read sooner (see releaseAll)
            releaseAll();
        }
        AssignmentDocument document;
        long generation;
        RegionClaims.ReadAhead ahead = claims.readAhead(standingByFor(lastAssignment));
        try {
            Optional<WatchedRead.Found> read = WatchedRead.read(WatchedRead.of(client, paths.assignment(), assignmentWatcher));
            if (read.isEmpty()) {
                return; // no leader has written one yet: its creation fires the watcher
            }
            document = LayoutJson.decode(read.get().data(), AssignmentDocument.class);
            generation = read.get().version();
            assignmentGeneration = generation;
            lastAssignment = document;
        } catch (Exception e) {
            LOG.warn("Worker {}: cannot read the assignment, retrying at the next event: {}", settings.workerId(), e.toString());
            return;
        }
        Map<String, OwnershipEvent> events = new LinkedHashMap<>();
        Set<String> owned = new HashSet<>();
        Set<String> standingBy = new HashSet<>();
        for (String region : ownerships.keySet()) {
            boolean mine = settings.workerId().equals(document.owners().get(region));
            events.put(region, mine ? new OwnershipEvent.Assigned(generation) : new OwnershipEvent.Unassigned(generation));
            if (mine) {
                owned.add(region);
            } else if (settings.workerId().equals(document.standbys().get(region))) {
                standingBy.add(region);
            }
        }
        if (handingOver) { // a leaving worker only gives its regions up
            Set<String> held = heldRegions();
            events.keySet().retainAll(held);
            events.values().removeIf(OwnershipEvent.Assigned.class::isInstance);
            applyAll(events);
            return;
        }
        lifecycle.standBy(standingBy, owned); // before the claims: what is kept for an owned region waits for its start
        applyAll(events);
        readAhead = claimsScheduled ? ahead : RegionClaims.ReadAhead.NONE; // for the claims this assignment brings
    }

    /**
     * Gives every region up, as a leaving worker does: held ones released together (stopped side by side, one
     * multi), pending claims dropped. At the end of a graceful close, and on the first new generation after our
     * deregistration, which is the one that moves all our regions: released at its watch, a read sooner than its
     * read would release them (the read then only re-arms the watch). A generation the leader computed before it
     * saw our deregistration still names us: its regions wait unclaimed for the leader's next round, which our
     * member node's deletion brings at once.
     */
    private void releaseAll() {
        Map<String, OwnershipEvent> leave = new LinkedHashMap<>();
        ownerships.keySet().forEach(region -> leave.put(region, new OwnershipEvent.Unassigned(-1)));
        applyAll(leave);
    }

    /**
     * The regions {@code assignment} names this worker the standby of: a crash or a leave of their owner gives them
     * to it, so their claim reads travel with the next assignment's read ({@link RegionClaims#readAhead}).
     */
    private List<String> standingByFor(AssignmentDocument assignment) {
        if (assignment == null || handingOver) {
            return List.of();
        }
        List<String> regions = new ArrayList<>();
        assignment.standbys().forEach((region, standby) -> {
            if (settings.workerId().equals(standby) && ownerships.containsKey(region)) {
                regions.add(region);
            }
        });
        return regions;
    }

    /**
     * Applies one event per region. Looks ahead first (the state machine is pure): every region these events
     * release begins its graceful stop at once, so the stops overlap instead of queueing behind one another; the
     * claims are then deleted together, with the final checkpoints the stops left ({@link #deleteClaims}).
     */
    private void applyAll(Map<String, OwnershipEvent> events) {
        events.forEach((region, event) -> {
            if (ownerships.get(region).on(event).actions().stream().anyMatch(OwnershipAction.Release.class::isInstance)) {
                lifecycle.beginStop(region);
            }
        });
        boolean outermost = claimsToDelete == null;
        if (outermost) {
            claimsToDelete = new LinkedHashMap<>();
        }
        try {
            events.forEach(this::apply);
        } finally {
            if (outermost) {
                deleteReleasedClaims();
            }
        }
    }

    /**
     * Deletes the claims of the regions {@link #applyAll} released, all in one multi, once every one of them
     * has stopped: a worker leaving or giving up several regions frees them all at once instead of one round trip
     * after another. Then each finishes its release.
     */
    private void deleteReleasedClaims() {
        Map<String, StoppedRun> released = claimsToDelete;
        claimsToDelete = null;
        if (!released.isEmpty()) {
            deleteClaims(released);
        }
    }

    /**
     * Deletes the claims of {@code stopped} with the final checkpoints their stops left to write, in ONE multi
     * ({@link RegionClaims#releaseWithCheckpoints}): the next owners find the last checkpoints and the free regions
     * in one transaction, a round trip after the stops instead of the two of a checkpoint written by each stop and
     * then the deletion. Each region then finishes its release. When the multi is refused (it wrote nothing) or a
     * final checkpoint cannot be prepared, the regions are released one by one ({@link #releaseAlone}).
     */
    private void deleteClaims(Map<String, StoppedRun> stopped) {
        Map<String, Long> epochs = new LinkedHashMap<>();
        Map<String, FinalCheckpoint> finals = new LinkedHashMap<>();
        boolean prepared = true;
        for (Map.Entry<String, StoppedRun> each : stopped.entrySet()) {
            StoppedRun run = each.getValue();
            epochs.put(each.getKey(), run.epoch());
            if (run.finalOffset().isPresent()) {
                try {
                    finals.put(each.getKey(), checkpoints.prepareFinal(each.getKey(), run.epoch(), run.finalOffset().getAsLong()));
                } catch (Exception refusedOrUnread) {
                    prepared = false; // settled alone below, where a refusal is told
                }
            }
        }
        if (prepared) {
            try {
                Map<String, Op> writes = new LinkedHashMap<>();
                finals.forEach((region, checkpoint) -> writes.put(region, checkpoint.write()));
                claims.releaseWithCheckpoints(epochs, writes)
                        .forEach((region, result) -> checkpoints.finalWritten(finals.get(region), result));
                epochs.keySet().forEach(region -> apply(region, new OwnershipEvent.ReleaseFinished()));
                return;
            } catch (Exception refused) {
                LOG.debug("Worker {}: releasing {} in one multi was refused ({}); one by one", settings.workerId(),
                        epochs.keySet(), refused.toString());
            }
        }
        epochs.forEach((region, epoch) -> releaseAlone(region, epoch, stopped.get(region).finalOffset()));
    }

    /**
     * One region's release on its own: its final checkpoint, if its stop left one, then the claim's deletion. A
     * checkpoint refused as fenced makes the region fenced and leaves the claim alone (it is not ours any more), as
     * when a stop's own final checkpoint was refused; one that fails otherwise is given up, the claim deleted all
     * the same, and the next owner resumes from the last checkpoint written (at least once). A deletion that fails
     * leaves the release to finish at the next event.
     */
    private void releaseAlone(String region, long epoch, OptionalLong finalOffset) {
        if (finalOffset.isPresent()) {
            try {
                checkpoints.commit(region, epoch, finalOffset.getAsLong());
            } catch (FencedException fenced) {
                LOG.warn("Worker {}: {}", settings.workerId(), fenced.getMessage());
                listener.finalCheckpointFenced(region, settings.workerId(), epoch);
                apply(region, new OwnershipEvent.Fenced());
                return;
            } catch (Exception failed) {
                LOG.warn("Worker {} region {} epoch {}: the final checkpoint at offset {} failed ({}); the claim is deleted all"
                        + " the same, the next owner resumes from the last checkpoint written", settings.workerId(), region,
                        epoch, finalOffset.getAsLong(), failed.toString());
            }
        }
        try {
            claims.release(region, epoch);
        } catch (Exception failed) {
            LOG.warn("Worker {} region {}: deleting the claim failed, retrying at the next event: {}", settings.workerId(),
                    region, failed.toString());
            return;
        }
        apply(region, new OwnershipEvent.ReleaseFinished());
    }

    private void broadcast(OwnershipEvent event) {
        for (String region : ownerships.keySet()) {
            apply(region, event);
        }
    }

    /** Runs one input through the region's state machine and carries out the actions. Event thread only. */
    private void apply(String region, OwnershipEvent event) {
        try (LogContext.Scope logged = LogContext.region(region, ownerships.get(region).epoch())) {
            applyInContext(region, event);
        }
    }

    private void applyInContext(String region, OwnershipEvent event) {
        RegionOwnership before = ownerships.get(region);
        Transition transition = before.on(event);
        ownerships.put(region, transition.next());
        if (handingOver && transition.next().state() != before.state()) {
            synchronized (handedOver) {
                handedOver.notifyAll();
            }
        }
        LogContext.epoch(transition.next().epoch());
        if (transition.next().state() == OwnershipState.CLAIMING && before.state() != OwnershipState.CLAIMING) {
            listener.claiming(region, settings.workerId(), transition.next().generation(), time.now());
        }
        if (!transition.actions().isEmpty() || transition.next().state() != before.state()) {
            LOG.debug("Worker {} region {}: {} + {} -> {} {}", settings.workerId(), region, before.state(), event,
                    transition.next().state(), transition.actions());
        }
        for (OwnershipAction action : transition.actions()) {
            execute(region, before, action);
        }
        if (transition.next().state() == OwnershipState.FENCED) {
            submit(this::refreshAssignment);
        }
    }

    private void execute(String region, RegionOwnership before, OwnershipAction action) {
        try {
            if (action instanceof OwnershipAction.Claim claim) {
                claimSoon(region, claim.generation());
            } else if (action instanceof OwnershipAction.AwaitClaimRelease) {
                awaitingRelease.add(region);
                // asked without waiting: the regions one claim found blocked are watched together
                claims.watchClaimAsync(region, event -> {
                    if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                        submit(() -> claimFreed(region));
                    }
                }, () -> submit(() -> claimFreed(region)),
                        code -> LOG.warn("Worker {} region {}: cannot watch the claim that blocks ours ({}); claiming again at the next event",
                                settings.workerId(), region, code));
            } else if (action instanceof OwnershipAction.StartWork start) {
                Optional<Checkpoint> readWithClaim = checkpointsReadWithClaims.remove(region);
                lifecycle.start(region, start.epoch(), readWithClaim != null ? readWithClaim : checkpoints.read(region));
            } else if (action instanceof OwnershipAction.PauseWork) {
                lifecycle.pause(region);
            } else if (action instanceof OwnershipAction.ResumeWork) {
                lifecycle.resume(region);
            } else if (action instanceof OwnershipAction.Release release) {
                release(region, release.epoch());
            } else if (action instanceof OwnershipAction.Abandon) {
                lifecycle.abandon(region);
                released(region, before.epoch(), false);
                abandonedClaims.put(region, before.epoch());
                claims.release(region, before.epoch());
                abandonedClaims.remove(region);
            }
        } catch (Exception e) {
            LOG.warn("Worker {} region {}: {} failed, retrying at the next event: {}", settings.workerId(), region,
                    action, e.toString());
        }
    }

    /**
     * Queues the claim of {@code region}: every claim asked for while the current event runs (typically
     * all regions one assignment gives us) is made together by {@link #claimPending} right after it, in one
     * ZooKeeper read and one write instead of a few round trips per region.
     */
    private void claimSoon(String region, long generation) {
        pendingClaims.put(region, generation);
        if (!claimsScheduled) {
            claimsScheduled = true;
            submit(this::claimPending);
        }
    }

    /**
     * The claim that blocked ours on {@code region} is gone: claims it, together with every other region still
     * waiting on a blocked claim. An old owner deletes the claims of all the regions it hands over in one multi, so
     * when the first deletion is told the others are gone too; their events come a few milliseconds apart, and
     * claimed one by one the later ones waited for the first one's claim (two round trips) on this thread. A region
     * whose claim is still held is found blocked again and watched again; one no longer CLAIMING ignores the event.
     */
    private void claimFreed(String region) {
        awaitingRelease.add(region);
        List<String> freed = List.copyOf(awaitingRelease);
        awaitingRelease.clear();
        for (String each : freed) {
            apply(each, new OwnershipEvent.ClaimFreed());
            Integer blockedAt = blockedEpochVersions.remove(each);
            if (blockedAt != null && pendingClaims.containsKey(each)) {
                freedEpochVersions.put(each, blockedAt); // claimed without reading first (RegionClaims.claimFreed)
            }
        }
    }

    /**
     * Claims the queued regions that are still CLAIMING for the generation they were queued with (an
     * assignment read meanwhile may have taken them away), one batch per generation, and feeds each result
     * to its region's state machine. A batch that fails on ZooKeeper leaves its regions CLAIMING: they are
     * claimed again at the next event (reconnect, assignment change).
     */
    private void claimPending() {
        claimsScheduled = false;
        Map<Long, List<String>> byGeneration = new TreeMap<>();
        pendingClaims.forEach((region, generation) -> {
            RegionOwnership now = ownerships.get(region);
            if (now.state() == OwnershipState.CLAIMING && now.generation() == generation) {
                byGeneration.computeIfAbsent(generation, g -> new ArrayList<>()).add(region);
            }
        });
        pendingClaims.clear();
        Map<String, Integer> freed = new LinkedHashMap<>(freedEpochVersions);
        freedEpochVersions.clear();
        RegionClaims.ReadAhead ahead = readAhead;
        readAhead = RegionClaims.ReadAhead.NONE;
        Map<String, RegionClaims.ReadAhead.Found> foundAhead;
        try {
            foundAhead = ahead.found();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        byGeneration.forEach((generation, regions) -> {
            Map<String, ClaimResult> results;
            try {
                LOG.debug("Worker {}: claiming {} for generation {}", settings.workerId(), regions, generation);
                results = claim(regions, generation, freed, foundAhead);
            } catch (Exception e) {
                LOG.warn("Worker {}: claiming {} failed, retrying at the next event: {}", settings.workerId(), regions, e.toString());
                return;
            }
            boolean rejected = false;
            for (Map.Entry<String, ClaimResult> outcome : results.entrySet()) {
                String region = outcome.getKey();
                if (outcome.getValue() instanceof ClaimResult.Succeeded succeeded) {
                    checkpointsReadWithClaims.put(region, succeeded.checkpoint());
                    checkpoints.claimed(region, succeeded.checkpointVersion(), succeeded.checkpoint());
                    listener.claimed(region, settings.workerId(), succeeded.epoch(), time.now());
                    apply(region, new OwnershipEvent.ClaimSucceeded(succeeded.epoch()));
                    checkpointsReadWithClaims.remove(region); // used by StartWork inside apply, never later
                } else if (outcome.getValue() instanceof ClaimResult.Blocked blocked) {
                    if (blocked.epochVersion() >= 0) {
                        blockedEpochVersions.put(region, blocked.epochVersion());
                    } else {
                        blockedEpochVersions.remove(region);
                    }
                    apply(region, new OwnershipEvent.ClaimBlocked());
                } else {
                    apply(region, new OwnershipEvent.ClaimRejected());
                    rejected = true;
                }
            }
            if (rejected) {
                refreshAssignment();
            }
        });
    }

    /**
     * One batch of claims named by {@code generation}: the regions with a known epoch version, freed by a deletion
     * or found free by the reads sent with the assignment's ({@code foundAhead}), in one round trip
     * ({@link RegionClaims#claimFreed}); those the assignment's read found held by another worker blocked at once,
     * to be watched; the others read first ({@link RegionClaims#claimAll}).
     * Results in the order of {@code regions}.
     */
    private Map<String, ClaimResult> claim(List<String> regions, long generation, Map<String, Integer> freed,
                                           Map<String, RegionClaims.ReadAhead.Found> foundAhead) throws Exception {
        Map<String, Integer> withVersion = new LinkedHashMap<>();
        Map<String, ClaimResult> outcomes = new HashMap<>();
        List<String> others = new ArrayList<>();
        for (String region : regions) {
            Integer version = freed.get(region);
            RegionClaims.ReadAhead.Found found = foundAhead.get(region);
            if (version != null) {
                withVersion.put(region, version);
            } else if (found != null && found.free()) {
                withVersion.put(region, found.epochVersion()); // free at the assignment's read
            } else if (found != null) {
                outcomes.put(region, new ClaimResult.Blocked(found.epochVersion()));
            } else {
                others.add(region);
            }
        }
        outcomes.putAll(claims.claimFreed(withVersion, generation));
        outcomes.putAll(claims.claimAll(others, generation));
        Map<String, ClaimResult> ordered = new LinkedHashMap<>();
        regions.forEach(region -> ordered.put(region, outcomes.get(region)));
        return ordered;
    }

    /**
     * Stops the region's work and deletes our claim. Work that does not stop in time was abandoned by the
     * lifecycle: the claim is deleted all the same (the next claim's epoch bump fences the stuck thread), so
     * the region moves on; counted in {@link #abandonedReleases()}.
     */
    private void release(String region, long epoch) throws Exception {
        boolean graceful = true;
        OptionalLong finalOffset = OptionalLong.empty();
        try {
            finalOffset = lifecycle.stop(region);
        } catch (FencedException fenced) {
            LOG.warn("Worker {}: {}", settings.workerId(), fenced.getMessage());
            apply(region, new OwnershipEvent.Fenced());
            return;
        } catch (StopAbandonedException | RuntimeException stuck) {
            abandonedReleases.incrementAndGet();
            graceful = false;
            lifecycle.abandon(region);
            LOG.error("Worker {} region {} epoch {}: released without a final checkpoint: {}", settings.workerId(), region,
                    epoch, stuck.getMessage());
        }
        released(region, epoch, graceful);
        StoppedRun stopped = new StoppedRun(epoch, finalOffset);
        if (claimsToDelete != null) {
            claimsToDelete.put(region, stopped); // deleted with the others this event releases (applyAll)
            return;
        }
        deleteClaims(Map.of(region, stopped));
    }

    /**
     * Tells the listener (ownership history, recorder) that the run of {@code region} under {@code epoch} ended,
     * ONCE however many paths end it: a release whose claim deletion failed is retried at the next event, and
     * a crash-stop ({@link #closeWithoutRelease}) can interrupt a release between the two.
     */
    private void released(String region, long epoch, boolean graceful) {
        Long before = releasedEpochs.put(region, epoch);
        if (before == null || before != epoch) {
            listener.released(region, settings.workerId(), epoch, time.now(), graceful);
        }
    }

    private boolean claimHolds(String region) {
        try {
            return claims.holds(region);
        } catch (Exception e) {
            return false;
        }
    }

    private long currentSession() {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return 0;
        }
    }

    private void submit(ThrowingRunnable task) {
        try {
            events.execute(() -> {
                try {
                    task.run();
                } catch (Exception e) {
                    LOG.warn("Worker {}: event failed: {}", settings.workerId(), e.toString());
                }
            });
        } catch (RejectedExecutionException closed) {
            // shutting down
        }
    }

    private void shutdownEvents() {
        events.shutdownNow();
        try {
            events.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
