package io.shardwork.coordination.checkpoint;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Group commit of a worker's checkpoints: the caller that finds no write in flight writes everything
 * queued, as one batch; callers arriving meanwhile queue and wait, and the next of them writes them all.
 * A worker's regions fall due together (the runners share the clock's origin), so a worker's periodic
 * checkpoints become one or two ZooKeeper multis per interval instead of one per region, and nobody waits
 * for a timer: a lone checkpoint (a release's final one) is written at once.
 *
 * <p>A batch holds at most one request per region: a second request of a region (a runner this worker
 * abandoned, still writing under the same epoch) waits for the next batch, so the store's per-region rules
 * (never backwards within an epoch) see the two in order. Each caller gets its own outcome: a refusal of one
 * region is thrown to that region's caller only. Thread-safe.
 */
final class CheckpointBatcher {
    /** One checkpoint asked for, completed by the {@link BatchWrite} with its outcome. */
    static final class Request {
        final String region;
        final long epoch;
        final long nextOffset;
        private volatile Exception failure;
        /** Written after {@link #failure}: a caller that sees it set sees the outcome. */
        private volatile boolean done;

        Request(String region, long epoch, long nextOffset) {
            this.region = region;
            this.epoch = epoch;
            this.nextOffset = nextOffset;
        }

        void succeeded() {
            done = true;
        }

        void failed(Exception cause) {
            failure = cause;
            done = true;
        }

        boolean isDone() {
            return done;
        }

        /** What the write was refused with; null while not done or when written. */
        Exception failure() {
            return failure;
        }
    }

    /** Writes a batch (regions distinct) and completes every request of it; called by one thread at a time. */
    @FunctionalInterface
    interface BatchWrite {
        void write(List<Request> batch);
    }

    private final BatchWrite writer;
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private boolean writing;

    CheckpointBatcher(BatchWrite writer) {
        this.writer = writer;
    }

    /** Queues the checkpoint and returns once it is written; throws what its write was refused with. */
    void commit(String region, long epoch, long nextOffset) throws Exception {
        Request request = new Request(region, epoch, nextOffset);
        commitAll(List.of(request));
        if (request.failure != null) {
            throw request.failure;
        }
    }

    /**
     * Queues the requests and returns once each has its outcome (read it from the request). The caller writes
     * batches itself while no other caller does, and waits otherwise.
     */
    void commitAll(List<Request> requests) throws InterruptedException {
        synchronized (queue) {
            queue.addAll(requests);
        }
        while (true) {
            List<Request> batch;
            synchronized (queue) {
                while (!allDone(requests) && writing) {
                    queue.wait();
                }
                if (allDone(requests)) {
                    return;
                }
                writing = true;
                batch = take();
            }
            try {
                writer.write(batch);
            } catch (RuntimeException | Error e) {
                batch.forEach(r -> {
                    if (!r.done) {
                        r.failed(e instanceof RuntimeException re ? re : new IllegalStateException(e));
                    }
                });
                throw e;
            } finally {
                synchronized (queue) {
                    for (Request r : batch) {
                        if (!r.done) {
                            r.failed(new IllegalStateException("the checkpoint of " + r.region + " at offset " + r.nextOffset
                                    + " was left without an outcome by its batch"));
                        }
                    }
                    writing = false;
                    queue.notifyAll();
                }
            }
        }
    }

    private static boolean allDone(List<Request> requests) {
        for (Request r : requests) {
            if (!r.done) {
                return false;
            }
        }
        return true;
    }

    /** Requests waiting for a batch (tests watch it to know who is queued behind a write in flight). */
    int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /** The queued requests, the first of each region; the others stay queued, in order. Under the queue's lock. */
    private List<Request> take() {
        List<Request> batch = new ArrayList<>();
        Set<String> regions = new HashSet<>();
        for (Iterator<Request> it = queue.iterator(); it.hasNext(); ) {
            Request r = it.next();
            if (regions.add(r.region)) {
                batch.add(r);
                it.remove();
            }
        }
        return batch;
    }
}
