package io.shardwork.layout;

import java.util.List;
import org.apache.curator.drivers.OperationTrace;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;

/**
 * Several reads in ONE ZooKeeper round trip ({@code multi} of read ops, ZooKeeper 3.6+), answered from one
 * consistent state of the tree. Each result is a {@link OpResult.GetDataResult} (or GetChildrenResult) or
 * an {@link OpResult.ErrorResult} of its own: a missing node fails only its read. Traced like Curator's own
 * operations ({@code MultiRead}), so the operation counters see it.
 */
public final class MultiRead {
    private MultiRead() {
    }

    /** Runs {@code reads} (read ops only) on {@code client}'s current connection; blocks for one round trip. */
    public static List<OpResult> of(CuratorFramework client, List<Op> reads) throws Exception {
        if (reads.isEmpty()) {
            return List.of();
        }
        OperationTrace trace = client.getZookeeperClient().startAdvancedTracer("MultiRead-Foreground");
        try {
            return client.getZookeeperClient().getZooKeeper().multi(reads);
        } finally {
            trace.commit();
        }
    }

    /** The ZooKeeper error code of one result, 0 when it succeeded. */
    public static int errorOf(OpResult result) {
        return result instanceof OpResult.ErrorResult error ? error.getErr() : 0;
    }
}
