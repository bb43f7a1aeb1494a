package io.shardwork.cli;

import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.coordination.status.ClusterStatusReader;
import io.shardwork.layout.ClusterPaths;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;

/**
 * Waits until a cluster's coordination state satisfies a condition: reads the status, and reads it again
 * on every change of a znode under the cluster's root (a CuratorCache), so a test waits for events, never a
 * guessed time. For process-level tests that watch worker JVMs from the test JVM.
 */
public final class ClusterStatusWaiter implements AutoCloseable {
    private final ClusterStatusReader reader;
    private final CuratorCache cache;
    private final Semaphore changes = new Semaphore(0);

    public ClusterStatusWaiter(CuratorFramework client, ClusterPaths paths) {
        this.reader = new ClusterStatusReader(client, paths);
        this.cache = CuratorCache.build(client, paths.root());
        cache.listenable().addListener((type, before, after) -> changes.release());
        cache.start();
    }

    /** One read of the status now. */
    public ClusterStatus read() throws Exception {
        return reader.read();
    }

    /** The first status that satisfies {@code condition}; fails with the last status read after {@code deadline}. */
    public ClusterStatus await(Duration deadline, Predicate<ClusterStatus> condition) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            changes.drainPermits(); // a change during the read below leaves a permit: read again
            ClusterStatus last = reader.read();
            if (condition.test(last)) {
                return last;
            }
            long left = end - System.nanoTime();
            if (left <= 0 || !changes.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                throw new AssertionError("condition not reached within " + deadline + "; last status: " + last);
            }
        }
    }

    @Override
    public void close() {
        cache.close();
    }
}
