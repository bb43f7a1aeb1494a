package io.shardwork.leader;

import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.layout.LeaderRecord;
import java.time.Instant;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Bumps {@code /leader-epoch}: the znode version after the bump is the new leader's epoch. Every later
 * assignment write checks that version, so any earlier leader is fenced from the moment of the bump.
 */
public final class LeaderEpochs {
    private final CuratorFramework client;
    private final ClusterPaths paths;

    public LeaderEpochs(CuratorFramework client, ClusterPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /**
     * Takes a new leader epoch: one unconditional {@code setData} of {@code /leader-epoch} (created first if
     * missing). ZooKeeper applies writes to a node one at a time, so two candidates bumping together each get a
     * version of their own, and the later one fences the earlier: no read first, one round trip on the path of
     * every failover. Blocks on ZooKeeper (Curator retries connection loss); call only from the thread that
     * holds leadership.
     *
     * @return the new epoch, the znode version after the write (at least 1)
     */
    public long bump(String leaderId, Instant now) throws Exception {
        byte[] data = LayoutJson.encode(new LeaderRecord(leaderId, now));
        while (true) {
            try {
                return client.setData().forPath(paths.leaderEpoch(), data).getVersion();
            } catch (KeeperException.NoNodeException first) { // the cluster's first leader
                try {
                    client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(paths.leaderEpoch(), data);
                } catch (KeeperException.NodeExistsException raced) {
                    // another first leader; bump past it
                }
                // version 0 is no epoch (current() answers 0 before any leader): bump once more
            }
        }
    }

    /** Reads the current leader epoch, or 0 when no leader was ever elected. Blocks on ZooKeeper. */
    public long current() throws Exception {
        Stat stat = client.checkExists().forPath(paths.leaderEpoch());
        return stat == null ? 0 : stat.getVersion();
    }
}
