package io.shardwork.leader;

import io.shardwork.layout.AssignmentDocument;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.layout.TracedMulti;
import java.time.Instant;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;

/**
 * Writes the assignment document, fenced by the leader epoch: every write is ONE multi
 * {@code check(/leader-epoch, epoch) + setData(/assignment, doc, versionRead)}.
 */
public final class AssignmentWriter {
    private final CuratorFramework client;
    private final ClusterPaths paths;

    public AssignmentWriter(CuratorFramework client, ClusterPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /** Creates {@code /assignment} with the initial empty document (generation 0) if it is missing. Blocks on ZooKeeper. */
    public void ensureInitialized(Instant now) throws Exception {
        try {
            client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
                    .forPath(paths.assignment(), LayoutJson.encode(AssignmentDocument.initial(now)));
        } catch (KeeperException.NodeExistsException ignored) {
            // already there
        }
    }

    /**
     * Writes {@code document} if {@code leaderEpoch} is still the current leader epoch and {@code /assignment}
     * is still at {@code expectedVersion}. One ZooKeeper multi, not retried: blocks for one round trip.
     *
     * @return true when written (the new znode version is {@code expectedVersion + 1}); false when the
     *         assignment moved since it was read (read again and recompute)
     * @throws LeaderDeposedException when the leader epoch moved: the caller is no longer leader
     * @throws KeeperException        on connection loss or another ZooKeeper error; the write may or may
     *                                not have happened, the caller reads again
     */
    public boolean write(AssignmentDocument document, long leaderEpoch, int expectedVersion) throws Exception {
        List<Op> ops = List.of(
                Op.check(paths.leaderEpoch(), Math.toIntExact(leaderEpoch)),
                Op.setData(paths.assignment(), LayoutJson.encode(document), expectedVersion));
        try {
            TracedMulti.write(client, ops);
            return true;
        } catch (KeeperException failed) {
            List<OpResult> results = failed.getResults();
            if (results == null || results.size() != 2) {
                throw failed;
            }
            if (TracedMulti.errorOf(results.get(0)) != KeeperException.Code.OK.intValue()) {
                throw new LeaderDeposedException(leaderEpoch);
            }
            if (TracedMulti.errorOf(results.get(1)) == KeeperException.Code.BADVERSION.intValue()) {
                return false;
            }
            throw failed;
        }
    }
}
