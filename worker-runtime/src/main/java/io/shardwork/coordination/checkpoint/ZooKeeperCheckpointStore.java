package io.shardwork.coordination.checkpoint;

import static io.shardwork.layout.TracedMulti.errorOf;

import io.shardwork.layout.Checkpoint;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.layout.TracedMulti;
import io.shardwork.leader.TimeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;

/**
 * Checkpoints in {@code /regions/<r>/checkpoint}, each written by three ops of one multi:
 * <pre>
 * check(/owners/r, -1)            a claim exists
 * check(/regions/r/epoch, epoch)  nobody claimed since our claim: THE fence
 * setData(/regions/r/checkpoint, {offset, epoch, at, workerId}, versionRead)
 * </pre>
 * A checkpoint never moves backwards within its epoch: the write carries the checkpoint node's version
 * this store last read or wrote, and a write of an offset lower than the one stored under the same epoch
 * is refused as fenced (only a second runner of the same epoch, one this worker abandoned, can attempt
 * it). When the version moved on (another run wrote meanwhile) the node is read again and the rule
 * applied to what is there now. The regions of this worker whose checkpoints fall due together share the
 * multi, each with its three ops ({@link CheckpointBatcher}: one writer at a time, so writes of one region are
 * serialised); a refusal of one region leaves the others to be written again without it. Thread-safe.
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
    private final java.util.Map<String, Stored> known = new java.util.concurrent.ConcurrentHashMap<>();
    /** How often a write is tried again after the node's version moved on under it. */
    private static final int VERSION_RETRIES = 5;
    private final CheckpointBatcher batcher = new CheckpointBatcher(this::writeBatch);
    private final PostedCheckpoints posted;

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
        this.posted = new PostedCheckpoints(batcher, workerId);
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
        synchronized (lockOf(region)) {
            known.put(region, new Stored(version, checkpoint));
        }
    }

    /**
     * Queued with the checkpoints of this worker's other regions falling due at the same moment, written in one
     * multi with theirs ({@link CheckpointBatcher}); the fence is each region's own three ops, as alone.
     */
    @Override
    public void commit(String region, long epoch, long nextOffset) throws FencedException, Exception {
        posted.supersede(region, epoch);
        batcher.commit(region, epoch, nextOffset);
    }

    /** Waits for the worker's other regions at most {@code within}, then goes in their batch ({@link PostedCheckpoints}). */
    @Override
    public void post(String region, long epoch, long nextOffset, java.time.Duration within, Outcome outcome) {
        posted.post(region, epoch, nextOffset, within, outcome);
    }

    /**
     * The final checkpoint of {@code region}'s run under {@code epoch}, to be written by the multi that deletes the
     * claim ({@link FinalCheckpoint}): posted checkpoints of the run still waiting are dropped, as a {@link #commit}
     * drops them, and the write is checked against the node's version as last read or written here.
     *
     * @throws FencedException when {@code nextOffset} would move the checkpoint of this epoch backwards
     */
    public FinalCheckpoint prepareFinal(String region, long epoch, long nextOffset) throws FencedException, Exception {
        posted.supersede(region, epoch);
        synchronized (lockOf(region)) {
            Stored stored = stored(region);
            refuseBackwards(region, epoch, nextOffset, stored);
            Checkpoint checkpoint = new Checkpoint(nextOffset, epoch, time.now(), workerId);
            return new FinalCheckpoint(region, epoch, nextOffset, checkpoint,
                    Op.setData(paths.regionCheckpoint(region), LayoutJson.encode(checkpoint), stored.version()));
        }
    }

    /** The multi holding {@code written} went through; {@code result} is its setData's result. */
    public void finalWritten(FinalCheckpoint written, OpResult result) {
        synchronized (lockOf(written.region())) {
            remember(written.region(), written.epoch(), written.nextOffset(), written.checkpoint(), result);
        }
    }

    /** Posted checkpoints still waiting fail unwritten; call before the client closes. */
    public void close() {
        posted.close();
    }

    /** One multi for the batch; a refused one has its refused region written alone (the refusal worded) and the rest again. */
    void writeBatch(List<CheckpointBatcher.Request> batch) {
        if (batch.size() == 1) {
            writeAlone(batch.get(0));
            return;
        }
        List<CheckpointBatcher.Request> ready = new ArrayList<>();
        List<Integer> versions = new ArrayList<>();
        for (CheckpointBatcher.Request request : batch) {
            try {
                Stored stored = stored(request.region);
                refuseBackwards(request.region, request.epoch, request.nextOffset, stored);
                ready.add(request);
                versions.add(stored.version());
            } catch (Exception e) {
                request.failed(e);
            }
        }
        while (ready.size() > 1) {
            List<Op> ops = new ArrayList<>(3 * ready.size());
            List<Checkpoint> written = new ArrayList<>(ready.size());
            for (int i = 0; i < ready.size(); i++) {
                CheckpointBatcher.Request request = ready.get(i);
                Checkpoint checkpoint = new Checkpoint(request.nextOffset, request.epoch, time.now(), workerId);
                written.add(checkpoint);
                ops.addAll(ops(request.region, request.epoch, checkpoint, versions.get(i)));
            }
            try {
                List<OpResult> results = TracedMulti.write(client, ops);
                for (int i = 0; i < ready.size(); i++) {
                    accepted(ready.get(i), written.get(i), results.get(3 * i + 2));
                }
                return;
            } catch (KeeperException refused) {
                int op = firstRefused(refused.getResults());
                if (op < 0) {
                    ready.forEach(request -> request.failed(refused));
                    return;
                }
                versions.remove(op / 3);
                writeAlone(ready.remove(op / 3));
            } catch (Exception failed) {
                ready.forEach(request -> request.failed(failed));
                return;
            }
        }
        if (!ready.isEmpty()) {
            writeAlone(ready.get(0));
        }
    }

    private void accepted(CheckpointBatcher.Request request, Checkpoint checkpoint, OpResult result) {
        remember(request.region, request.epoch, request.nextOffset, checkpoint, result);
        request.succeeded();
    }

    /** An accepted write: the node's new version is what the next write of the region checks against; audited. */
    private void remember(String region, long epoch, long nextOffset, Checkpoint checkpoint, OpResult setDataResult) {
        if (setDataResult instanceof OpResult.SetDataResult set) {
            known.put(region, new Stored(set.getStat().getVersion(), Optional.of(checkpoint)));
            audit.committed(region, epoch, nextOffset, set.getStat().getVersion());
        }
    }

    /** The checkpoint node as last read or written here; read now when this store knows nothing of it. */
    private Stored stored(String region) throws Exception {
        Stored stored = known.get(region);
        return stored != null ? stored : readStored(region);
    }

    /** The index of the op that failed a refused multi (the ops after it report a runtime inconsistency); -1 when none says. */
    private static int firstRefused(List<OpResult> results) {
        if (results == null) {
            return -1;
        }
        for (int i = 0; i < results.size(); i++) {
            int error = errorOf(results.get(i));
            if (error != KeeperException.Code.OK.intValue() && error != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                return i;
            }
        }
        return -1;
    }

    private void writeAlone(CheckpointBatcher.Request request) {
        try {
            commitAlone(request.region, request.epoch, request.nextOffset);
            request.succeeded();
        } catch (Exception e) {
            request.failed(e);
        }
    }

    private void commitAlone(String region, long epoch, long nextOffset) throws Exception {
        synchronized (lockOf(region)) {
            for (int attempt = 1; ; attempt++) {
                Stored stored = stored(region);
                refuseBackwards(region, epoch, nextOffset, stored);
                try {
                    write(region, epoch, nextOffset, stored.version());
                    return;
                } catch (KeeperException.BadVersionException movedOn) {
                    known.remove(region);
                    if (attempt >= VERSION_RETRIES) {
                        throw movedOn;
                    }
                }
            }
        }
    }

    private void refuseBackwards(String region, long epoch, long nextOffset, Stored stored) throws FencedException {
        Optional<Checkpoint> current = stored.checkpoint();
        if (current.isPresent() && current.get().epoch() == epoch && current.get().offset() > nextOffset) {
            fencing.increment();
            throw new FencedException(region, epoch, "the checkpoint of this epoch is at offset "
                    + current.get().offset() + " already; offset " + nextOffset + " would move it backwards.");
        }
    }

    private List<Op> ops(String region, long epoch, Checkpoint checkpoint, int version) {
        return List.of(
                Op.check(paths.owner(region), -1),
                Op.check(paths.regionEpoch(region), Math.toIntExact(epoch)),
                Op.setData(paths.regionCheckpoint(region), LayoutJson.encode(checkpoint), version));
    }

    private void write(String region, long epoch, long nextOffset, int version) throws Exception {
        Checkpoint checkpoint = new Checkpoint(nextOffset, epoch, time.now(), workerId);
        List<Op> ops = ops(region, epoch, checkpoint, version);
        try {
            remember(region, epoch, nextOffset, checkpoint, TracedMulti.write(client, ops).get(2));
        } catch (KeeperException failed) {
            List<OpResult> results = failed.getResults();
            if (results != null && results.size() == 3) {
                if (errorOf(results.get(0)) != 0) {
                    fencing.increment();
                    throw new FencedException(region, epoch, "no live claim on " + paths.owner(region) + ".");
                }
                if (errorOf(results.get(1)) != 0) {
                    fencing.increment();
                    throw new FencedException(region, epoch, "the region was claimed again under a newer epoch.");
                }
            }
            throw failed;
        }
    }

    private Stored readStored(String region) throws Exception {
        Stat stat = new Stat();
        byte[] data = client.getData().storingStatIn(stat).forPath(paths.regionCheckpoint(region));
        Stored stored = new Stored(stat.getVersion(), data == null || data.length == 0 ? Optional.empty()
                : Optional.of(LayoutJson.decode(data, Checkpoint.class)));
        known.put(region, stored);
        return stored;
    }

    private Object lockOf(String region) {
        return locks.computeIfAbsent(region, r -> new Object());
    }

    private final java.util.Map<String, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();
}
