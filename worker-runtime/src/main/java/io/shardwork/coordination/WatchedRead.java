package io.shardwork.coordination;

import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * Reads a znode and leaves a watch on it whether or not it exists yet, with no window in between. A read that
 * finds no node arms an exists watch instead, which fires when the node is created; but when the node was created
 * between the two calls, the exists call finds it, its watch fires only at the next change, and what was written
 * in the window would go unseen until then. A new leader creates {@code /assignment} and writes its first
 * generation within a few milliseconds of its election, and in a cluster that changes no further that first
 * generation was never read: the throughput bench once left a one-worker cluster's four regions unclaimed for
 * minutes. So when the exists call finds the node, the data is read again. The worker follows {@code /assignment}
 * and {@code /definition} this way.
 */
public final class WatchedRead {
    /** At most this many reads when the node keeps appearing and vanishing; the armed watch reports the next change. */
    static final int MAX_ATTEMPTS = 5;

    /** The two calls on one znode, each leaving the same watcher on it. */
    public interface Node {
        /** The data, filling {@code stat}; throws {@link KeeperException.NoNodeException} when there is no node. */
        byte[] getData(Stat stat) throws Exception;

        /** Whether the node exists now. */
        boolean exists() throws Exception;
    }

    /** The node's data and version as read. */
    public record Found(byte[] data, int version) { }

    private WatchedRead() {
    }

    /** {@code path} on {@code client}, each call leaving {@code watcher}. */
    public static Node of(CuratorFramework client, String path, Watcher watcher) {
        return new Node() {
            @Override
            public byte[] getData(Stat stat) throws Exception {
                return client.getData().storingStatIn(stat).usingWatcher(watcher).forPath(path);
            }

            @Override
            public boolean exists() throws Exception {
                return client.checkExists().usingWatcher(watcher).forPath(path) != null;
            }
        };
    }

    /** The node's data, or empty when it does not exist (its creation will fire the watcher). */
    public static Optional<Found> read(Node node) throws Exception {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Stat stat = new Stat();
            try {
                byte[] data = node.getData(stat);
                return Optional.of(new Found(data, stat.getVersion()));
            } catch (KeeperException.NoNodeException missing) {
                if (!node.exists()) {
                    return Optional.empty();
                }
                // created since the read: read it, or its first data goes unseen
            }
        }
        return Optional.empty();
    }
}
