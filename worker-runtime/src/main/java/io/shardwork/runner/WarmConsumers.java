package io.shardwork.runner;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumers of the orders topic made ready before a region needs one, so that a region taken over fetches
 * on its first poll instead of first building a client, fetching metadata and connecting (about a tenth
 * of a second on a busy machine, per region, one after another on a 2-core host).
 *
 * <p>One background thread keeps up to {@code size} spares. It builds a consumer and reads the end
 * offsets of every partition of the topic through it: its metadata is fetched and its connections to the
 * partition leaders are open. Every {@code refresh} it does that again for each idle spare, so neither
 * goes stale (metadata age, idle connections closed by the broker). {@link #take()} hands a spare over at
 * once, or builds a cold consumer on the caller's thread when none is ready. After a take, the thread waits
 * {@code refillDelay} before building the next: a takeover starts several regions at once, and building
 * clients then would compete with them for the CPU.
 *
 * <p>Thread-safety: {@link #take()} and {@link #close()} from any thread. A spare is used only by the
 * background thread until it is handed over (under this object's lock), and only by its taker afterwards,
 * who also closes it.
 */
final class WarmConsumers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WarmConsumers.class);
    private static final Duration WARM_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

    private final Supplier<Consumer<byte[], byte[]>> builder;
    private final String topic;
    private final int size;
    private final Duration refillDelay;
    private final Duration refresh;
    private final String threadName;
    private final Deque<Spare> spares = new ArrayDeque<>();
    private long nextBuildNanos;
    private boolean closed;
    private Thread thread;

    private record Spare(Consumer<byte[], byte[]> consumer, long warmedAtNanos) { }

    /**
     * @param builder     builds a consumer (the taker's properties); called on the background thread, or on
     *                    the taker's when no spare is ready
     * @param topic       the topic whose metadata and leaders the spares know
     * @param size        how many spares to keep, at least 1
     * @param refillDelay the pause after a take before building the next spare
     * @param refresh     how often an idle spare is touched again
     */
    WarmConsumers(Supplier<Consumer<byte[], byte[]>> builder, String topic, int size, Duration refillDelay, Duration refresh,
                  String threadName) {
        if (size < 1) {
            throw new IllegalArgumentException("A pool of warm consumers needs a size of at least 1, not " + size);
        }
        this.builder = builder;
        this.topic = topic;
        this.size = size;
        this.refillDelay = refillDelay;
        this.refresh = refresh;
        this.threadName = threadName;
    }

    /**
     * Starts filling the pool at once: a worker that joins a running cluster gets its first regions by
     * balancing moves a few seconds later, and its spares should be ready by then. Idempotent; returns at once.
     */
    synchronized void start() {
        if (thread != null || closed) {
            return;
        }
        nextBuildNanos = System.nanoTime();
        thread = new Thread(this::keepWarm, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** A warm consumer if one is ready, else a new cold one. The caller owns it and closes it. */
    Consumer<byte[], byte[]> take() {
        synchronized (this) {
            Spare spare = spares.pollFirst();
            if (spare != null) {
                nextBuildNanos = System.nanoTime() + refillDelay.toNanos();
                notifyAll();
                return spare.consumer();
            }
        }
        return builder.get();
    }

    /** How many spares are ready now. */
    synchronized int ready() {
        return spares.size();
    }

    /** Stops the background thread and closes the spares; consumers already taken are their takers'. Idempotent. */
    @Override
    public void close() {
        List<Spare> left;
        Thread running;
        synchronized (this) {
            closed = true;
            left = new ArrayList<>(spares);
            spares.clear();
            running = thread;
            notifyAll();
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        left.forEach(spare -> closeQuietly(spare.consumer()));
    }

    // ---------------------------------------------------------------- the background thread

    private void keepWarm() {
        try {
            while (true) {
                Spare stale = null;
                synchronized (this) {
                    while (!closed && !buildDue() && (stale = staleSpare()) == null) {
                        wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextWakeNanos() - System.nanoTime())));
                    }
                    if (closed) {
                        return;
                    }
                    if (stale != null) {
                        spares.remove(stale); // nobody can take it while it is touched
                    }
                }
                Spare ready = stale != null ? rewarm(stale.consumer()) : build();
                synchronized (this) {
                    if (ready == null) {
                        nextBuildNanos = System.nanoTime() + RETRY_AFTER_FAILURE.toNanos();
                    } else if (closed) {
                        closeQuietly(ready.consumer());
                    } else {
                        spares.addLast(ready);
                    }
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    private boolean buildDue() {
        return spares.size() < size && System.nanoTime() >= nextBuildNanos;
    }

    private Spare staleSpare() {
        Spare oldest = spares.stream().min((a, b) -> Long.compare(a.warmedAtNanos(), b.warmedAtNanos())).orElse(null);
        return oldest != null && System.nanoTime() - oldest.warmedAtNanos() >= refresh.toNanos() ? oldest : null;
    }

    private long nextWakeNanos() {
        long next = spares.size() < size ? nextBuildNanos : Long.MAX_VALUE;
        for (Spare spare : spares) {
            next = Math.min(next, spare.warmedAtNanos() + refresh.toNanos());
        }
        return next == Long.MAX_VALUE ? System.nanoTime() + refresh.toNanos() : next;
    }

    /** A new consumer, warmed; null (and closed) when Kafka did not answer. */
    private Spare build() {
        Consumer<byte[], byte[]> consumer;
        try {
            consumer = builder.get();
        } catch (RuntimeException e) {
            LOG.warn("Cannot build a spare consumer of {}: {}; trying again in {} s", topic, e.toString(), RETRY_AFTER_FAILURE.toSeconds());
            return null;
        }
        return rewarm(consumer);
    }

    /** Reads the end offsets of every partition of the topic: metadata fresh, leaders connected. */
    private Spare rewarm(Consumer<byte[], byte[]> consumer) {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo partition : consumer.partitionsFor(topic, WARM_TIMEOUT)) {
                partitions.add(new TopicPartition(topic, partition.partition()));
            }
            consumer.endOffsets(partitions, WARM_TIMEOUT);
            return new Spare(consumer, System.nanoTime());
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            closeQuietly(consumer);
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException e) {
            LOG.debug("Cannot warm a spare consumer of {}: {}", topic, e.toString());
            closeQuietly(consumer);
            return null;
        }
    }

    private static void closeQuietly(Consumer<byte[], byte[]> consumer) {
        try {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        } catch (RuntimeException e) {
            LOG.debug("Closing a spare consumer: {}", e.toString());
        }
    }
}
