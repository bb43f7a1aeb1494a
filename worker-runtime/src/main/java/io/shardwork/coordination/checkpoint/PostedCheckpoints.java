package io.shardwork.coordination.checkpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints posted without waiting (a runner's periodic ones): each waits at most the {@code within} it was
 * posted with, then everything waiting is written as one batch ({@link CheckpointBatcher}) on this store's
 * flusher thread, and each poster hears its own outcome there. A worker's regions fall due together and post a
 * few to a few tens of milliseconds apart (their acknowledgements come at different moments), so a short wait
 * (runners post with a fifth of their interval) turns a worker's periodic checkpoints into one ZooKeeper multi per
 * interval, and no runner waits for ZooKeeper.
 *
 * <p>The batch does not wait out the window once every region expected in it has posted: those of the last two
 * batches written (two, so that a tick written as two batches, a straggler after the others, is expected whole
 * the next time). A region that stops posting (its position did not move, or it moved away) is expected for two
 * more batches, each then waiting out its window as before. The number of writes is unchanged; the last region's
 * post is written at once rather than a window later, so a worker whose regions all move is durable that much
 * sooner (the throughput bench's worker reached its last checkpoint 0.4-0.5 s after its last order, the runners
 * alone, with no window, about 0.45 s sooner).
 *
 * <p>A newer post of the same region and epoch replaces one still waiting, and a synchronous commit of it
 * ({@link #supersede}) removes it: their outcomes are never called. The fence is unchanged: every write
 * carries its own epoch and owner checks, whenever it is made. Thread-safe.
 */
final class PostedCheckpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostedCheckpoints.class);

    private record Key(String region, long epoch) {
    }

    private record Posted(CheckpointBatcher.Request request, long dueNanos, CheckpointStore.Outcome outcome) {
    }

    private final CheckpointBatcher batcher;
    private final String workerId;
    /** Posts not yet taken by the flusher, in posting order. Guarded by {@code this}. */
    private final Map<Key, Posted> waiting = new LinkedHashMap<>();
    /** The regions of the last batch written and of the one before it. Guarded by {@code this}. */
    private Set<Key> lastBatch = Set.of();
    private Set<Key> batchBefore = Set.of();
    private Thread flusher;
    private boolean closed;

    PostedCheckpoints(CheckpointBatcher batcher, String workerId) {
        this.batcher = batcher;
        this.workerId = workerId;
    }

    void post(String region, long epoch, long nextOffset, Duration within, CheckpointStore.Outcome outcome) {
        synchronized (this) {
            if (!closed) {
                Key key = new Key(region, epoch);
                long due = System.nanoTime() + within.toNanos();
                Posted previous = waiting.remove(key);
                waiting.put(key, new Posted(new CheckpointBatcher.Request(region, epoch, nextOffset),
                        previous == null ? due : Math.min(due, previous.dueNanos()), outcome));
                if (flusher == null) {
                    flusher = new Thread(this::flushUntilClosed, "shardwork-checkpoints-" + workerId);
                    flusher.setDaemon(true);
                    flusher.start();
                }
                notifyAll();
                return;
            }
        }
        outcome.completed(new IllegalStateException("the checkpoint store of " + workerId + " is closed; region " + region
                + " offset " + nextOffset + " not written"));
    }

    /** A synchronous commit of {@code region} under {@code epoch} is being made: a post of it still waiting is dropped. */
    synchronized void supersede(String region, long epoch) {
        waiting.remove(new Key(region, epoch));
    }

    /** Posts still waiting fail (nothing more is written); a batch being written finishes. */
    @Override
    public void close() {
        List<Posted> dropped;
        Thread running;
        synchronized (this) {
            closed = true;
            dropped = new ArrayList<>(waiting.values());
            waiting.clear();
            running = flusher;
            notifyAll();
        }
        dropped.forEach(p -> tell(p, new IllegalStateException("the checkpoint store of " + workerId
                + " closed before the checkpoint of " + p.request().region + " at offset " + p.request().nextOffset + " was written")));
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void flushUntilClosed() {
        while (true) {
            List<Posted> due;
            synchronized (this) {
                try {
                    while (!closed && (waiting.isEmpty() || (earliestDue() - System.nanoTime() > 0 && !allExpectedWaiting()))) {
                        long waitNanos = waiting.isEmpty() ? TimeUnit.SECONDS.toNanos(1) : earliestDue() - System.nanoTime();
                        TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, waitNanos));
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) {
                    return;
                }
                due = new ArrayList<>(waiting.values());
                batchBefore = lastBatch;
                lastBatch = Set.copyOf(waiting.keySet());
                waiting.clear();
            }
            try {
                batcher.commitAll(due.stream().map(Posted::request).toList());
            } catch (InterruptedException e) {
                due.forEach(p -> tell(p, e));
                return;
            } catch (RuntimeException e) {
                LOG.warn("Worker {}: a batch of {} checkpoints failed: {}", workerId, due.size(), e.toString());
            }
            due.forEach(p -> tell(p, p.request().failure()));
        }
    }

    /** Whether every region of the last two batches has posted again (false before any batch was written). */
    private boolean allExpectedWaiting() {
        if (lastBatch.isEmpty() && batchBefore.isEmpty()) {
            return false;
        }
        return waiting.keySet().containsAll(lastBatch) && waiting.keySet().containsAll(batchBefore);
    }

    private long earliestDue() {
        long earliest = Long.MAX_VALUE;
        for (Posted p : waiting.values()) {
            earliest = Math.min(earliest, p.dueNanos());
        }
        return earliest;
    }

    private static void tell(Posted posted, Exception failure) {
        try {
            posted.outcome().completed(failure);
        } catch (RuntimeException e) {
            LOG.warn("The outcome listener of the checkpoint of {} failed: {}", posted.request().region, e.toString());
        }
    }
}
