package io.shardwork.coordination.claim;

import static io.shardwork.layout.TracedMulti.errorOf;

import io.shardwork.layout.Checkpoint;
import io.shardwork.layout.Claim;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.layout.TracedMulti;
import io.shardwork.leader.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * Claims and releases of regions by one worker. A claim of regions r1..rn named by one assignment
 * generation is ONE read and ONE write, however many regions it takes:
 * <pre>
 * multi-read:  getData(/owners/ri), getData(/regions/ri/epoch),       for each region: held? by whom? epoch version,
 *              getData(/regions/ri/checkpoint)                        and where to start (see ClaimResult.Succeeded)
 * multi:       check(/assignment, generation)                         the assignment that names us is still current
 *              create(/owners/ri, EPHEMERAL, claim)                   at most one live claim      } for each
 *              setData(/regions/ri/epoch, versionRead)                the new znode version is    } free region
 *                                                                     our epoch
 * </pre>
 * (A region claimed for the first time in the cluster's life first gets its epoch and checkpoint nodes,
 * both in one multi.) A region whose claim is already held by this session (a claim that landed although
 * its answer was lost, or one whose work ended and was not deleted) is claimed again with a bumped epoch:
 * {@code setData(/owners/ri, claim, ownerVersionRead)} instead of the create, so whatever still runs under
 * the old epoch in this process is fenced; a re-claim never hands out the epoch of an earlier run.
 * A multi is all or nothing: when one region's ops fail (another worker's claim appeared in between),
 * that region is Blocked and the multi is tried again without it; when the check fails, every region is
 * Rejected. A region found blocked and then freed (its old owner released it) is claimed in ONE round trip,
 * the claim multi with the epoch version read when it was blocked and the checkpoint's read sent together
 * ({@link #claimFreed}). The create op comes from the client's {@code transactionOp()}, so the claim gets the ACL of the
 * client's ACLProvider like every other node (see {@code ZooKeeperClientFactory}).
 * All methods block on ZooKeeper; call them from the coordinator's event thread.
 */
public final class RegionClaims {
    /** A region's ops in the claim multi, after the one check: create the claim, bump the epoch. */
    private static final int OPS_PER_REGION = 2;
    /** A region's reads: its claim, its epoch, its checkpoint. */
    private static final int READS_PER_REGION = 3;

    private final CuratorFramework client;
    private final ClusterPaths paths;
    private final String workerId;
    private final TimeSource time;

    public RegionClaims(CuratorFramework client, ClusterPaths paths, String workerId, TimeSource time) {
        this.client = client;
        this.paths = paths;
        this.workerId = workerId;
        this.time = time;
    }

    /**
     * Tries to claim {@code regions}, all named by assignment {@code generation}, in one read and one write
     * (plus one write per region that a competing claim took in between). Returns a result for every region,
     * in their order. Not retried: a connection loss throws, and the caller tries again after reconnecting
     * (a claim that did land is then recognised as ours, with its epoch).
     */
    public Map<String, ClaimResult> claimAll(Collection<String> regions, long generation) throws Exception {
        Map<String, ClaimResult> results = new LinkedHashMap<>();
        List<String> wanted = List.copyOf(new LinkedHashSet<>(regions));
        if (wanted.isEmpty()) {
            return results;
        }
        long session = sessionId();
        List<OpResult> read = readOwnersAndEpochs(wanted);
        Map<String, Integer> epochVersions = new LinkedHashMap<>();
        Map<String, Integer> oursAlready = new LinkedHashMap<>();
        Map<String, Optional<Checkpoint>> checkpoints = new LinkedHashMap<>();
        Map<String, Integer> checkpointVersions = new LinkedHashMap<>();
        for (int i = 0; i < wanted.size(); i++) {
            String region = wanted.get(i);
            OpResult owner = read.get(READS_PER_REGION * i);
            OpResult epoch = read.get(READS_PER_REGION * i + 1);
            OpResult checkpoint = read.get(READS_PER_REGION * i + 2);
            checkpoints.put(region, checkpointOf(checkpoint));
            checkpointVersions.put(region, versionOf(checkpoint));
            if (owner instanceof OpResult.GetDataResult held && held.getStat().getEphemeralOwner() != session) {
                results.put(region, new ClaimResult.Blocked(
                        epoch instanceof OpResult.GetDataResult epochNode ? epochNode.getStat().getVersion() : -1));
            } else if (owner instanceof OpResult.GetDataResult held && epoch instanceof OpResult.GetDataResult epochNode) {
                results.put(region, null);
                oursAlready.put(region, held.getStat().getVersion());
                epochVersions.put(region, epochNode.getStat().getVersion());
            } else if (errorOf(owner) != KeeperException.Code.NONODE.intValue()) {
                throw KeeperException.create(KeeperException.Code.get(errorOf(owner)), paths.owner(region));
            } else if (epoch instanceof OpResult.GetDataResult epochNode) {
                results.put(region, null); // decided by the write below, keeps the order
                epochVersions.put(region, epochNode.getStat().getVersion());
            } else {
                throw KeeperException.create(KeeperException.Code.get(errorOf(epoch)), paths.regionEpoch(region));
            }
        }
        while (!epochVersions.isEmpty()) {
            List<String> free = List.copyOf(epochVersions.keySet());
            try {
                TracedMulti.write(client, claimOps(free, epochVersions, oursAlready, generation));
                free.forEach(region -> results.put(region, new ClaimResult.Succeeded(epochVersions.get(region) + 1L,
                        checkpoints.get(region), checkpointVersions.get(region))));
                break;
            } catch (KeeperException failed) {
                int at = firstFailure(failed.getResults());
                if (at < 0) {
                    throw failed;
                }
                if (at == 0) {
                    free.forEach(region -> results.put(region, new ClaimResult.Rejected()));
                    break;
                }
                String taken = free.get((at - 1) / OPS_PER_REGION);
                results.put(taken, new ClaimResult.Blocked()); // its epoch version is unknown: read again when freed
                epochVersions.remove(taken);
            }
        }
        return results;
    }

    /**
     * Claims regions whose blocking claim was deleted (a handoff: the old owner released them), with the epoch
     * versions read when their claims were found {@link ClaimResult.Blocked blocked}, in ONE round trip where
     * {@link #claimAll} takes two: the claim multi (as claimAll writes it) and the multi-read of the regions'
     * checkpoints go out together, and ZooKeeper answers them in order, so the reads see the tree after the claim.
     * <ul>
     *   <li>The versions are still current unless the region was claimed since: a release deletes the claim and
     *       leaves the epoch node alone, and every claim bumps that node. A claim made since fails ours (the
     *       create or the version), and so does an assignment that moved on (the check); ZooKeeper then wrote
     *       nothing, and {@link #claimAll} decides those regions with a fresh read.</li>
     *   <li>The checkpoint read after our claim is the old owner's last: it wrote its final checkpoint before it
     *       released, and once our claim bumped the epoch no earlier owner can write one (a checkpoint write checks
     *       the epoch).</li>
     * </ul>
     * In the handoff benchmark's joins a joiner that waited on the old owners' claims claimed 70-75 ms after their
     * release with claimAll's read and write one after the other, and 33-60 ms after it with this (one run each,
     * same host).
     */
    public Map<String, ClaimResult> claimFreed(Map<String, Integer> blockedEpochVersions, long generation) throws Exception {
        Map<String, ClaimResult> results = new LinkedHashMap<>();
        List<String> wanted = List.copyOf(blockedEpochVersions.keySet());
        if (wanted.isEmpty()) {
            return results;
        }
        List<Op> reads = new ArrayList<>();
        wanted.forEach(region -> reads.add(Op.getData(paths.regionCheckpoint(region))));
        TracedMulti.Pipelined answer = TracedMulti.writeThenRead(client,
                claimOps(wanted, blockedEpochVersions, Map.of(), generation), reads);
        if (answer.refused()) {
            return claimAll(wanted, generation);
        }
        for (int i = 0; i < wanted.size(); i++) {
            String region = wanted.get(i);
            OpResult checkpoint = answer.read().get(i);
            results.put(region, new ClaimResult.Succeeded(blockedEpochVersions.get(region) + 1L, checkpointOf(checkpoint),
                    versionOf(checkpoint)));
        }
        return results;
    }

    /**
     * Sends the reads of the claim and epoch nodes of {@code regions} without waiting for them: a worker sends them
     * with its read of a new assignment, for the regions it stands by for, which a crash or a leave gives it. Those
     * found free (a crashed owner's) are then claimed in ONE round trip ({@link #claimFreed}, with the epoch versions
     * read here) instead of {@link #claimAll}'s read and write; those found held (a leaver still stopping them) are
     * watched at once, without claimAll's read. A version that moved on meanwhile costs claimFreed's fallback, never
     * a wrong claim: the claim multi checks it.
     */
    public ReadAhead readAhead(Collection<String> regions) {
        List<String> names = List.copyOf(regions);
        if (names.isEmpty()) {
            return ReadAhead.NONE;
        }
        List<Op> reads = new ArrayList<>(2 * names.size());
        for (String region : names) {
            reads.add(Op.getData(paths.owner(region)));
            reads.add(Op.getData(paths.regionEpoch(region)));
        }
        long session;
        try {
            session = sessionId();
        } catch (Exception e) {
            return ReadAhead.NONE;
        }
        return new ReadAhead(names, session, TracedMulti.readInBackground(client, reads));
    }

    /** Claim reads sent ahead by {@link #readAhead}. */
    public static final class ReadAhead {
        /** Bounds the wait for an answer that is normally there already; without it the claims read for themselves. */
        private static final Duration ANSWER_WAIT = Duration.ofSeconds(5);
        /** Nothing read ahead. */
        public static final ReadAhead NONE = new ReadAhead(List.of(), 0, CompletableFuture.completedFuture(List.of()));

        private final List<String> regions;
        private final long session;
        private final CompletableFuture<List<OpResult>> answer;

        private ReadAhead(List<String> regions, long session, CompletableFuture<List<OpResult>> answer) {
            this.regions = regions;
            this.session = session;
            this.answer = answer;
        }

        /** What the reads found of one region: whether it was free, and its epoch node's version. */
        public record Found(boolean free, int epochVersion) {
        }

        /**
         * What the reads found, by region: free, or held by another session, with the epoch version. Regions this
         * session holds, or without an epoch node, are left out (claimAll decides them), as is everything when the
         * reads failed. Waits for the answer: sent before the caller's own read, it has come by then.
         */
        public Map<String, Found> found() throws InterruptedException {
            List<OpResult> read;
            try {
                read = answer.get(ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException failed) {
                return Map.of();
            }
            Map<String, Found> found = new LinkedHashMap<>();
            for (int i = 0; i < regions.size(); i++) {
                OpResult owner = read.get(2 * i);
                if (!(read.get(2 * i + 1) instanceof OpResult.GetDataResult epoch)) {
                    continue;
                }
                if (errorOf(owner) == KeeperException.Code.NONODE.intValue()) {
                    found.put(regions.get(i), new Found(true, epoch.getStat().getVersion()));
                } else if (owner instanceof OpResult.GetDataResult held && held.getStat().getEphemeralOwner() != session) {
                    found.put(regions.get(i), new Found(false, epoch.getStat().getVersion()));
                }
            }
            return found;
        }
    }

    /** The version a checkpoint node was read at, or -1 when it was absent. */
    private static int versionOf(OpResult checkpoint) {
        return checkpoint instanceof OpResult.GetDataResult data ? data.getStat().getVersion() : -1;
    }

    /**
     * The claim multi of {@code free}: the check of the assignment's generation, then per region the claim (a
     * create, or a versioned set of a claim this session holds already: {@code oursAlready}) and the epoch bump
     * against the version read ({@code epochVersions}).
     */
    private List<Op> claimOps(List<String> free, Map<String, Integer> epochVersions, Map<String, Integer> oursAlready,
                              long generation) throws Exception {
        List<Op> ops = new ArrayList<>(1 + OPS_PER_REGION * free.size());
        ops.add(Op.check(paths.assignment(), Math.toIntExact(generation)));
        for (String region : free) {
            int version = epochVersions.get(region);
            byte[] claim = LayoutJson.encode(new Claim(workerId, version + 1L, time.now()));
            ops.add(oursAlready.containsKey(region)
                    ? Op.setData(paths.owner(region), claim, oursAlready.get(region))
                    : client.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(paths.owner(region), claim).get());
            ops.add(Op.setData(paths.regionEpoch(region), claim, version));
        }
        return ops;
    }

    /**
     * Runs the claim path once without claiming anything, so that this worker's first claim runs loaded, compiled
     * code: the multi-read of the regions' claim, epoch and checkpoint nodes (as {@link #claimAll} reads them, one
     * ZooKeeper request), the checkpoints' JSON, and a claim's JSON. Changes nothing. In the handoff benchmark a
     * worker that had just joined took about 170 ms from a region's release to its claim, against about 40 ms once
     * warm.
     *
     * <p>Then the write side as {@link #claimFreed} sends it: a claim's ops built (Curator's transaction builders,
     * not sent) and a multi sent together with a multi-read ({@link TracedMulti#writeThenRead}), the multi only
     * checking that the members node exists (any version): it writes nothing. A joiner's first claim still loaded
     * about 130 classes on its path (Curator's transaction, the ZooKeeper multi's requests and results, the
     * asynchronous answer), about 35 ms of a join's pause in the handoff benchmark's class-load log.
     */
    public void warmUp(Collection<String> regions) throws Exception {
        List<String> names = List.copyOf(regions);
        if (names.isEmpty()) {
            return;
        }
        List<OpResult> read = TracedMulti.read(client, readOps(names));
        for (int i = 0; i < names.size(); i++) {
            checkpointOf(read.get(READS_PER_REGION * i + 2));
        }
        Map<String, Integer> versions = Map.of(names.get(0), 0);
        claimOps(List.of(names.get(0)), versions, Map.of(), 0);
        claimOps(List.of(names.get(0)), versions, versions, 0);
        TracedMulti.writeThenRead(client, List.of(Op.check(paths.members(), -1)), readOps(List.of(names.get(0))));
        LayoutJson.decode(LayoutJson.encode(new Claim(workerId, 1, time.now())), Claim.class);
    }

    /**
     * Arms {@code onDeleted} on {@code /owners/r} without waiting for the answer: the request is sent at once, so a
     * worker blocked on several regions (a handoff: the old owner still stopping them) arms all its watches in about
     * one round trip instead of one after another. {@code onAbsent} runs, on Curator's event thread, when the node
     * is already gone (the watch then fires on its creation, which the caller may ignore); {@code onFailure} when
     * the request failed (the watch may not be armed).
     */
    public void watchClaimAsync(String region, Watcher onDeleted, Runnable onAbsent, Consumer<KeeperException.Code> onFailure)
            throws Exception {
        client.checkExists().usingWatcher(onDeleted).inBackground((ignored, event) -> {
            KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
            if (code == KeeperException.Code.NONODE || (code == KeeperException.Code.OK && event.getStat() == null)) {
                onAbsent.run();
            } else if (code != KeeperException.Code.OK) {
                onFailure.accept(code);
            }
        }).forPath(paths.owner(region));
    }

    /** Whether {@code /owners/r} exists and belongs to the current session. */
    public boolean holds(String region) throws Exception {
        Stat owner = client.checkExists().forPath(paths.owner(region));
        return owner != null && owner.getEphemeralOwner() == sessionId();
    }

    /**
     * Deletes {@code /owners/r} if it is still the claim of {@code epoch}: ONE multi
     * {@code check(/regions/r/epoch, epoch) + delete(/owners/r)}. Every claim bumps the epoch node's version,
     * so a check that holds proves no claim was made since ours: the owner node is ours or already gone. A
     * newer claim, another worker's or this session's own, fails the check and is left alone.
     */
    public void release(String region, long epoch) throws Exception {
        List<Op> ops = List.of(Op.check(paths.regionEpoch(region), Math.toIntExact(epoch)), Op.delete(paths.owner(region), -1));
        try {
            TracedMulti.write(client, ops);
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException notOurs) {
            // claimed again since (the check), or our claim is gone already (the delete)
        }
    }

    /**
     * {@link #release} of several regions in ONE multi, the two ops of each. When it is refused (a region
     * claimed again since, or a claim already gone), each region is released alone, which leaves exactly that
     * one alone: the same outcome as one release per region, in one round trip when nothing is refused.
     */
    public void releaseAll(Map<String, Long> epochs) throws Exception {
        if (epochs.size() == 1) {
            Map.Entry<String, Long> only = epochs.entrySet().iterator().next();
            release(only.getKey(), only.getValue());
            return;
        }
        try {
            releaseWithCheckpoints(epochs, Map.of());
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException oneNotOurs) {
            for (Map.Entry<String, Long> each : epochs.entrySet()) {
                release(each.getKey(), each.getValue());
            }
        }
    }

    /**
     * Deletes the claims of {@code epochs} and writes the final checkpoints of {@code finalWrites} (region to the
     * checkpoint's setData, see {@code FinalCheckpoint}) in ONE multi: per region
     * {@code check(/regions/r/epoch, epoch)}, its checkpoint write if any, {@code delete(/owners/r)}. The next owner
     * then finds the last checkpoint and the free region in one transaction. All or nothing: a refusal (a region
     * claimed again since, a claim already gone, a checkpoint node written since) throws the multi's
     * {@link KeeperException} and changes nothing; the caller then settles the regions one by one.
     *
     * @return each checkpoint write's result, by region
     */
    public Map<String, OpResult> releaseWithCheckpoints(Map<String, Long> epochs, Map<String, Op> finalWrites) throws Exception {
        List<Op> ops = new ArrayList<>(3 * epochs.size());
        Map<String, Integer> writeAt = new LinkedHashMap<>();
        epochs.forEach((region, epoch) -> {
            ops.add(Op.check(paths.regionEpoch(region), Math.toIntExact(epoch)));
            Op write = finalWrites.get(region);
            if (write != null) {
                writeAt.put(region, ops.size());
                ops.add(write);
            }
            ops.add(Op.delete(paths.owner(region), -1));
        });
        List<OpResult> results = TracedMulti.write(client, ops);
        Map<String, OpResult> written = new LinkedHashMap<>();
        writeAt.forEach((region, at) -> written.put(region, results.get(at)));
        return written;
    }

    /**
     * One multi-read of each region's claim, epoch and checkpoint node. {@code cluster apply} creates a
     * region's nodes when it defines it; a region without them (defined by an older version, or left with
     * one of the two by one) gets what is missing ({@link RegionNodes#ensure}, one multi) and is read again.
     */
    private List<OpResult> readOwnersAndEpochs(List<String> regions) throws Exception {
        List<OpResult> read = TracedMulti.read(client, readOps(regions));
        List<String> incomplete = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            if (errorOf(read.get(READS_PER_REGION * i + 1)) == KeeperException.Code.NONODE.intValue()
                    || errorOf(read.get(READS_PER_REGION * i + 2)) == KeeperException.Code.NONODE.intValue()) {
                incomplete.add(regions.get(i));
            }
        }
        if (incomplete.isEmpty()) {
            return read;
        }
        RegionNodes.ensure(client, paths, incomplete);
        return TracedMulti.read(client, readOps(regions));
    }

    private List<Op> readOps(List<String> regions) {
        List<Op> ops = new ArrayList<>();
        for (String region : regions) {
            ops.add(Op.getData(paths.owner(region)));
            ops.add(Op.getData(paths.regionEpoch(region)));
            ops.add(Op.getData(paths.regionCheckpoint(region)));
        }
        return ops;
    }

    private static Optional<Checkpoint> checkpointOf(OpResult read) {
        return read instanceof OpResult.GetDataResult data && data.getData() != null && data.getData().length > 0
                ? Optional.of(LayoutJson.decode(data.getData(), Checkpoint.class)) : Optional.empty();
    }

    /** The index of the op that failed a multi (ZooKeeper marks the ops after it as rolled back), or -1. */
    private static int firstFailure(List<OpResult> results) {
        if (results == null) {
            return -1;
        }
        for (int i = 0; i < results.size(); i++) {
            int error = errorOf(results.get(i));
            if (error != 0 && error != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                return i;
            }
        }
        return -1;
    }

    private long sessionId() throws Exception {
        return client.getZookeeperClient().getZooKeeper().getSessionId();
    }
}
