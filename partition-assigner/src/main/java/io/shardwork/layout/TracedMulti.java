package io.shardwork.layout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.curator.drivers.OperationTrace;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;

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
     * {@link #read} sent without waiting for the answer, so that the caller's next request travels with it. The
     * future completes on ZooKeeper's event thread with the per-read results, or exceptionally with the
     * {@link KeeperException} of a request that failed as a whole (a lost connection).
     */
    public static CompletableFuture<List<OpResult>> readInBackground(CuratorFramework client, List<Op> reads) {
        CompletableFuture<List<OpResult>> answer = new CompletableFuture<>();
        if (reads.isEmpty()) {
            answer.complete(List.of());
            return answer;
        }
        OperationTrace trace = client.getZookeeperClient().startAdvancedTracer("MultiRead-Background").setPath(reads.get(0).getPath());
        try {
            client.getZookeeperClient().getZooKeeper().multi(reads, (rc, path, ctx, results) -> {
                trace.commit();
                Answer read = new Answer(rc, results);
                if (rc != KeeperException.Code.OK.intValue() && read.results().isEmpty()) {
                    answer.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc)));
                } else {
                    answer.complete(read.results());
                }
            }, null);
        } catch (Exception e) {
            trace.commit();
            answer.completeExceptionally(e);
        }
        return answer;
    }

    /**
     * One all-or-nothing write. A refusal throws the {@link KeeperException} whose
     * {@link KeeperException#getResults()} says which op failed ({@link #errorOf}).
     */
    public static List<OpResult> write(CuratorFramework client, List<Op> ops) throws Exception {
        return traced(client, "CuratorMultiTransactionImpl-Foreground", ops);
    }

    /**
     * How a {@link #writeThenRead} ended: the write's results ({@code refused}, with the per-op results that say
     * which op failed, when ZooKeeper refused it; nothing was written then) and the reads' results.
     */
    public record Pipelined(boolean refused, List<OpResult> written, List<OpResult> read) {
    }

    /**
     * One all-or-nothing write and a multi-read sent together, in ONE round trip instead of two: ZooKeeper
     * answers a session's requests in the order they were sent, so the reads see the tree as the write left it.
     * A refused write is an answer ({@link Pipelined#refused}); a connection loss or an expired session throws
     * the {@link KeeperException}, as {@link #write} does, and then the write may or may not have been applied.
     */
    public static Pipelined writeThenRead(CuratorFramework client, List<Op> writes, List<Op> reads) throws Exception {
        ZooKeeper zooKeeper = client.getZookeeperClient().getZooKeeper();
        OperationTrace writeTrace = client.getZookeeperClient().startAdvancedTracer("CuratorMultiTransactionImpl-Background")
                .setPath(writes.get(0).getPath());
        OperationTrace readTrace = client.getZookeeperClient().startAdvancedTracer("MultiRead-Background")
                .setPath(reads.get(0).getPath());
        CompletableFuture<Answer> written = new CompletableFuture<>();
        CompletableFuture<Answer> read = new CompletableFuture<>();
        zooKeeper.multi(writes, (rc, path, ctx, results) -> written.complete(new Answer(rc, results)), null);
        zooKeeper.multi(reads, (rc, path, ctx, results) -> read.complete(new Answer(rc, results)), null);
        Answer write = await(written, writeTrace);
        Answer readBack = await(read, readTrace);
        boolean refused = write.rc() != KeeperException.Code.OK.intValue();
        if (refused && !write.perOp()) {
            throw KeeperException.create(KeeperException.Code.get(write.rc()));
        }
        if (readBack.rc() != KeeperException.Code.OK.intValue() && readBack.results().isEmpty()) {
            throw KeeperException.create(KeeperException.Code.get(readBack.rc()));
        }
        return new Pipelined(refused, write.results(), readBack.results());
    }

    /**
     * One multi's answer: ZooKeeper's code (the client gives the first failed op's, also for a multi-read whose
     * reads fail one by one) and the per-op results, which a request that failed as a whole has none of.
     */
    private record Answer(int rc, List<OpResult> results) {
        Answer {
            results = results == null ? List.of() : List.copyOf(results);
        }

        /** A refusal that names the op that failed (not a lost connection, which has no per-op results). */
        boolean perOp() {
            return results.stream().anyMatch(result -> errorOf(result) != KeeperException.Code.OK.intValue());
        }
    }

    private static Answer await(CompletableFuture<Answer> answer, OperationTrace trace) throws InterruptedException {
        try {
            return answer.get();
        } catch (ExecutionException impossible) { // completed only with a value
            throw new IllegalStateException(impossible.getCause());
        } finally {
            trace.commit();
        }
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
