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
     * Takes a new leader epoch: reads {@code /leader-epoch} (creating it if missing) and sets it with the
     * version read, retrying when another writer moved it in between. Blocks on ZooKeeper (Curator retries
     * connection loss); call only from the thread that holds leadership.
     *
     * @return the new epoch, the znode version after the write
     */
    public long bump(String leaderId, Instant now) throws Exception {
        byte[] data = LayoutJson.encode(new LeaderRecord(leaderId, now));
        while (true) {
            Stat read = client.checkExists().forPath(paths.leaderEpoch());
            if (read == null) { // the cluster's first leader
                try {
                    client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(paths.leaderEpoch(), data);
                } catch (KeeperException.NodeExistsException raced) {
                    // another first leader; bump past it below
                }
                continue;
            }
            try {
                return client.setData().withVersion(read.getVersion()).forPath(paths.leaderEpoch(), data).getVersion();
            } catch (KeeperException.BadVersionException raced) {
                // another candidate bumped in between; take the next one so that it is fenced
            }
        }
    }

    /** Reads the current leader epoch, or 0 when no leader was ever elected. Blocks on ZooKeeper. */
    public long current() throws Exception {
        Stat stat = client.checkExists().forPath(paths.leaderEpoch());
        return stat == null ? 0 : stat.getVersion();
    }
}
