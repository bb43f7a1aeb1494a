package io.shardwork.coordination.claim;

import io.shardwork.layout.Claim;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.leader.TimeSource;
import java.util.List;
import org.apache.curator.drivers.OperationTrace;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * Claims and releases of regions by one worker. A claim is ONE multi:
 * <pre>
 * check(/assignment, generation)        the assignment that names us is still current
 * create(/owners/r, EPHEMERAL, claim)   at most one live claim
 * setData(/regions/r/epoch, versionRead) the new znode version is our epoch
 * </pre>
 * The create op comes from the client's {@code transactionOp()}, so the claim gets the ACL of the client's
 * ACLProvider like every other node (see {@code ZooKeeperClientFactory}).
 * All methods block on ZooKeeper; call them from the coordinator's event thread.
 */
public final class RegionClaims {
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
     * Tries to claim {@code region} for {@code generation}. Not retried: a connection loss throws, and the
     * caller tries again after reconnecting (a claim that did land is then recognised as ours).
     */
    public ClaimResult claim(String region, long generation) throws Exception {
        ensureRegionNodes(region);
        Stat owner = client.checkExists().forPath(paths.owner(region));
        if (owner != null) {
            if (owner.getEphemeralOwner() == sessionId()) {
                Claim mine = LayoutJson.decode(client.getData().forPath(paths.owner(region)), Claim.class);
                return new ClaimResult.Succeeded(mine.epoch());
            }
            return new ClaimResult.Blocked();
        }
        Stat epochStat = client.checkExists().forPath(paths.regionEpoch(region));
        long epoch = epochStat.getVersion() + 1L;
        byte[] claim = LayoutJson.encode(new Claim(workerId, epoch, time.now()));
        List<Op> ops = List.of(
                Op.check(paths.assignment(), Math.toIntExact(generation)),
                client.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(paths.owner(region), claim).get(),
                Op.setData(paths.regionEpoch(region), claim, epochStat.getVersion()));
        // Traced like a Curator transaction, so the tracer (metrics) counts this raw multi, refused or not.
        OperationTrace trace = client.getZookeeperClient().startAdvancedTracer("CuratorMultiTransactionImpl-Foreground");
        try {
            client.getZookeeperClient().getZooKeeper().multi(ops);
            return new ClaimResult.Succeeded(epoch);
        } catch (KeeperException failed) {
            List<OpResult> results = failed.getResults();
            if (results != null && results.size() == 3) {
                if (errorOf(results.get(0)) != 0) {
                    return new ClaimResult.Rejected();
                }
                if (errorOf(results.get(1)) != 0 || errorOf(results.get(2)) != 0) {
                    return new ClaimResult.Blocked();
                }
            }
            throw failed;
        } finally {
            trace.commit();
        }
    }

    /**
     * Arms {@code onDeleted} on {@code /owners/r}. Returns false when the node is already absent (the watch
     * then fires on its creation, which the caller may ignore).
     */
    public boolean watchClaim(String region, Watcher onDeleted) throws Exception {
        return client.checkExists().usingWatcher(onDeleted).forPath(paths.owner(region)) != null;
    }

    /** Whether {@code /owners/r} exists and belongs to the current session. */
    public boolean holds(String region) throws Exception {
        Stat owner = client.checkExists().forPath(paths.owner(region));
        return owner != null && owner.getEphemeralOwner() == sessionId();
    }

    /** Deletes {@code /owners/r} if the current session owns it; never deletes another worker's claim. */
    public void releaseIfOurs(String region) throws Exception {
        Stat owner = client.checkExists().forPath(paths.owner(region));
        if (owner != null && owner.getEphemeralOwner() == sessionId()) {
            try {
                client.delete().withVersion(owner.getVersion()).forPath(paths.owner(region));
            } catch (KeeperException.NoNodeException ignored) {
                // already gone
            }
        }
    }

    private void ensureRegionNodes(String region) throws Exception {
        for (String path : List.of(paths.regionEpoch(region), paths.regionCheckpoint(region))) {
            try {
                client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path, new byte[0]);
            } catch (KeeperException.NodeExistsException ignored) {
                // never deleted once created
            }
        }
    }

    private long sessionId() throws Exception {
        return client.getZookeeperClient().getZooKeeper().getSessionId();
    }

    private static int errorOf(OpResult result) {
        return result instanceof OpResult.ErrorResult error ? error.getErr() : 0;
    }
}
