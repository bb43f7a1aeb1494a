package io.shardwork.runner;

import io.shardwork.runner.ordering.CompletionTracker;
import io.shardwork.runner.ordering.KeyedDispatcher;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The fetch loop of a region with {@code runner.ordering=key}: records of the same key are handled one at a
 * time in offset order, records of different keys concurrently on the worker's pool, at most
 * {@code runner.concurrency} at once, at most {@code runner.max.in.flight} buffered (fetching stops at the
 * cap; the records of a poll beyond it are fetched again later).
 *
 * <p>Threading: the dispatcher, the tracker and the consumer belong to the runner thread, which runs
 * {@link #run()}. A pool thread runs one record's handler calls (retries, backoff and dead-lettering
 * included, so a retrying record holds back only its own key) and hands the record back through a queue
 * that the runner thread drains between polls.
 *
 * <p>Checkpoints: at-least-once writes the lowest offset not yet completed, after the producer is flushed;
 * completed orders after it are delivered again after a takeover. Exactly-once stops fetching when a
 * checkpoint is due and lets every buffered record finish first, so that a transaction commits only the
 * effects of orders below the offset it commits.
 *
 * <p>Ending: on fencing or abandonment nothing more starts, the calls in flight are waited for (their sends
 * are refused by the runner's output, exactly as on the single-thread path) and the cause is rethrown. On a
 * graceful stop at-least-once waits for the calls in flight and leaves the waiting records to the next owner;
 * exactly-once also finishes the waiting records, and when one could not be finished (a stop cut its
 * retries short) it ends without a final commit, the open transaction aborted by the close.
 */
final class KeyOrderedLoop {
    private static final Object NO_KEY = new Object();

    /** What the loop asks of its {@link RegionRunner}; every method on the runner thread except {@link #handle}. */
    interface Host {
        /** Whether the runner still runs (neither stopping nor abandoned). */
        boolean running();

        boolean stopping();

        boolean paused();

        /** Blocks while the runner is paused. */
        void awaitResumed() throws Exception;

        boolean transactional();

        /** The next records: those the runner polled before the loop began (past the start), else one poll's. */
        List<ConsumerRecord<byte[], byte[]>> nextRecords(Duration timeout);

        /** Whether the checkpoint interval has passed (and the runner is not paused). */
        boolean checkpointDue();

        /** Every order before {@code nextOffset} is done, {@code handled} more since the last call; checkpoints when due if asked. */
        void progress(long nextOffset, int handled, boolean checkpoint) throws Exception;

        /** Decodes a record; null when it was rejected and dead-lettered already. */
        Object decode(ConsumerRecord<byte[], byte[]> record) throws Exception;

        /** Pool thread: the handler with retries, dead-lettering when they run out; false when a stop cut the retries short. */
        boolean handle(Object item, ConsumerRecord<byte[], byte[]> record) throws Exception;

        void updateLag();

        /** What to throw when the runner thread was interrupted. */
        Exception interrupted();

        /** What to throw to end a graceful stop without the final commit. */
        Exception withoutFinalCommit();

        /** The region ends because of {@code cause}: refuse the sends of the calls still in flight. Any thread. */
        void refuseSends(Throwable cause);
    }

    private final Host host;
    private final Consumer<byte[], byte[]> consumer;
    private final TopicPartition input;
    private final Executor pool;
    private final Duration pollTimeout;
    private final KeyedDispatcher<Object, Task> dispatcher;
    private final CompletionTracker tracker;
    private final LinkedBlockingQueue<Task> completions = new LinkedBlockingQueue<>();
    /** Records the dispatcher let start once the runner had stopped running: started only to finish a stop. */
    private final ArrayDeque<Task> held = new ArrayDeque<>();
    /** Tasks handed to the pool and not yet back. */
    private int running;
    private int handled;
    /** The first fencing, abandonment or failure a pool thread reported. */
    private Throwable ending;
    /** A record a stop left unfinished. */
    private boolean unfinished;

    KeyOrderedLoop(Host host, Consumer<byte[], byte[]> consumer, TopicPartition input, long startOffset, Executor pool,
                   int concurrency, int maxBuffered, Duration pollTimeout) {
        this.host = host;
        this.consumer = consumer;
        this.input = input;
        this.pool = pool;
        this.pollTimeout = pollTimeout;
        this.dispatcher = new KeyedDispatcher<>(concurrency, Math.max(concurrency, maxBuffered));
        this.tracker = new CompletionTracker(startOffset);
    }

    /** Runs until the runner stops, is abandoned or fenced; see the class comment for how each ends. */
    void run() throws Exception {
        try {
            fetchAndDispatch();
        } catch (Exception | Error e) {
            if (ending == null) {
                ending = e;
            }
        }
        if (ending != null) {
            host.refuseSends(ending);
        }
        if (ending != null || !host.stopping()) {
            awaitRunning(false);
            rethrowEnding();
            return;
        }
        if (host.transactional()) {
            for (Task task = held.poll(); task != null; task = held.poll()) {
                start(task);
            }
        }
        awaitRunning(host.transactional());
        rethrowEnding();
        if (host.transactional() && (unfinished || tracker.outstanding() > 0)) {
            throw host.withoutFinalCommit();
        }
        host.progress(tracker.safeOffset(), takeHandled(), false);
    }

    private void fetchAndDispatch() throws Exception {
        while (host.running() && ending == null) {
            if (host.paused() && running > 0) {
                awaitCompletion();
                continue;
            }
            host.awaitResumed();
            if (!host.running()) {
                return;
            }
            boolean draining = host.transactional() && dispatcher.buffered() > 0 && host.checkpointDue();
            boolean fetched = !draining && !dispatcher.full() && fetch();
            if (!fetched && running > 0) {
                awaitCompletion();
            } else {
                drainCompletions();
            }
            if (ending != null) {
                return;
            }
            if (!host.transactional() || dispatcher.buffered() == 0) {
                host.progress(tracker.safeOffset(), takeHandled(), true);
            }
            try {
                host.updateLag();
            } catch (WakeupException e) {
                // a stop or an abandon woke the consumer: the loop's condition decides
            }
        }
    }

    /** Takes the host's next records and buffers what fits under the cap; whether anything came. */
    private boolean fetch() throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records;
        try {
            records = host.nextRecords(running == 0 ? pollTimeout : Duration.ZERO);
        } catch (WakeupException e) {
            return false;
        }
        if (records.isEmpty()) {
            return false;
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (dispatcher.full() || !host.running()) {
                consumer.seek(input, record.offset());
                break;
            }
            long ticket = tracker.add(record.offset());
            Object item = host.decode(record);
            if (item == null) {
                tracker.complete(ticket);
                handled++;
                continue;
            }
            Task task = new Task(record.key() == null ? NO_KEY : ByteBuffer.wrap(record.key()), record, item, ticket);
            Task now = dispatcher.submit(task.key, task);
            if (now != null) {
                start(now);
            }
        }
        return true;
    }

    private void start(Task task) {
        running++;
        pool.execute(task);
    }

    private void awaitCompletion() throws Exception {
        Task task;
        try {
            task = completions.poll(pollTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw host.interrupted();
        }
        if (task != null) {
            completed(task, host.running());
            drainCompletions();
        }
    }

    private void drainCompletions() {
        for (Task task = completions.poll(); task != null; task = completions.poll()) {
            completed(task, host.running());
        }
    }

    /** Waits for every task on the pool; starts the waiting records too when {@code finishWaiting}. */
    private void awaitRunning(boolean finishWaiting) throws Exception {
        while (running > 0) {
            Task task;
            try {
                task = completions.poll(pollTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw host.interrupted();
            }
            if (task != null) {
                completed(task, finishWaiting && ending == null && host.stopping());
            }
        }
    }

    private void completed(Task task, boolean startNext) {
        running--;
        if (task.failure != null) {
            if (ending == null) {
                ending = task.failure;
            }
        } else if (task.done) {
            tracker.complete(task.ticket);
            handled++;
        } else {
            unfinished = true;
        }
        Task next = dispatcher.complete(task.key);
        if (next != null) {
            if (startNext && ending == null) {
                start(next);
            } else {
                held.add(next);
            }
        }
    }

    private int takeHandled() {
        int count = handled;
        handled = 0;
        return count;
    }

    private void rethrowEnding() throws Exception {
        if (ending instanceof Exception e) {
            throw e;
        }
        if (ending instanceof Error e) {
            throw e;
        }
    }

    /** One record on its way through the pool; its fields are published by the completion queue. */
    private final class Task implements Runnable {
        final Object key;
        final ConsumerRecord<byte[], byte[]> record;
        final Object item;
        final long ticket;
        boolean done;
        Throwable failure;

        Task(Object key, ConsumerRecord<byte[], byte[]> record, Object item, long ticket) {
            this.key = key;
            this.record = record;
            this.item = item;
            this.ticket = ticket;
        }

        @Override
        public void run() {
            try {
                done = host.handle(item, record);
            } catch (Throwable e) {
                failure = e;
            }
            completions.add(this);
        }
    }
}
