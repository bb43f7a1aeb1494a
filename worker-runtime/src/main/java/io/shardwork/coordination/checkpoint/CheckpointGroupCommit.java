package io.shardwork.coordination.checkpoint;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Writes the checkpoints of one worker's regions that fall due together as ONE write of the store
 * ({@link CheckpointStore#commitAll}: one ZooKeeper multi for {@link ZooKeeperCheckpointStore}) instead of one per
 * region. The runners of a worker make their checkpoints fall due at the same multiples of
 * {@code checkpoint.interval.ms}, each on its own thread; so the ZooKeeper writes of a worker grow with time, not with
 * its regions.
 *
 * <p>How a round goes:
 * <ol>
 *   <li>The first region to {@link #commit} opens a batch and leads it; the regions that commit while it is open join
 *       it.</li>
 *   <li>The leader waits until every region that still owes a checkpoint ({@code owing}: due, with a position that
 *       moved, not paused) has joined, at most {@code maxWait} ({@link #MAX_WAIT}) from the batch's opening: a region
 *       that is late (a long handler call, a slow flush of its effects) is not waited for longer, it opens the next
 *       batch.</li>
 *   <li>The leader closes the batch and writes it; each region gets its own outcome: a fenced region's
 *       {@link FencedException} goes to that region alone, the others are written (the store sends the multi again
 *       without it). Fencing is the store's: a zombie's checkpoint is refused like a single write.</li>
 * </ol>
 *
 * <p>Threading: {@link #commit} is called on the runner threads and blocks until its batch was written; it holds up
 * its runner by the wait of step 2 at most, plus the write. Two runs of one region (one abandoned here and not yet
 * refused) never share a batch: the second is written alone.
 */
public final class CheckpointGroupCommit {
    /**
     * The longest a checkpoint waits for the other regions of its round (step 2). The regions of a busy worker
     * arrive within a few milliseconds of each other (each first makes its effects durable); a region that comes
     * later costs one more multi, not a stall of the others.
     */
    public static final Duration MAX_WAIT = Duration.ofMillis(20);

    private final CheckpointStore store;
    private final Supplier<? extends Collection<String>> owing;
    private final long maxWaitNanos;
    private final Object lock = new Object();
    private final AtomicLong batches = new AtomicLong();
    /** The batch regions join now; null when none is open. Guarded by {@link #lock}. */
    private Batch open;

    private static final class Batch {
        final long deadlineNanos;
        final Map<String, DueCheckpoint> due = new LinkedHashMap<>();
        /** Set once written, with the regions that were not; guarded by the lock. */
        Map<String, Exception> failures;

        Batch(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    /**
     * @param owing the regions whose checkpoint is due now and not written yet (any thread, must not block): the
     *              leader waits for these
     */
    public CheckpointGroupCommit(CheckpointStore store, Supplier<? extends Collection<String>> owing) {
        this(store, owing, MAX_WAIT);
    }

    /** @param maxWait the wait of step 2 (tests) */
    public CheckpointGroupCommit(CheckpointStore store, Supplier<? extends Collection<String>> owing, Duration maxWait) {
        this.store = store;
        this.owing = owing;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /**
     * Records that every order of {@code region} before {@code nextOffset} is done, under the claim of {@code epoch},
     * together with the other regions due now. Blocks until the batch it joined was written (see the class comment).
     *
     * @throws FencedException when the claim of {@code epoch} is gone or superseded: stop the region at once
     * @throws Exception       when the write failed otherwise (e.g. a connection loss); nothing is known written
     */
    public void commit(String region, long epoch, long nextOffset) throws FencedException, Exception {
        DueCheckpoint checkpoint = new DueCheckpoint(region, epoch, nextOffset);
        Batch batch;
        boolean leads = false;
        synchronized (lock) {
            if (open != null && open.due.containsKey(region)) {
                batch = null;
            } else {
                if (open == null) {
                    open = new Batch(System.nanoTime() + maxWaitNanos);
                    leads = true;
                }
                batch = open;
                batch.due.put(region, checkpoint);
                lock.notifyAll();
            }
        }
        if (batch == null) {
            store.commit(region, epoch, nextOffset);
            return;
        }
        if (leads) {
            lead(batch);
        }
        Exception failed = awaitWritten(batch).get(region);
        if (failed != null) {
            throw failed;
        }
    }

    /** Batches written so far (one store write each). */
    public long batches() {
        return batches.get();
    }

    /** Steps 2 and 3, on the leader's thread. */
    private void lead(Batch batch) {
        List<DueCheckpoint> due;
        synchronized (lock) {
            boolean interrupted = false;
            while (!complete(batch)) {
                long left = batch.deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            if (open == batch) {
                open = null;
            }
            due = List.copyOf(batch.due.values());
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, Exception> failures = null;
        try {
            failures = store.commitAll(due);
        } catch (RuntimeException e) {
            failures = new LinkedHashMap<>();
            for (DueCheckpoint checkpoint : due) {
                failures.put(checkpoint.region(), e);
            }
        } finally {
            if (failures == null) {
                failures = new LinkedHashMap<>();
                for (DueCheckpoint checkpoint : due) {
                    failures.put(checkpoint.region(), new IllegalStateException("The checkpoint batch of " + checkpoint.region()
                            + " was not written: its leader failed."));
                }
            }
            batches.incrementAndGet();
            synchronized (lock) {
                batch.failures = failures;
                lock.notifyAll();
            }
        }
    }

    /** Whether every region that owes a checkpoint now is in {@code batch}. Under the lock. */
    private boolean complete(Batch batch) {
        try {
            for (String region : owing.get()) {
                if (!batch.due.containsKey(region)) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return true;
        }
    }

    private Map<String, Exception> awaitWritten(Batch batch) throws InterruptedException {
        synchronized (lock) {
            while (batch.failures == null) {
                lock.wait();
            }
            return batch.failures;
        }
    }
}
