package io.shardwork.layout;

import java.util.List;
import org.apache.curator.drivers.OperationTrace;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;

/**
 * ZooKeeper multis run on the raw handle of a CuratorFramework (Curator's transaction API hides the per-op
 * results that fencing needs), traced like Curator's own operations so that the operation counters
 * ({@code ZooKeeperOperationCounter}) see them, refused or not.
 */
public final class TracedMulti {
    private TracedMulti() {
    }

    /**
     * Several reads in ONE round trip (ZooKeeper 3.6+), answered from one consistent state of the tree. Each
     * result is a {@link OpResult.GetDataResult} (or GetChildrenResult) or an {@link OpResult.ErrorResult} of
     * its own: a missing node fails only its read.
     */
    public static List<OpResult> read(CuratorFramework client, List<Op> reads) throws Exception {
        if (reads.isEmpty()) {
            return List.of();
        }
        return traced(client, "MultiRead-Foreground", reads);
    }

    /**
     * One all-or-nothing write. A refusal throws the {@link KeeperException} whose
     * {@link KeeperException#getResults()} says which op failed ({@link #errorOf}).
     */
    public static List<OpResult> write(CuratorFramework client, List<Op> ops) throws Exception {
        return traced(client, "CuratorMultiTransactionImpl-Foreground", ops);
    }

    /** The ZooKeeper error code of one result, 0 ({@code OK}) when it succeeded. */
    public static int errorOf(OpResult result) {
        return result instanceof OpResult.ErrorResult error ? error.getErr() : KeeperException.Code.OK.intValue();
    }

    private static List<OpResult> traced(CuratorFramework client, String name, List<Op> ops) throws Exception {
        OperationTrace trace = client.getZookeeperClient().startAdvancedTracer(name).setPath(ops.get(0).getPath());
        try {
            return client.getZookeeperClient().getZooKeeper().multi(ops);
        } finally {
            trace.commit();
        }
    }
}
