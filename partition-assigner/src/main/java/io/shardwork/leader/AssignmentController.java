package io.shardwork.leader;

import io.shardwork.assigner.Assignment;
import io.shardwork.assigner.AssignmentInput;
import io.shardwork.assigner.StandbyPlanner;
import io.shardwork.assigner.AssignmentOptions;
import io.shardwork.assigner.AssignmentStrategy;
import io.shardwork.assigner.Member;
import io.shardwork.assigner.Move;
import io.shardwork.assigner.Region;
import io.shardwork.assigner.Unplaceable;
import io.shardwork.layout.AssignmentDocument;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.DefinitionDocument;
import io.shardwork.layout.MoveRecord;
import io.shardwork.layout.RestartBackoffRecord;
import io.shardwork.layout.TracedMulti;
import io.shardwork.layout.UnplaceableRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's work for ONE leadership term: read a snapshot, compute with the injected pure
 * {@link AssignmentStrategy}, write the next generation fenced by the leader epoch.
 *
 * <p>Threading: {@link #lead} runs the whole term on the calling thread (the leadership thread). The
 * {@link LeaderView}'s persistent watches on {@code /definition}, {@code /drained} and everything under
 * {@code /members} only mark what changed and call {@link RecomputeQueue#request()}, so a burst of changes
 * becomes one round, and a round reads only what changed. Claims coming and going ({@code /owners}) are not
 * watched: they change nothing the strategy reads. The assignment is read once per term and after a write
 * that met another version; the leader's own writes keep its copy current.
 *
 * <p>One round:
 * <ol>
 *   <li>Take the snapshot: the cluster definition (its regions, its znode version), members and their data,
 *       drained markers and the previous assignment with its znode version, each read again only if it changed. Without
 *       a definition nothing is written. A member whose published definition version is not the current one
 *       is <em>lagging</em>: while one lags, for up to {@code rebalanceDelay} after the leader first saw the
 *       version, nothing is written (members adopt a new version within milliseconds; their data watch brings
 *       the next round); after that, lagging members are treated as drained: they get nothing new and their
 *       regions move through the normal release. A member that publishes a region in restart backoff
 *       ({@code restartBackoff}: its run of the region hung until it gave the region up, or died repeatedly
 *       without progress) is excluded from that region ({@link AssignmentInput#excludedMembers}): the strategy
 *       moves the region to another eligible member if there is one. A change of a member's data brings a
 *       round ({@link LeaderView}'s recursive watch on {@code /members}). The exclusion lasts as long as the
 *       member publishes the record: until a run of the region on that member ends cleanly, or the member
 *       restarts.</li>
 *   <li>If the member set changed, remember when. While it changed less than {@code rebalanceDelay} ago,
 *       call the strategy with {@code maxBalanceMovesPerRound = 0} (orphans still move at once) and
 *       schedule a round for when it settles.</li>
 *   <li>Call the strategy on the snapshot. With {@code standby.replicas} at 1 in the definition, give it the
 *       previous standbys (an orphan goes to its standby when that is as good a place), then name each region's
 *       standby for the next generation ({@link StandbyPlanner}: where the region would go if its owner left).</li>
 *   <li>If owners, unplaceable regions or standbys differ from the previous generation, write the next generation
 *       in one multi {@code check(/leader-epoch) + setData(/assignment, versionRead)}. A failed epoch
 *       check ends the term at once (deposed); a moved assignment version asks for another round.</li>
 * </ol>
 */
public final class AssignmentController {
    private static final Logger LOG = LoggerFactory.getLogger(AssignmentController.class);

    private final CuratorFramework client;
    private final ClusterPaths paths;
    private final String leaderId;
    private final AssignmentStrategy strategy;
    private final ControllerSettings settings;
    private final TimeSource time;
    private final AssignmentWriter writer;
    private final RecomputeQueue queue = new RecomputeQueue();
    private final AtomicBoolean active = new AtomicBoolean(true);
    private final LeaderView view;
    private final StandbyPlanner planner = new StandbyPlanner();

    private Set<String> lastMembers;
    /** When this term began (before its tree check and watches), until its first write: for the write's log line. */
    private long termStartedAt = -1;
    private long membershipChangedAt;
    private int lastDefinitionVersion = DefinitionDocument.NO_VERSION;
    private long definitionSeenAt;

    /**
     * Regions come from the cluster definition ({@code /definition}), read in every round.
     *
     * @param likelyMembers the members the leader believes there are, asked for with the term's first read
     *                      ({@link LeaderView}); a wrong guess costs one more round trip, never a wrong picture
     */
    public AssignmentController(CuratorFramework client, ClusterPaths paths, String leaderId, AssignmentStrategy strategy,
                                ControllerSettings settings, TimeSource time, Supplier<? extends Collection<String>> likelyMembers) {
        this.client = client;
        this.paths = paths;
        this.leaderId = leaderId;
        this.strategy = strategy;
        this.settings = settings;
        this.time = time;
        this.writer = new AssignmentWriter(client, paths);
        this.view = new LeaderView(client, paths, () -> {
            if (active.get()) {
                queue.request();
            }
        }, likelyMembers);
    }

    /** How one round ended. */
    public enum RoundOutcome { UNCHANGED, WRITTEN, CONFLICT, DEPOSED }

    /**
     * Runs the term: rounds until deposed or interrupted. Blocks the calling thread for the whole term.
     * Returns normally when deposed (a write was refused by the epoch check); the caller must then give up
     * leadership. A ZooKeeper error in a round is logged and the round retried on the next event or after
     * the settle delay.
     *
     * <p>The term's first write waits on two answers after the election: the epoch's bump (sent in the background
     * by the caller), the view's watches and its first multi-read (with the likely members' data) go out together;
     * then the write. Members the guess missed cost one more read. The cluster's tree is made only when that first
     * read finds a part missing ({@link #readFirst}).
     *
     * @param bump    this term's epoch, asked for and maybe not answered yet
     * @param onEpoch told the epoch once it is known, before the first round
     * @throws InterruptedException when the thread is interrupted (leadership cancelled, candidate closed)
     */
    public void lead(LeaderEpochs.Bump bump, LongConsumer onEpoch) throws InterruptedException {
        long leaderEpoch = -1;
        try {
            termStartedAt = time.currentTimeMillis();
            view.open(); // the watch requests go out behind the bump; the first read waits for their answers
            readFirst();
            leaderEpoch = bump.await();
            onEpoch.accept(leaderEpoch);
            membershipChangedAt = time.currentTimeMillis();
            queue.request();
            while (true) {
                queue.await(time);
                RoundOutcome outcome;
                try {
                    outcome = round(leaderEpoch);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException("Leadership cancelled during a round.");
                    }
                    LOG.warn("Leader {} epoch {}: assignment round failed, retrying: {}", leaderId, leaderEpoch, e.toString());
                    view.allStale();
                    queue.requestAt(time.currentTimeMillis() + Math.max(100, settings.rebalanceDelay().toMillis()));
                    continue;
                }
                if (outcome == RoundOutcome.DEPOSED) {
                    LOG.info("Leader {} epoch {} is deposed: stopping at once.", leaderId, leaderEpoch);
                    return;
                }
                if (outcome == RoundOutcome.CONFLICT || outcome == RoundOutcome.WRITTEN) {
                    // after a write, one more round: balancing may be limited per round, and no watch brings the
                    // next one (the leader's own write is not watched); it reads nothing (LeaderView) and ends
                    // UNCHANGED once there is nothing left to move
                    queue.request();
                }
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Leader " + leaderId + " could not begin its term (epoch " + leaderEpoch + ").", e);
        } finally {
            active.set(false);
            view.close();
        }
    }

    /** Asks for a round; never blocks; any thread. */
    public void requestRecompute() {
        queue.request();
    }

    /**
     * The first round's reads, sent behind the bump: the view's multi-read (and the data of members it did not
     * guess, if any). Workers make the cluster's tree when they start ({@code WorkerCoordinator}); where a part the
     * view reads is missing all the same, the tree is made here and the first round reads everything again.
     */
    private void readFirst() throws Exception {
        try {
            view.read();
        } catch (KeeperException.NoNodeException missing) {
            ensureTree();
            view.allStale();
        }
    }

    /**
     * Creates what is missing of the cluster's tree: one multi-read, then a create per missing part.
     */
    private void ensureTree() throws Exception {
        List<String> parents = List.of(paths.members(), paths.drained(), paths.owners(), paths.regions());
        List<Op> reads = new ArrayList<>();
        parents.forEach(path -> reads.add(Op.getData(path)));
        reads.add(Op.getData(paths.assignment()));
        List<OpResult> present = TracedMulti.read(client, reads);
        for (int i = 0; i < parents.size(); i++) {
            if (!(present.get(i) instanceof OpResult.GetDataResult)) {
                try {
                    client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(parents.get(i));
                } catch (KeeperException.NodeExistsException ignored) {
                    // created meanwhile
                }
            }
        }
        if (!(present.get(parents.size()) instanceof OpResult.GetDataResult)) {
            writer.ensureInitialized(time.now());
        }
    }

    /** One round, steps numbered as in the class Javadoc. Runs on the leadership thread. */
    RoundOutcome round(long leaderEpoch) throws Exception {
        // 1. snapshot: only what changed since the last round is read (LeaderView)
        long roundStartedAt = time.currentTimeMillis();
        LeaderView.Snapshot snapshot = view.read();
        long readAt = time.currentTimeMillis();
        if (snapshot.definition() == null) {
            LOG.warn("Leader {}: cluster {} has no definition yet ({}); nothing is assigned until 'shardwork cluster apply' writes one.",
                    leaderId, paths, paths.definition());
            return RoundOutcome.UNCHANGED;
        }
        int definitionVersion = snapshot.definitionVersion();
        if (definitionVersion != lastDefinitionVersion) {
            lastDefinitionVersion = definitionVersion;
            definitionSeenAt = time.currentTimeMillis();
        }
        List<Region> regions = snapshot.definition().assignerRegions();
        Set<String> lagging = new TreeSet<>();
        List<Member> members = new ArrayList<>();
        Map<String, Set<String>> excluded = new HashMap<>();
        snapshot.members().forEach((id, info) -> {
            members.add(new Member(id, info.zone(), Math.max(1, info.capacity())));
            if (info.definitionVersion() != definitionVersion) {
                lagging.add(id);
            }
            for (RestartBackoffRecord backoff : info.restartBackoff()) {
                excluded.computeIfAbsent(backoff.region(), region -> new TreeSet<>()).add(id);
            }
        });
        view.invalidMembers().forEach(id -> LOG.warn("Ignoring member {}: its data is not a member record.", id));
        Set<String> drained = new HashSet<>(snapshot.drained());
        AssignmentDocument previous = snapshot.assignment();

        // 2. settle
        long now = time.currentTimeMillis();
        Set<String> ids = new TreeSet<>();
        members.forEach(m -> ids.add(m.id()));
        if (lastMembers != null && !ids.equals(lastMembers)) {
            membershipChangedAt = now;
        }
        lastMembers = ids;
        long settledAt = membershipChangedAt + settings.rebalanceDelay().toMillis();
        int maxBalanceMoves = settings.maxBalanceMovesPerRound();
        if (now < settledAt) {
            maxBalanceMoves = 0;
            queue.requestAt(settledAt);
        }
        if (!lagging.isEmpty()) {
            long graceEnds = definitionSeenAt + settings.rebalanceDelay().toMillis();
            if (now < graceEnds) {
                queue.requestAt(graceEnds); // a lagging member's new data also brings a round (LeaderView)
                LOG.info("Leader {}: members {} do not run definition version {} yet; waiting up to {} ms before assigning.",
                        leaderId, lagging, definitionVersion, graceEnds - now);
                return RoundOutcome.UNCHANGED;
            }
            LOG.warn("Leader {}: members {} still run an older definition than version {}: they get no regions until they"
                    + " run it (a restart does).", leaderId, lagging, definitionVersion);
            drained.addAll(lagging);
        }
        drained.retainAll(ids);

        // 3. compute: owners, then (with standby.replicas) each region's standby, where its owner's regions would go
        boolean standingBy = snapshot.definition().standbyReplicas() > 0;
        AssignmentInput input = new AssignmentInput(members, regions, previous.owners(),
                new AssignmentOptions(maxBalanceMoves, drained), excluded, standingBy ? previous.standbys() : Map.of());
        Assignment result = strategy.assign(input);
        SortedMap<String, String> standbys = standingBy ? planner.plan(input, result.owners()) : new TreeMap<>();
        List<UnplaceableRecord> unplaceable = new ArrayList<>();
        for (Unplaceable u : result.unplaceable()) {
            unplaceable.add(new UnplaceableRecord(u.region(), u.why()));
        }
        if (result.owners().equals(previous.owners()) && unplaceable.equals(previous.unplaceable())
                && standbys.equals(previous.standbys())) {
            return RoundOutcome.UNCHANGED;
        }

        // 4. write, fenced
        long computedAt = time.currentTimeMillis();
        Instant at = time.now();
        long generation = previous.generation() + 1;
        List<MoveRecord> moves = new ArrayList<>();
        for (Move move : result.moves()) {
            moves.add(new MoveRecord(generation, at, move.region(), move.from(), move.to(), move.reason().wireName()));
        }
        AssignmentDocument next = previous.next(leaderEpoch, at, new TreeMap<>(result.owners()), unplaceable, moves, standbys);
        try {
            if (!writer.write(next, leaderEpoch, snapshot.assignmentVersion())) {
                view.assignmentStale();
                return RoundOutcome.CONFLICT;
            }
        } catch (LeaderDeposedException deposed) {
            return RoundOutcome.DEPOSED;
        } // any other failure, written or not: lead() marks the whole view stale, the assignment with it
        view.assignmentWritten(next, snapshot.assignmentVersion() + 1);
        long writtenAt = time.currentTimeMillis();
        LOG.info("Leader {} epoch {} wrote generation {}: {} moves, owners {}{}; round {} ms (read {}, assign {}, write {}){}",
                leaderId, leaderEpoch, generation, moves.size(), next.owners(),
                standbys.isEmpty() ? "" : ", standbys " + standbys, writtenAt - roundStartedAt, readAt - roundStartedAt,
                computedAt - readAt, writtenAt - computedAt,
                termStartedAt < 0 ? "" : ", " + (writtenAt - termStartedAt) + " ms after the term began");
        termStartedAt = -1;
        return RoundOutcome.WRITTEN;
    }
}
