package io.shardwork.coordination.checkpoint;

import static io.shardwork.layout.TracedMulti.errorOf;

import io.shardwork.layout.Checkpoint;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.layout.TracedMulti;
import io.shardwork.leader.TimeSource;
import java.util.List;
import java.util.Optional;
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
        synchronized (lockOf(region)) {
            known.put(region, new Stored(version, checkpoint));
        }
    }

    @Override
    public void commit(String region, long epoch, long nextOffset) throws FencedException, Exception {
        synchronized (lockOf(region)) {
            for (int attempt = 1; ; attempt++) {
                Stored stored = known.containsKey(region) ? known.get(region) : readStored(region);
                Optional<Checkpoint> current = stored.checkpoint();
                if (current.isPresent() && current.get().epoch() == epoch && current.get().offset() > nextOffset) {
                    fencing.increment();
                    throw new FencedException(region, epoch, "the checkpoint of this epoch is at offset "
                            + current.get().offset() + " already; offset " + nextOffset + " would move it backwards.");
                }
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

    private void write(String region, long epoch, long nextOffset, int version) throws Exception {
        Checkpoint checkpoint = new Checkpoint(nextOffset, epoch, time.now(), workerId);
        byte[] data = LayoutJson.encode(checkpoint);
        List<Op> ops = List.of(
                Op.check(paths.owner(region), -1),
                Op.check(paths.regionEpoch(region), Math.toIntExact(epoch)),
                Op.setData(paths.regionCheckpoint(region), data, version));
        try {
            List<OpResult> results = TracedMulti.write(client, ops);
            if (results.get(2) instanceof OpResult.SetDataResult set) {
                known.put(region, new Stored(set.getStat().getVersion(), Optional.of(checkpoint)));
                audit.committed(region, epoch, nextOffset, set.getStat().getVersion());
            }
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
