package io.shardwork.coordination.checkpoint;

import static io.shardwork.layout.TracedMulti.errorOf;

import io.shardwork.layout.Checkpoint;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.layout.TracedMulti;
import io.shardwork.leader.TimeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;

/**
 * Checkpoints in {@code /regions/<r>/checkpoint}, written by ONE multi:
 * <pre>
 * check(/owners/r, -1)            a claim exists
 * check(/regions/r/epoch, epoch)  nobody claimed since our claim: THE fence
 * setData(/regions/r/checkpoint, {offset, epoch, at, workerId}, versionRead)
 * </pre>
 * A checkpoint never moves backwards within its epoch: the write carries the checkpoint node's version
 * this store last read or wrote, and a write of an offset lower than the one stored under the same epoch
 * is refused as fenced (only a second runner of the same epoch, one this worker abandoned, can attempt
 * it). When the version moved on (another run wrote meanwhile) the node is read again and the rule
 * applied to what is there now. Thread-safe: writes of one region are serialised.
 * Several regions' checkpoints go in ONE multi ({@link #commitAll}, three ops per region: a worker's regions fall
 * due together and {@link CheckpointGroupCommit} collects them), and a region's final checkpoint goes in the same
 * multi as the deletion of its claim ({@link #releaseAll}). A fenced region is refused alone.
 * Since a claim's creation and its epoch bump are one multi, the two checks together mean exactly "the
 * claim of {@code epoch} is live". DESIGN.md has only the epoch check; that alone lets a write through in
 * the window after our claim was deleted (graceful release, or session expiry) and before the next owner's
 * claim bumps the epoch: a straggler of the old owner could then still move the checkpoint after
 * stop-before-start promised it would not. The owners check closes that window.
 */
public final class ZooKeeperCheckpointStore implements CheckpointStore {
    private final CuratorFramework client;
    private final ClusterPaths paths;
    private final String workerId;
    private final FencingCounter fencing;
    private final TimeSource time;
    private final CommitAudit audit;
    /** The checkpoint node of each region as last read or written here: its version and content. */
    private final Map<String, Stored> known = new ConcurrentHashMap<>();
    /** Serialises the writes of each region; a multi holds the locks of all its regions. */
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** How often a write is tried again after the node's version moved on under it. */
    private static final int VERSION_RETRIES = 5;
    /**
     * The most regions one multi writes (a region's ops are about 300 bytes: far below ZooKeeper's 1 MB request
     * limit); more regions take more multis.
     */
    public static final int MAX_REGIONS_PER_MULTI = 200;

    private record Stored(int version, Optional<Checkpoint> checkpoint) { }

    /** Hears every accepted checkpoint with the znode version it produced (ZooKeeper's order). */
    @FunctionalInterface
    public interface CommitAudit {
        void committed(String region, long epoch, long offset, int checkpointVersion);
    }

    public ZooKeeperCheckpointStore(CuratorFramework client, ClusterPaths paths, String workerId, FencingCounter fencing,
                                    TimeSource time) {
        this(client, paths, workerId, fencing, time, (region, epoch, offset, version) -> { });
    }

    public ZooKeeperCheckpointStore(CuratorFramework client, ClusterPaths paths, String workerId, FencingCounter fencing,
                                    TimeSource time, CommitAudit audit) {
        this.audit = audit;
        this.client = client;
        this.paths = paths;
        this.workerId = workerId;
        this.fencing = fencing;
        this.time = time;
    }

    @Override
    public Optional<Checkpoint> read(String region) throws Exception {
        try {
            byte[] data = client.getData().forPath(paths.regionCheckpoint(region));
            return data == null || data.length == 0 ? Optional.empty() : Optional.of(LayoutJson.decode(data, Checkpoint.class));
        } catch (KeeperException.NoNodeException none) {
            return Optional.empty();
        }
    }

