package io.shardwork.coordination.checkpoint;

import io.shardwork.layout.ClusterPaths;
import org.apache.curator.framework.CuratorFramework;

/** The checkpoint tests' cluster: an assignment node and the owners folder, so that regions can be claimed. */
final class AssignmentGeneration {
    private AssignmentGeneration() {
    }

    /** Creates {@code /assignment} and {@code /owners}; returns the assignment's generation (its znode version). */
    static int create(CuratorFramework client, ClusterPaths paths) throws Exception {
        client.create().creatingParentsIfNeeded().forPath(paths.assignment(), new byte[0]);
        client.create().creatingParentsIfNeeded().forPath(paths.owners());
        return client.setData().forPath(paths.assignment(), new byte[0]).getVersion();
    }
}
