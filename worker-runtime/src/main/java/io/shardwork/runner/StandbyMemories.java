package io.shardwork.runner;

import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import io.shardwork.handler.HandlerClassLoader;
import io.shardwork.logging.LogContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decoder memories this worker keeps warm for the regions it stands by for (cluster key
 * {@code standby.replicas}), so that taking one of them over does not first read its history back: on a loaded
 * host that read-back was most of a takeover (30-110 ms for a few thousand records per region).
 *
 * <p>One thread and one consumer (assigned, no group, nothing committed) for all of them. For each region it opens
 * a handler instance, positions the consumer {@code memoryRecords} before the partition's end (at its first record
 * when there are fewer), and gives each record it reads to the decoder's {@link Decoder#remember}, but only once
 * the record has been {@code hold} in memory: remembering is for records an earlier run processed, and a takeover
 * starts at the owner's last checkpoint, which trails the partition's end by about a checkpoint interval. A record
 * counts as held since it was written (its timestamp, when it has one and it is earlier) rather than since it was
 * read: the history a standby reads when it is first named (a worker that just joined) was written long before, and
 * held from its reading it was all still held at the takeover that follows a join (about 1,500 records a region in
 * the handoff benchmark, 8-38 ms to remember at the new owner's start). The
 * runner that takes the region over ({@link #take}) gets the opened handler, what its decoder remembered and the
 * records still held ({@link StandbyMemory}); it remembers the held ones before its start and handles the others
 * first. When the owner lagged more than {@code hold}, the decoder has remembered past the start, and the runner
 * closes that handler and reads back as without a standby.
 *
 * <p>Thread-safety: {@link #follow}, {@link #take} and {@link #close} from any thread. A region's handler is used by
 * the standby thread, under the region's lock, until it is taken; then by its taker only.
 */
final class StandbyMemories implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StandbyMemories.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration OFFSETS_TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final LongSupplier wallMillis;
    private final Duration settle;
    private final Supplier<Handler<?>> handlers;
    private final HandlerConfig handlerConfig;
    private final String topic;
    private final Duration hold;
    private final Duration linger;
    private final MonotonicClock clock;
    private final String workerId;

    private final Object lock = new Object();
    /** Region to partition: the regions stood by for now. Under {@link #lock}. */
    private Map<String, Integer> standingBy = Map.of();
    /** Regions this worker owns now: a memory kept for one of them waits there for its runner. Under {@link #lock}. */
    private Set<String> owned = Set.of();
    /** The memories kept, by region. Under {@link #lock}. */
    private final Map<String, Memory> memories = new HashMap<>();
    private boolean changed;
    private boolean closed;
    private Thread thread;
    private volatile Consumer<byte[], byte[]> consumer;

    /**
     * @param consumers builds the consumer (the runners' properties), on the standby thread
     * @param handlers  makes the handler instances
     * @param hold      how long a record is held (since it was written, see above) before its decoder remembers it
     * @param settle    how long a region newly stood by for waits before its history is read: the assignment that
     *                  names it usually moves regions too, and reading a region's history then (decoding and
     *                  remembering thousands of records) took the CPU from those moves on a small host
     * @param wallMillis the wall clock, in milliseconds, that records' timestamps are compared with
     * @param linger    how long a memory is kept after its region was last stood by for: the standbys of a cluster
     *                  change with each membership change, and one named again within this time is still warm
     */
    StandbyMemories(Supplier<Consumer<byte[], byte[]>> consumers, Supplier<Handler<?>> handlers, HandlerConfig handlerConfig,
                    String topic, Duration hold, Duration linger, Duration settle, MonotonicClock clock, LongSupplier wallMillis,
                    String workerId) {
        this.consumers = consumers;
        this.handlers = handlers;
        this.handlerConfig = handlerConfig;
        this.topic = topic;
        this.hold = hold;
        this.linger = linger;
        this.settle = settle;
        this.clock = clock;
        this.wallMillis = wallMillis;
        this.workerId = workerId;
    }

    /**
     * The regions to stand by for now, region to partition, and the regions this worker owns: a memory is kept
     * while its region is in either (an owned one until its runner takes it), and made for each region stood by for
     * that has none. Starts the standby thread the first time there is one. Any thread; returns at once.
     */
    void follow(Map<String, Integer> standingBy, Set<String> owned) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            this.standingBy = Map.copyOf(standingBy);
            this.owned = Set.copyOf(owned);
            long now = clock.nanos();
            standingBy.keySet().forEach(region -> {
                Memory memory = memories.get(region);
                if (memory != null) {
                    memory.namedAt = now;
                }
            });
            changed = true;
            if (thread == null && !standingBy.isEmpty()) {
                thread = new Thread(this::run, "shardwork-" + workerId + "-standby");
                thread.setDaemon(true);
                thread.start();
            }
            lock.notifyAll();
        }
        wakeUp();
    }

    /**
     * The region's memory for the runner that now owns it, which closes its handler; null when none is kept or it is
     * not ready (its handler not opened, or its consumer not positioned yet). Any thread.
     */
    StandbyMemory take(String region) {
        Memory memory;
        synchronized (lock) {
            memory = memories.remove(region);
            if (memory == null) {
                return null;
            }
            if (standingBy.containsKey(region)) { // run here now: not stood by for again until follow names it again
                Map<String, Integer> rest = new HashMap<>(standingBy);
                rest.remove(region);
                standingBy = Map.copyOf(rest);
            }
            changed = true;
        }
        wakeUp();
        StandbyMemory taken = memory.take();
        if (taken == null) {
            memory.closeHandler();
        } else {
            LOG.info("Region {}: taking over the standby memory: remembered offsets {} to {}{}, {} records held, read to {}",
                    region, taken.rememberedFrom(), taken.rememberedTo(), taken.fromLogStart() ? " (from the partition's start)" : "",
                    taken.held().size(), taken.next());
        }
        return taken;
    }

    /** The regions whose memory is kept now (tests, logs). */
    Set<String> kept() {
        synchronized (lock) {
            return Set.copyOf(memories.keySet());
        }
    }

    /** Stops the thread; it closes the consumer and every handler not taken. Idempotent. */
    @Override
    public void close() {
        Thread running;
        synchronized (lock) {
            closed = true;
            running = thread;
            lock.notifyAll();
        }
        wakeUp();
        if (running != null) {
            try {
                running.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void wakeUp() {
        Consumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    // ---------------------------------------------------------------- the standby thread

    private void run() {
        LogContext.worker(workerId);
        Map<TopicPartition, Memory> reading = new HashMap<>();
        try {
            while (true) {
                List<Memory> dropped = new ArrayList<>();
                synchronized (lock) {
                    while (!closed && !changed && memories.isEmpty()) {
                        lock.wait();
                    }
                    if (closed) {
                        break;
                    }
                    changed = false;
                    reconcile(dropped);
                    reading.clear();
                    memories.values().forEach(m -> reading.put(m.partition, m));
                }
                dropped.forEach(Memory::closeHandler);
                if (reading.isEmpty()) {
                    Consumer<byte[], byte[]> c = consumer;
                    if (c != null && !c.assignment().isEmpty()) {
                        c.assign(List.of()); // nothing to stand by for: stop fetching
                    }
                    continue;
                }
                readOnce(reading);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("The standby memories of {} stopped (takeovers read back instead): {}", workerId, e.toString());
        } finally {
            List<Memory> left;
            synchronized (lock) {
                closed = true;
                left = new ArrayList<>(memories.values());
                memories.clear();
            }
            left.forEach(Memory::closeHandler);
            Consumer<byte[], byte[]> c = consumer;
            consumer = null;
            if (c != null) {
                c.close(Duration.ofSeconds(1));
            }
        }
    }

    /**
     * Under the lock: makes the memories of regions newly stood by for, drops those of regions neither stood by for
     * nor owned since {@code linger}.
     */
    private void reconcile(List<Memory> dropped) {
        long now = clock.nanos();
        memories.entrySet().removeIf(entry -> {
            String region = entry.getKey();
            boolean keep = standingBy.containsKey(region) || owned.contains(region)
                    || now - entry.getValue().namedAt < linger.toNanos();
            if (!keep) {
                dropped.add(entry.getValue());
            }
            return !keep;
        });
        standingBy.forEach((region, partition) -> {
            if (!memories.containsKey(region) && !owned.contains(region)) {
                memories.put(region, new Memory(region, new TopicPartition(topic, partition)));
            }
        });
    }

    /** Opens what is new, assigns and positions the consumer, reads once, and feeds every memory. */
    private void readOnce(Map<TopicPartition, Memory> reading) {
        List<TopicPartition> unplaced = new ArrayList<>();
        long passAt = clock.nanos();
        reading.values().removeIf(memory -> !memory.opened() && passAt - memory.createdAt < settle.toNanos());
        for (Memory memory : reading.values()) {
            if (!memory.opened()) {
                memory.open();
            }
            if (memory.wanted() && memory.unplaced()) {
                unplaced.add(memory.partition);
            }
        }
        Consumer<byte[], byte[]> c = consumer;
        if (c == null) {
            c = consumers.get();
            consumer = c;
        }
        List<TopicPartition> assigned = new ArrayList<>();
        reading.forEach((partition, memory) -> {
            if (memory.wanted()) {
                assigned.add(partition);
            }
        });
        if (!c.assignment().equals(Set.copyOf(assigned))) {
            c.assign(assigned);
        }
        if (assigned.isEmpty()) {
            synchronized (lock) {
                try {
                    if (!changed && !closed) {
                        lock.wait(POLL.toMillis());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return;
        }
        try {
            if (!unplaced.isEmpty()) {
                position(c, unplaced, reading);
            }
            ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
            long now = clock.nanos();
            long wallNow = wallMillis.getAsLong();
            for (TopicPartition partition : assigned) {
                reading.get(partition).add(records.records(partition), c.position(partition), now, wallNow);
            }
        } catch (WakeupException woken) {
            // a take or a change of regions: the caller looks again
        }
    }

    private void position(Consumer<byte[], byte[]> c, List<TopicPartition> partitions, Map<TopicPartition, Memory> reading) {
        Map<TopicPartition, Long> ends = c.endOffsets(partitions, OFFSETS_TIMEOUT);
        Map<TopicPartition, Long> beginnings = c.beginningOffsets(partitions, OFFSETS_TIMEOUT);
        for (TopicPartition partition : partitions) {
            Memory memory = reading.get(partition);
            long end = ends.get(partition);
            long first = beginnings.get(partition);
            long from = Math.max(first, end - memory.memoryRecords);
            c.seek(partition, from);
            memory.positioned(from, from == first);
            LOG.info("Region {}: standing by, remembering from offset {} ({} records before the end {})", memory.region, from,
                    end - from, end);
        }
    }

    /** One region's memory: its handler, the records held, how far the decoder got. */
    private final class Memory {
        final String region;
        final TopicPartition partition;
        private final RecordView view;
        private final Deque<Held> held = new ArrayDeque<>();
        private Handler<?> handler;
        private Decoder<?> decoder;
        private int memoryRecords;
        private boolean openTried;
        private boolean taken;
        private long rememberedFrom = -1;
        private boolean fromLogStart;
        private long rememberedTo = -1;
        /** Where the reads are, or -1 before the consumer was positioned. */
        long next = -1;
        /** When its region was last stood by for (under the memories' lock). */
        long namedAt = clock.nanos();
        /** When it was made: it is opened and read {@code settle} later. */
        final long createdAt = namedAt;

        Memory(String region, TopicPartition partition) {
            this.region = region;
            this.partition = partition;
            this.view = new RecordView(region, partition.partition());
        }

        synchronized boolean opened() {
            return openTried;
        }

        synchronized boolean unplaced() {
            return next < 0;
        }

        /** Whether the consumer reads for it: opened, with a decoder that wants a memory, not taken. */
        synchronized boolean wanted() {
            return handler != null && memoryRecords > 0 && !taken;
        }

        synchronized void open() {
            openTried = true;
            if (taken) {
                return;
            }
            Handler<?> instance = handlers.get();
            ClassLoader before = HandlerClassLoader.enter(instance);
            try {
                instance.open(handlerConfig);
                handler = instance;
                decoder = instance.decoder();
                memoryRecords = decoder.memoryRecords();
            } catch (Exception e) {
                LOG.warn("Region {}: the standby's handler did not open (a takeover reads back instead): {}", region, e.toString());
            } finally {
                HandlerClassLoader.leave(before);
            }
            if (handler != null && memoryRecords <= 0) {
                LOG.info("Region {}: the decoder keeps no memory, so there is nothing to keep warm for it", region);
                closeHandler();
            }
        }

        synchronized void positioned(long from, boolean logStart) {
            rememberedFrom = from;
            rememberedTo = from;
            fromLogStart = logStart;
            next = from;
        }

        /**
         * New records of the partition, read at {@code now} ({@code wallNow} on the wall clock), and the consumer's
         * position after them; remembers every record held for {@code hold} by now, a record held since it was written.
         */
        synchronized void add(List<ConsumerRecord<byte[], byte[]>> records, long position, long now, long wallNow) {
            if (taken || next < 0) {
                return;
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                long age = record.timestamp() >= 0 ? Math.max(0, wallNow - record.timestamp()) : 0;
                held.addLast(new Held(record, now - TimeUnit.MILLISECONDS.toNanos(age)));
            }
            long heldBefore = now - hold.toNanos();
            next = Math.max(next, position);
            ClassLoader before = HandlerClassLoader.enter(handler);
            try {
                while (!held.isEmpty() && (held.peekFirst().at - heldBefore < 0 || held.size() > memoryRecords)) {
                    ConsumerRecord<byte[], byte[]> record = held.pollFirst().record;
                    view.record = record;
                    try {
                        decoder.remember(view);
                    } catch (RuntimeException e) {
                        LOG.debug("Region {} offset {}: the standby's decoder could not remember the record: {}", region,
                                record.offset(), e.toString());
                    }
                    rememberedTo = record.offset() + 1;
                }
            } finally {
                HandlerClassLoader.leave(before);
            }
        }

        /** Hands the memory over, or returns null when it is not ready; from now on the standby thread leaves it alone. */
        synchronized StandbyMemory take() {
            taken = true;
            if (handler == null || memoryRecords <= 0 || next < 0) {
                return null;
            }
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(held.size());
            held.forEach(h -> records.add(h.record));
            StandbyMemory memory = new StandbyMemory(handler, decoder, rememberedFrom, fromLogStart, rememberedTo, records, next);
            handler = null;
            return memory;
        }

        synchronized void closeHandler() {
            taken = true;
            if (handler == null) {
                return;
            }
            Handler<?> closing = handler;
            handler = null;
            ClassLoader before = HandlerClassLoader.enter(closing);
            try {
                closing.close();
            } catch (Exception e) {
                LOG.warn("Region {}: the standby's handler did not close: {}", region, e.toString());
            } finally {
                HandlerClassLoader.leave(before);
            }
        }
    }

    private record Held(ConsumerRecord<byte[], byte[]> record, long at) { }
}
