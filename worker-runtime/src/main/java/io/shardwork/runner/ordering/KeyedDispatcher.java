package io.shardwork.runner.ordering;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Decides when each buffered record of one region may be handled, so that records of the same key are
 * handled one at a time in the order submitted (offset order), records of different keys concurrently,
 * at most {@code maxInFlight} at once, and at most {@code maxBuffered} records held (running or
 * waiting). A key whose record is slow or retrying holds back only its own later records (up to the cap);
 * keys waiting for a free slot start in the order they became ready, and a busy key yields its slot to a
 * waiting key after each record, so one hot key cannot starve the others.
 *
 * <p>{@link #submit} and {@link #complete} each return at most one record to start now: the caller starts
 * it and later calls {@code complete} with its key. The caller stops fetching while {@link #full()}.
 *
 * <p>Not thread-safe: one thread (the region's runner thread) owns it; the work itself runs elsewhere.
 *
 * @param <K> the record key (with value equality)
 * @param <R> what the caller starts (the record and whatever it needs)
 */
public final class KeyedDispatcher<K, R> {
    private final int maxInFlight;
    private final int maxBuffered;
    private final Map<K, KeyQueue<K, R>> keys = new HashMap<>();
    /** Keys with a record waiting and none running, in the order they became ready. */
    private final ArrayDeque<KeyQueue<K, R>> ready = new ArrayDeque<>();
    private int inFlight;
    private int buffered;

    public KeyedDispatcher(int maxInFlight, int maxBuffered) {
        if (maxInFlight < 1 || maxBuffered < maxInFlight) {
            throw new IllegalArgumentException("Need 1 <= maxInFlight <= maxBuffered, was maxInFlight=" + maxInFlight
                    + ", maxBuffered=" + maxBuffered);
        }
        this.maxInFlight = maxInFlight;
        this.maxBuffered = maxBuffered;
    }

    /**
     * Buffers {@code record} of {@code key} behind the key's earlier records.
     *
     * @return {@code record} when it may start now, else null (it waits for its key or for a free slot)
     * @throws IllegalStateException when {@link #full()}: the caller must not fetch beyond the cap
     */
    public R submit(K key, R record) {
        Objects.requireNonNull(record, "record");
        if (full()) {
            throw new IllegalStateException("The dispatcher holds " + buffered + " records, its cap");
        }
        buffered++;
        KeyQueue<K, R> queue = keys.get(key);
        if (queue == null) {
            queue = new KeyQueue<>(key);
            keys.put(key, queue);
        }
        if (queue.running || !queue.waiting.isEmpty()) {
            queue.waiting.addLast(record);
            return null;
        }
        if (inFlight < maxInFlight) {
            queue.running = true;
            inFlight++;
            return record;
        }
        queue.waiting.addLast(record);
        ready.addLast(queue);
        return null;
    }

    /**
     * The running record of {@code key} is done (handled, dead-lettered, or given up).
     *
     * @return the record to start now in the freed slot (the key's next one, or another key's), or null
     * @throws IllegalStateException when {@code key} has no running record
     */
    public R complete(K key) {
        KeyQueue<K, R> queue = keys.get(key);
        if (queue == null || !queue.running) {
            throw new IllegalStateException("Key " + key + " has no running record");
        }
        buffered--;
        queue.running = false;
        if (!queue.waiting.isEmpty()) {
            if (ready.isEmpty()) {
                queue.running = true;
                return queue.waiting.pollFirst();
            }
            ready.addLast(queue);
        } else {
            keys.remove(key);
        }
        inFlight--;
        if (ready.isEmpty()) {
            return null;
        }
        KeyQueue<K, R> next = ready.pollFirst();
        next.running = true;
        inFlight++;
        return next.waiting.pollFirst();
    }

    /** Whether the cap on buffered records is reached: fetch no more until a completion. */
    public boolean full() {
        return buffered >= maxBuffered;
    }

    /** Records running now. */
    public int inFlight() {
        return inFlight;
    }

    /** Records held: running or waiting. */
    public int buffered() {
        return buffered;
    }

    private static final class KeyQueue<K, R> {
        final K key;
        final ArrayDeque<R> waiting = new ArrayDeque<>(2);
        boolean running;

        KeyQueue(K key) {
            this.key = key;
        }

        @Override
        public String toString() {
            return String.valueOf(key);
        }
    }
}
