package io.shardwork.cli.drain;

import io.shardwork.layout.ClusterPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * The operator's drain markers, {@code /drained/<workerId>} (PERSISTENT, empty). The leader's controller
 * watches them: a drained worker is given no region, and its regions move with reason "drain" through the
 * normal release (stop, final checkpoint, claim deleted) before the next owner claims. Each call is one
 * ZooKeeper write; any thread.
 */
final class DrainMarkers {
    private final CuratorFramework client;
    private final ClusterPaths paths;

    DrainMarkers(CuratorFramework client, ClusterPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /** Writes the marker; false when it was already there. */
    boolean drain(String workerId) throws Exception {
        try {
            client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(paths.drainedMarker(workerId));
            return true;
        } catch (KeeperException.NodeExistsException already) {
            return false;
        }
    }

    /** Deletes the marker; false when there was none. */
    boolean undrain(String workerId) throws Exception {
        try {
            client.delete().forPath(paths.drainedMarker(workerId));
            return true;
        } catch (KeeperException.NoNodeException none) {
            return false;
        }
    }

    String path(String workerId) {
        return paths.drainedMarker(workerId);
    }
}