    /**
     * A claim of {@code region} read its checkpoint node at {@code version}: the run's first write is checked
     * against it instead of reading the node again (a version that moved on still costs only a refused write
     * and a read). A negative version is ignored.
     */
    public void claimed(String region, int version, Optional<Checkpoint> checkpoint) {
        if (version < 0) {
            return;
        }
        ReentrantLock lock = lockOf(region);
        lock.lock();
        try {
            known.put(region, new Stored(version, checkpoint));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void commit(String region, long epoch, long nextOffset) throws FencedException, Exception {
        Exception failed = commitAll(List.of(new DueCheckpoint(region, epoch, nextOffset))).get(region);
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * The checkpoints of {@code due} in ONE multi (up to {@link #MAX_REGIONS_PER_MULTI} regions per multi), each
     * region with its three ops of {@link #commit}. A multi is all or nothing, so when one region's op fails, that
     * region alone gets its outcome (fenced: {@link FencedException}, counted; its node's version moved on: read
     * again) and the multi is sent again without it, or with it read again: a zombie's write is refused without
     * holding back the regions that are still live. A connection loss fails every region not written yet.
     */
    @Override
    public Map<String, Exception> commitAll(List<DueCheckpoint> due) {
        List<Write> writes = due.stream().map(d -> new Write(d.region(), d.epoch(), OptionalLong.of(d.nextOffset()), false)).toList();
        return writeAll(writes);
    }

    /**
     * Deletes the claims of {@code released}, each with the final checkpoint of its run, in ONE multi (up to
     * {@link #MAX_REGIONS_PER_MULTI} regions per multi), per region:
     * <pre>
     * check(/regions/r/epoch, epoch)         nobody claimed since our claim: THE fence
     * setData(/regions/r/checkpoint, ...)    only when there is a final offset and it is not the checkpoint already stored
     * delete(/owners/r)                      the claim exists: it is ours (the epoch check), so its owner check too
     * </pre>
     * The final checkpoint and the claim's deletion land together or not at all: the next owner, who claims only
     * once the claim is gone, reads that checkpoint. A region whose claim is gone or superseded is left alone (a
     * newer claim, another worker's or this session's own, is never deleted); when it had a final checkpoint, that
     * checkpoint was refused: it is reported as fenced. The others are released all the same (the multi is sent
     * again without the refused region). Blocks.
     *
     * @return the regions whose final checkpoint was refused ({@link FencedException}) or whose release failed
     *         (e.g. the connection was lost: the claim may still exist); every other region's claim is gone
     */
    public Map<String, Exception> releaseAll(List<ReleasedClaim> released) {
        List<Write> writes = released.stream().map(r -> new Write(r.region(), r.epoch(), r.finalOffset(), true)).toList();
        return writeAll(writes);
    }

    /** One region's part of a fenced multi: a checkpoint, or the deletion of its claim with or without a final checkpoint. */
    private record Write(String region, long epoch, OptionalLong offset, boolean release) { }

    /** What one op of a fenced multi is for; a failure of each means something else. */
    private enum Role { OWNER_CHECK, EPOCH_CHECK, CHECKPOINT, OWNER_DELETE }

    private Map<String, Exception> writeAll(List<Write> writes) {
        Map<String, Exception> failures = new LinkedHashMap<>();
        for (int from = 0; from < writes.size(); from += MAX_REGIONS_PER_MULTI) {
            List<Write> chunk = writes.subList(from, Math.min(writes.size(), from + MAX_REGIONS_PER_MULTI));
            List<ReentrantLock> held = lockAll(chunk);
            try {
                writeLocked(chunk, failures);
            } finally {
                for (int i = held.size() - 1; i >= 0; i--) {
                    held.get(i).unlock();
                }
            }
        }
        return failures;
    }

    /** Runs the multi until every write of {@code chunk} is done or has its failure. The regions' locks are held. */
    private void writeLocked(List<Write> chunk, Map<String, Exception> failures) {
        Map<String, Write> pending = new LinkedHashMap<>();
        chunk.forEach(write -> pending.put(write.region(), write));
        Map<String, Integer> versionRetries = new HashMap<>();
        while (!pending.isEmpty()) {
            List<Op> ops = new ArrayList<>();
            List<Write> opWrite = new ArrayList<>();
            List<Role> opRole = new ArrayList<>();
            Map<String, Checkpoint> written = new HashMap<>();
            for (Write write : List.copyOf(pending.values())) {
                Optional<Checkpoint> checkpoint;
                try {
                    checkpoint = checkpointOf(write);
                } catch (FencedException fenced) {
                    pending.remove(write.region());
                    failures.put(write.region(), fenced);
                    continue;
                } catch (Exception unreadable) {
                    pending.remove(write.region());
                    failures.put(write.region(), unreadable);
                    continue;
                }
                String region = write.region();
                if (!write.release()) {
                    add(ops, opWrite, opRole, write, Role.OWNER_CHECK, Op.check(paths.owner(region), -1));
                }
                add(ops, opWrite, opRole, write, Role.EPOCH_CHECK, Op.check(paths.regionEpoch(region), Math.toIntExact(write.epoch())));
                if (checkpoint.isPresent()) {
                    written.put(region, checkpoint.get());
                    add(ops, opWrite, opRole, write, Role.CHECKPOINT, Op.setData(paths.regionCheckpoint(region),
                            LayoutJson.encode(checkpoint.get()), known.get(region).version()));
                }
                if (write.release()) {
                    add(ops, opWrite, opRole, write, Role.OWNER_DELETE, Op.delete(paths.owner(region), -1));
                }
            }
            if (ops.isEmpty()) {
                return;
            }
            List<OpResult> results;
            try {
                results = TracedMulti.write(client, ops);
            } catch (KeeperException refused) {
                int at = TracedMulti.firstFailure(refused.getResults());
                if (at < 0) {
                    pending.keySet().forEach(region -> failures.put(region, refused));
                    return;
                }
                Write write = opWrite.get(at);
                refusedOne(write, opRole.get(at), errorOf(refused.getResults().get(at)), written.containsKey(write.region()),
                        pending, versionRetries, failures);
                continue;
            } catch (Exception lost) {
                pending.keySet().forEach(region -> failures.put(region, lost));
                return;
            }
            for (int i = 0; i < results.size(); i++) {
                if (opRole.get(i) == Role.CHECKPOINT && results.get(i) instanceof OpResult.SetDataResult set) {
                    Write write = opWrite.get(i);
                    Checkpoint checkpoint = written.get(write.region());
                    known.put(write.region(), new Stored(set.getStat().getVersion(), Optional.of(checkpoint)));
                    audit.committed(write.region(), write.epoch(), checkpoint.offset(), set.getStat().getVersion());
                }
            }
            return;
        }
    }

    /**
     * The checkpoint {@code write} puts in the multi, empty when it writes none (a release without a final offset, or
     * whose final offset is the checkpoint already stored under its epoch: the position has not moved).
     *
     * @throws FencedException when it would move the checkpoint of its epoch backwards
     */
    private Optional<Checkpoint> checkpointOf(Write write) throws Exception {
        if (write.offset().isEmpty()) {
            return Optional.empty();
        }
        long nextOffset = write.offset().getAsLong();
        Stored stored = known.containsKey(write.region()) ? known.get(write.region()) : readStored(write.region());
        Optional<Checkpoint> current = stored.checkpoint();
        if (current.isPresent() && current.get().epoch() == write.epoch() && current.get().offset() > nextOffset) {
            fencing.increment();
            throw new FencedException(write.region(), write.epoch(), "the checkpoint of this epoch is at offset "
                    + current.get().offset() + " already; offset " + nextOffset + " would move it backwards.");
        }
        if (write.release() && current.isPresent() && current.get().epoch() == write.epoch() && current.get().offset() == nextOffset) {
            return Optional.empty();
        }
        return Optional.of(new Checkpoint(nextOffset, write.epoch(), time.now(), workerId));
    }

    /** What the refusal of the multi at {@code write}'s op {@code role} means for that region alone; the caller sends the rest again. */
    private void refusedOne(Write write, Role role, int error, boolean withCheckpoint, Map<String, Write> pending,
                            Map<String, Integer> versionRetries, Map<String, Exception> failures) {
        String region = write.region();
        boolean claimGone = role == Role.OWNER_CHECK || role == Role.OWNER_DELETE && error == KeeperException.Code.NONODE.intValue();
        boolean newerEpoch = role == Role.EPOCH_CHECK;
        if (claimGone || newerEpoch) {
            pending.remove(region);
            if (withCheckpoint) {
                fencing.increment();
                failures.put(region, new FencedException(region, write.epoch(), claimGone
                        ? "no live claim on " + paths.owner(region) + "." : "the region was claimed again under a newer epoch."));
            }
            // a release without a checkpoint: the claim is not ours any more, nothing to delete
            return;
        }
        if (role == Role.CHECKPOINT && error == KeeperException.Code.BADVERSION.intValue()) {
            known.remove(region);
            if (versionRetries.merge(region, 1, Integer::sum) < VERSION_RETRIES) {
                return; // read again and tried again with the others
            }
        }
        pending.remove(region);
        failures.put(region, KeeperException.create(KeeperException.Code.get(error), role == Role.CHECKPOINT
                ? paths.regionCheckpoint(region) : role == Role.EPOCH_CHECK ? paths.regionEpoch(region) : paths.owner(region)));
    }

    private static void add(List<Op> ops, List<Write> opWrite, List<Role> opRole, Write write, Role role, Op op) {
        ops.add(op);
        opWrite.add(write);
        opRole.add(role);
    }

    /** Locks the regions of {@code writes} in name order (two batches never wait for each other in a cycle). */
    private List<ReentrantLock> lockAll(List<Write> writes) {
        List<String> regions = writes.stream().map(Write::region).sorted().toList();
        if (new HashSet<>(regions).size() != regions.size()) {
            throw new IllegalArgumentException("A region appears twice in one checkpoint write: " + regions);
        }
        List<ReentrantLock> held = new ArrayList<>();
        for (String region : regions) {
            ReentrantLock lock = lockOf(region);
            lock.lock();
            held.add(lock);
        }
        return held;
    }

    private Stored readStored(String region) throws Exception {
        Stat stat = new Stat();
        byte[] data = client.getData().storingStatIn(stat).forPath(paths.regionCheckpoint(region));
        Stored stored = new Stored(stat.getVersion(), data == null || data.length == 0 ? Optional.empty()
                : Optional.of(LayoutJson.decode(data, Checkpoint.class)));
        known.put(region, stored);
        return stored;
    }

    private ReentrantLock lockOf(String region) {
        return locks.computeIfAbsent(region, r -> new ReentrantLock());
    }
}
