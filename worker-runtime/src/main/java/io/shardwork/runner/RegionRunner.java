package io.shardwork.runner;

import io.shardwork.api.Context;
import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import io.shardwork.handler.HandlerClassLoader;
import io.shardwork.api.Headers;
import io.shardwork.api.Output;
import io.shardwork.api.RecordRejectedException;
import io.shardwork.deadletter.DeadLetter;
import io.shardwork.deadletter.JitterSource;
import io.shardwork.deadletter.Sleeper;
import io.shardwork.logging.LogContext;
import io.shardwork.ledger.LedgerFencedException;
import io.shardwork.ledger.RegionLedger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes one owned region: its own thread, its own consumer assigned to the region's partition,
 * the records handled one at a time in offset order by one {@link Handler} instance of its own (opened
 * when the run starts, closed when it ends), effects through the region's
 * {@link RegionLedger}, progress through a fenced {@link CheckpointWriter}. One run per instance:
 * {@link #start} once, then one of {@link #stop()} or {@link #abandon()} (or it ends by itself when
 * fenced or dead, see {@link RunnerListener}).
 *
 * <p>Per record: 1. decode with the handler's {@link Decoder}; a rejected record goes to the dead-letter
 * topic at once with the rejection's stage and reason. 2. call the
 * handler; when it throws (an {@link Error} included), wait with backoff and call it again, up to
 * {@code retry.max.attempts}, then dead-letter the record with its error. 3. when
 * {@code checkpoint.interval.ms} has passed since the last checkpoint, make every effect durable
 * (at-least-once: wait for the acknowledgements; exactly-once: commit the transaction, which also
 * commits the input offset), then write the checkpoint under this run's epoch. A rejected epoch,
 * from the checkpoint store or from the producer, stops the region at once: no further effect, no
 * commit.
 *
 * <p>With {@code runner.ordering=key} the loop is {@link KeyOrderedLoop}'s: step 1 stays on the runner thread,
 * step 2 runs on the worker's pool (same key in offset order, keys concurrent), step 3 writes the lowest
 * offset not yet completed. With {@code region} (the default) nothing of that path is built.
 *
 * <p>Thread-safety: all public methods may be called from any thread. {@link #stop()} blocks until
 * the runner has ended; the others do not block.
 */
public final class RegionRunner {
    private static final Logger log = LoggerFactory.getLogger(RegionRunner.class);

    private final RunnerSettings settings;
    private final RegionClients clients;
    private final Pipeline<?> pipeline;
    private final CheckpointWriter checkpoints;
    private final RunnerListener listener;
    private final MonotonicClock clock;
    private final Sleeper sleeper;
    private final JitterSource jitter;
    /** The worker's pool for key-ordered regions; null with runner.ordering=region (the single-thread path). */
    private final Executor keyedPool;

    private final AtomicReference<RunnerState> state = new AtomicReference<>(RunnerState.NEW);
    private final CountDownLatch ended = new CountDownLatch(1);
    /** Opens on a graceful stop or an abandon: cuts a retry backoff short. */
    private final CountDownLatch stopAsked = new CountDownLatch(1);
    private final Object pauseLock = new Object();
    private volatile boolean paused;
    private volatile Thread thread;

    private volatile String region = "?";
    private volatile int partition = -1;
    private volatile long epoch = -1;
    private volatile Consumer<byte[], byte[]> consumer;
    /**
     * Records at or past the start that the memory's read-back polled with its last records: handled first, so the
     * consumer is not sent back to the start (see {@link #rememberBefore}). Runner thread.
     */
    private List<ConsumerRecord<byte[], byte[]>> carried = List.of();
    private volatile RegionLedger ledger;
    private volatile LedgerFencedException ledgerFenced;

    /** The record being decoded or handled, behind the API's view; made when the run starts (runner thread only). */
    private RecordView current;

    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong handlerErrors = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong fencedWritesRejected = new AtomicLong();
    private final AtomicLong checkpointCount = new AtomicLong();
    private final AtomicLong checkpointFailures = new AtomicLong();
    private volatile long startOffset = -1;
    private volatile long nextOffset = -1;
    private volatile long checkpointedOffset = -1;
    /** Exactly-once: the offset the last committed transaction committed with the orders' effects, -1 before any. */
    private volatile long committedOffset = -1;
    /**
     * The offset of the last checkpoint posted or written, or -1 after a post failed for a reason other than the
     * fence (the next due checkpoint then tries again). Set by the runner's thread, reset by the store's.
     */
    private final AtomicLong postedOffset = new AtomicLong(-1);
    /** A posted checkpoint refused as fenced: the runner stops at its next checkpoint (set on the store's thread). */
    private volatile Exception postRefused;
    private volatile long lag = -1;
    private volatile boolean holding;
    /** When the next checkpoint falls due: the next multiple of the interval on {@link #clock} (see {@link #nextCheckpointAfter}). */
    private long nextCheckpointNanos;
    private long lastEndOffsetNanos;
    /** {@link MonotonicClock#nanos()} when the handler call in progress began; 0 when none is. */
    private volatile long handlerCallSince;

    RegionRunner(RunnerSettings settings, RegionClients clients, Handler<?> handler, HandlerConfig handlerConfig,
                 CheckpointWriter checkpoints, RunnerListener listener, MonotonicClock clock, Sleeper sleeper,
                 JitterSource jitter) {
        this(settings, clients, handler, handlerConfig, checkpoints, listener, clock, sleeper, jitter, null);
    }

    /** @param keyedPool the worker's pool for handler calls; required with {@link RunnerSettings#keyOrdering()} */
    RegionRunner(RunnerSettings settings, RegionClients clients, Handler<?> handler, HandlerConfig handlerConfig,
                 CheckpointWriter checkpoints, RunnerListener listener, MonotonicClock clock, Sleeper sleeper,
                 JitterSource jitter, Executor keyedPool) {
        if (settings.keyOrdering() && keyedPool == null) {
            throw new IllegalArgumentException("runner.ordering=key needs the worker's pool");
        }
        this.keyedPool = settings.keyOrdering() ? keyedPool : null;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.pipeline = new Pipeline<>(handler, handlerConfig);
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.listener = listener == null ? RunnerListener.NONE : listener;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = sleeper != null ? sleeper : millis -> stopAsked.await(millis, TimeUnit.MILLISECONDS);
        this.jitter = Objects.requireNonNull(jitter, "jitter");
    }

    /**
     * Starts processing {@code region} on a new thread and returns at once. The thread opens the
     * clients (exactly-once: initTransactions, which fences the region's previous producer, then reads
     * Kafka's committed offset, which wins over {@code startOffset} when present), seeks, and runs.
     *
     * @param partition   the region's partition of the orders topic (and of the output topics)
     * @param epoch       the epoch of the claim; every checkpoint is written under it
     * @param startOffset the region's checkpoint: the next offset to process; 0 or less for the beginning
     * @throws IllegalStateException when this runner was started before
     */
    public void start(String region, int partition, long epoch, long startOffset) {
        Objects.requireNonNull(region, "region");
        if (state.get() != RunnerState.NEW) {
            throw new IllegalStateException("Cannot be started more than once (region " + this.region + ", state "
                    + state.get() + ")");
        }
        // named before it is RUNNING: whoever sees it past NEW sees its region, partition and epoch (see stats())
        this.region = region;
        this.partition = partition;
        this.epoch = epoch;
        if (!state.compareAndSet(RunnerState.NEW, RunnerState.RUNNING)) {
            throw new IllegalStateException("Cannot be started more than once (region " + region + ", state "
                    + state.get() + ")");
        }
        Thread runnerThread = new Thread(() -> run(startOffset), "region-" + region + "-e" + epoch);
        runnerThread.setDaemon(true);
        thread = runnerThread;
        runnerThread.start();
    }

    /**
     * Graceful stop: stops fetching, finishes the current order (with its retries), makes its effects
     * durable, writes the final checkpoint, closes the clients, tells the listener; returns when all
     * that is done (or the runner ended otherwise). Called on the runner's own thread (from a handler
     * or a listener) it only requests the stop and returns.
     */
    public void stop() throws InterruptedException {
        requestStop();
        if (Thread.currentThread() != thread) {
            ended.await();
        }
    }

    /**
     * Asks for the graceful stop of {@link #stop()} and returns at once; a later {@code stop} waits for it.
     * Any thread.
     */
    public void beginStop() {
        requestStop();
    }

    /**
     * Like {@link #stop()} but waits at most {@code timeout}.
     *
     * @return whether the runner has ended; if not, the caller may {@link #abandon()} it
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        requestStop();
        return Thread.currentThread() != thread && ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void requestStop() {
        if (state.compareAndSet(RunnerState.NEW, RunnerState.STOPPED)) {
            ended.countDown();
            return;
        }
        if (state.compareAndSet(RunnerState.RUNNING, RunnerState.STOPPING)) {
            stopAsked.countDown();
            wake();
        }
    }

    /**
     * Stops at once: no checkpoint, no commit, no further effect (the handler's sends are refused from
     * now on; a handler call in progress cannot be interrupted, but whatever it sends after this is
     * refused). For a lost session or a fenced epoch. Does not block; {@link #awaitEnd} waits.
     */
    public void abandon() {
        RunnerState before;
        while (true) {
            before = state.get();
            if (before.terminal()) {
                return;
            }
            if (state.compareAndSet(before, RunnerState.ABANDONED)) {
                break;
            }
        }
        stopAsked.countDown();
        if (before == RunnerState.NEW) {
            ended.countDown();
            return;
        }
        RegionLedger current = ledger;
        if (current != null) {
            current.abandon();
        }
        wake();
    }

    /**
     * Stops handling orders after the current one, and writes no checkpoint (a final one on stop
     * excepted), until {@link #resume()}. For a SUSPENDED connection. {@link RunnerStats#holding()}
     * tells when the runner has come to rest.
     */
    public void pause() {
        synchronized (pauseLock) {
            paused = true;
        }
    }

    /** Undoes {@link #pause()}. */
    public void resume() {
        synchronized (pauseLock) {
            paused = false;
            pauseLock.notifyAll();
        }
    }

    /** Waits until the runner has ended, at most {@code timeout}; returns whether it has. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public RunnerState state() {
        return state.get();
    }

    public String region() {
        return region;
    }

    public long epoch() {
        return epoch;
    }

    /**
     * How long the handler call in progress has run, by this runner's clock; zero when no call is in progress.
     * Any thread; never blocks.
     */
    public Duration handlerCallRunning() {
        long since = handlerCallSince;
        return since == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, clock.nanos() - since));
    }

    /** The counters now; cheap, any thread. */
    public RunnerStats stats() {
        RunnerState now = state.get(); // first: past NEW, the region and epoch read next are this run's
        return new RunnerStats(region, epoch, now, processed.get(), failedAttempts.get(), handlerErrors.get(),
                deadLettered.get(), fencedWritesRejected.get(), checkpointCount.get(), checkpointFailures.get(),
                startOffset, nextOffset, checkpointedOffset, Math.max(checkpointedOffset, committedOffset), lag, holding,
                fromStandby);
    }

    private void wake() {
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        synchronized (pauseLock) {
            pauseLock.notifyAll();
        }
    }

    private boolean running() {
        return state.get() == RunnerState.RUNNING;
    }

    // ---------------------------------------------------------------- the runner thread

    /** When this run's thread began, the handler was open, and its clients were ready: for the start's log line. */
    private long startedNanos;
    private long handlerOpenedNanos;
    private long clientsReadyNanos;
    /** Of the memory's read-back, the time spent waiting in polls (the rest is the decoder's). */
    private long memoryPollNanos;
    /** The memory this worker kept while it stood by for the region, taken at the run's start; else null. */
    private StandbyMemory standby;
    /** The run started on the {@link #standby} memory. */
    private volatile boolean fromStandby;

    private void run(long requestedStart) {
        LogContext.runner(settings.workerId(), region, epoch);
        current = new RecordView(region, partition);
        nextOffset = Math.max(0, requestedStart);
        TopicPartition input = new TopicPartition(settings.ordersTopic(), partition);
        Throwable failure = null;
        Exception fencing = null;
        boolean graceful = false;
        try {
            startedNanos = clock.nanos();
            standby = clients.standby(region);
            if (standby != null) {
                pipeline.adopt(standby.handler(), standby.decoder());
            } else {
                pipeline.open();
            }
            handlerOpenedNanos = clock.nanos();
            consumer = clients.consumer(region, epoch);
            ledger = keyedPool == null ? clients.ledger(region, epoch) : new SerializedLedger(clients.ledger(region, epoch));
            clientsReadyNanos = clock.nanos();
            if (state.get() == RunnerState.ABANDONED) {
                ledger.abandon();
            }
            if (!running()) {
                graceful = state.get() == RunnerState.STOPPING;
                return;
            }
            open(input, requestedStart);
            loop(input);
            if (state.get() == RunnerState.STOPPING) {
                checkpoint(input, true);
                graceful = true;
            }
        } catch (Fenced e) {
            fencing = e.cause;
        } catch (WakeupException | InterruptException | Abandoned e) {
            if (state.get() == RunnerState.STOPPING) {
                graceful = true;
            } else if (state.get() != RunnerState.ABANDONED) {
                failure = e;
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            Throwable closing = pipeline.close();
            if (closing != null) {
                log.warn("Region {} epoch {}: the handler's close failed: {}", region, epoch, closing.toString());
            }
            finish(graceful, fencing, failure);
        }
    }

    private void open(TopicPartition input, long requestedStart) throws Fenced {
        try {
            ledger.open();
        } catch (LedgerFencedException e) {
            throw fenced(e);
        }
        OptionalLong committed = ledger.committedOffset(consumer, input);
        long start = committed.orElse(Math.max(0, requestedStart));
        consumer.assign(List.of(input));
        long rememberFrom = clock.nanos();
        long remembered = rememberBefore(pipeline, input, start);
        startOffset = start;
        nextOffset = start;
        long ready = clock.nanos();
        nextCheckpointNanos = nextCheckpointAfter(ready);
        log.info("Region {} (partition {}) epoch {} starts at offset {}{}, ready in {} ms: handler {}, clients {}, ledger {}, memory {} ({} records{}, {} ms of it polling)",
                region, partition, epoch, start,
                committed.isPresent() && committed.getAsLong() != requestedStart
                        ? " (Kafka's committed offset; the checkpoint said " + requestedStart + ")" : "",
                millis(ready - startedNanos), millis(handlerOpenedNanos - startedNanos), millis(clientsReadyNanos - handlerOpenedNanos),
                millis(rememberFrom - clientsReadyNanos), millis(ready - rememberFrom), remembered,
                standby != null ? ", the rest kept warm by the standby" : "", millis(memoryPollNanos));
        if (ledger.transactional()) {
            committedOffset = start;
        }
        if (committed.isPresent() && committed.getAsLong() > requestedStart) {
            writeCheckpoint(start, false);
        } else {
            checkpointedOffset = start;
            postedOffset.set(start);
        }
        listener.onStarted(this, start);
    }

    /**
     * Lets the decoder rebuild a memory of its own as the region's previous runs left it (for billing, the
     * order ids seen, so an id reused with other content is refused across moves and restarts too): reads the
     * partition's records in {@code [start - decoder.memoryRecords(), start)}, all processed before this run's
     * start, and gives each to {@code decoder.remember}. Nothing is read when the decoder wants no memory. A
     * read that does not get there (abandoned, stopped, the broker away) leaves the memory as far as it got.
     * Leaves the consumer where the loop's first poll continues after the {@link #carried} records.
     *
     * <p>The poll that brings the last record before the start usually brings records past it too (a region taken
     * over starts at its last checkpoint, behind the partition's end): those are kept in {@link #carried}, to be
     * handled first, and the consumer stays where it is. Sent back to the start instead, it would fetch them again,
     * and first wait for the fetch it had already sent past them: at the partition's end that one is held by the
     * broker until new orders come or {@code fetch.max.wait.ms} (500 ms by default) passes, so a quiet region
     * taken over waited half a second before its first order.
     *
     * <p>With a {@link #standby} memory that serves the start, the decoder has remembered the records up to the
     * standby's held ones: those before the start are remembered here, the others carried, and the read goes on
     * from where the standby's stopped, when that is still before the start. A standby memory that cannot serve
     * the start (the owner had lagged, so it remembered past the start) is closed, with its handler, and the run
     * opens its own and reads back.
     */
    private <T> long rememberBefore(Pipeline<T> pipeline, TopicPartition input, long start) {
        long from = Math.max(0, start - pipeline.decoder.memoryRecords());
        long position = from;
        long remembered = 0;
        if (standby != null) {
            if (standby.servesStart(start, pipeline.decoder.memoryRecords())) {
                fromStandby = true;
                remembered = standby.rememberedTo() - standby.rememberedFrom();
                List<ConsumerRecord<byte[], byte[]>> held = standby.held();
                for (int i = 0; i < held.size(); i++) {
                    if (held.get(i).offset() >= start) {
                        carried = held.subList(i, held.size());
                        break;
                    }
                    remember(pipeline, held.get(i));
                    remembered++;
                }
                position = standby.next(); // every record before it was remembered or carried
                if (!carried.isEmpty()) {
                    consumer.seek(input, position);
                    return remembered;
                }
            } else {
                log.info("Region {} epoch {}: the standby memory ({} to {}) does not serve the start {}: reading back instead",
                        region, epoch, standby.rememberedFrom(), standby.rememberedTo(), start);
                standby = null;
                Throwable closing = pipeline.reopen();
                if (closing != null) {
                    log.warn("Region {} epoch {}: the standby's handler did not close: {}", region, epoch, closing.toString());
                }
                from = Math.max(0, start - pipeline.decoder.memoryRecords());
                position = from;
            }
        }
        if (position >= start) {
            consumer.seek(input, start);
            return remembered;
        }
        consumer.seek(input, position);
        long deadline = clock.nanos() + TimeUnit.MILLISECONDS.toNanos(Math.max(settings.pollTimeoutMs() * 100, 10_000));
        int emptyPolls = 0;
        reading:
        while (position < start && running() && clock.nanos() < deadline && emptyPolls < 5) {
            ConsumerRecords<byte[], byte[]> records;
            long polling = clock.nanos();
            try {
                records = consumer.poll(Duration.ofMillis(settings.pollTimeoutMs()));
            } catch (WakeupException e) {
                break;
            } finally {
                memoryPollNanos += clock.nanos() - polling;
            }
            if (records.isEmpty()) {
                emptyPolls++;
                if (consumer.position(input) >= start) {
                    break;
                }
                continue;
            }
            emptyPolls = 0;
            List<ConsumerRecord<byte[], byte[]>> polled = records.records(input);
            for (int i = 0; i < polled.size(); i++) {
                ConsumerRecord<byte[], byte[]> record = polled.get(i);
                if (record.offset() >= start) {
                    carried = polled.subList(i, polled.size());
                    break reading;
                }
                remember(pipeline, record);
                remembered++;
                position = record.offset() + 1;
            }
        }
        if (carried.isEmpty()) {
            consumer.seek(input, start);
        }
        log.debug("Region {} epoch {}: the decoder remembered offsets {} to {}", region, epoch, from, position);
        return remembered;
    }

    private <T> void remember(Pipeline<T> pipeline, ConsumerRecord<byte[], byte[]> record) {
        current.record = record;
        ClassLoader worker = pipeline.enter();
        try {
            pipeline.decoder.remember(current);
        } catch (RuntimeException e) {
            log.debug("Region {} offset {}: the decoder could not remember the record: {}", region, record.offset(), e.toString());
        } finally {
            HandlerClassLoader.leave(worker);
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private void loop(TopicPartition input) throws Fenced, Abandoned {
        if (keyedPool != null) {
            loopByKey(input);
            return;
        }
        Duration pollTimeout = Duration.ofMillis(settings.pollTimeoutMs());
        while (running()) {
            awaitResumed();
            if (!running()) {
                break;
            }
            List<ConsumerRecord<byte[], byte[]>> records;
            try {
                records = nextRecords(input, pollTimeout);
            } catch (WakeupException e) {
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                awaitResumed();
                if (!running()) {
                    return;
                }
                if (!process(record)) {
                    return;
                }
                nextOffset = record.offset() + 1;
                processed.incrementAndGet();
                checkpoint(input, false);
            }
            lag = lagOf(input);
            if (records.isEmpty()) {
                checkpoint(input, false);
            }
        }
    }

    /**
     * Orders behind the partition's end: the consumer's own figure when it has one, else (its fetch responses
     * did not carry the partition: incremental fetch sessions leave unchanged partitions out, so
     * {@code currentLag} can stay empty for good on a quiet partition) the end offset asked of the broker, at
     * most once per checkpoint interval; the last known value while neither answers.
     */
    private long lagOf(TopicPartition input) {
        OptionalLong current = consumer.currentLag(input);
        if (current.isPresent()) {
            return current.getAsLong();
        }
        long now = clock.nanos();
        if (lastEndOffsetNanos != 0 && now - lastEndOffsetNanos < TimeUnit.MILLISECONDS.toNanos(settings.checkpointIntervalMs())) {
            return lag;
        }
        lastEndOffsetNanos = now == 0 ? 1 : now;
        try {
            Long end = consumer.endOffsets(List.of(input), Duration.ofMillis(Math.max(settings.pollTimeoutMs(), 1))).get(input);
            return end == null ? lag : Math.max(0, end - nextOffset);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            return lag;
        }
    }

    /**
     * The next records of the region for either loop: those the memory's read-back {@link #carried} past the start,
     * once, else one poll's. A poll can throw {@link WakeupException}.
     */
    private List<ConsumerRecord<byte[], byte[]>> nextRecords(TopicPartition input, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = carried;
        if (records.isEmpty()) {
            return consumer.poll(timeout).records(input);
        }
        carried = List.of();
        return records;
    }

    /** {@code runner.ordering=key}: see {@link KeyOrderedLoop}. */
    private void loopByKey(TopicPartition input) throws Fenced, Abandoned {
        try {
            new KeyOrderedLoop(new KeyedHost(input), consumer, input, nextOffset, keyedPool, settings.concurrency(),
                    settings.maxInFlight(), Duration.ofMillis(settings.pollTimeoutMs())).run();
        } catch (Fenced | Abandoned | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Region " + region + ": the key-ordered loop failed", e);
        }
    }

    private void awaitResumed() throws Abandoned {
        synchronized (pauseLock) {
            try {
                while (paused && running()) {
                    holding = true;
                    pauseLock.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Abandoned();
            } finally {
                holding = false;
            }
        }
    }

    /** Handles one record; false when a graceful stop cut its retries short (the record is not done). */
    private boolean process(ConsumerRecord<byte[], byte[]> record) throws Fenced, Abandoned {
        requireEffectsWritten(record.offset());
        current.record = record;
        return process(pipeline, record);
    }

    private <T> boolean process(Pipeline<T> pipeline, ConsumerRecord<byte[], byte[]> record) throws Fenced, Abandoned {
        T item = decode(pipeline, record);
        return item == null || handle(pipeline, item, record);
    }

    /** Decodes {@link #current}'s record; null when it was rejected, and dead-lettered. Runner thread. */
    private <T> T decode(Pipeline<T> pipeline, ConsumerRecord<byte[], byte[]> record) throws Fenced {
        T item;
        try {
            ClassLoader worker = pipeline.enter();
            try {
                item = pipeline.decoder.decode(current);
            } finally {
                HandlerClassLoader.leave(worker);
            }
            if (item == null) {
                throw new RecordRejectedException("the decoder returned null");
            }
        } catch (RecordRejectedException rejected) {
            log.warn("Region {} offset {}: dead-lettered ({}): {}", region, record.offset(), rejected.stage(),
                    rejected.reason());
            deadLetter(new DeadLetter(record.key(), record.value(), rejected.stage(), rejected.reason(), 0, region,
                    partition, record.offset(), settings.workerId(), epoch));
            return null;
        } catch (RuntimeException e) {
            log.warn("Region {} offset {}: the decoder threw, dead-lettered: {}", region, record.offset(), e.toString());
            deadLetter(DeadLetter.unparseable(record.key(), record.value(), "the decoder threw " + e, region, partition,
                    record.offset(), settings.workerId(), epoch));
            return null;
        }
        return item;
    }

    /**
     * Calls the handler with retries, dead-lettering the record when they run out; false when a graceful stop cut
     * the retries short (the record is not done). The runner thread, or a pool thread with key ordering.
     */
    private <T> boolean handle(Pipeline<T> pipeline, T item, ConsumerRecord<byte[], byte[]> record)
            throws Fenced, Abandoned {
        for (int attempt = 1; ; attempt++) {
            Throwable failure = callHandler(pipeline, item, record, attempt);
            if (failure == null) {
                return true;
            }
            failedAttempts.incrementAndGet();
            if (settings.backoff().exhausted(attempt)) {
                log.warn("Region {} offset {}: failed {} times, dead-lettered: {}", region, record.offset(), attempt,
                        failure.toString());
                deadLetter(DeadLetter.failed(record.key(), record.value(), failure, attempt, region, partition,
                        record.offset(), settings.workerId(), epoch));
                return true;
            }
            long delay = settings.backoff().delayMs(attempt, jitter);
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Abandoned();
            }
            if (state.get() == RunnerState.ABANDONED) {
                throw new Abandoned();
            }
            if (state.get() == RunnerState.STOPPING) {
                log.info("Region {} offset {}: stopping during the retries of this record; its next owner handles it again",
                        region, record.offset());
                return false;
            }
        }
    }

    /** Calls the handler once; returns its failure, or null. Fencing and abandonment end the region instead. */
    private <T> Throwable callHandler(Pipeline<T> pipeline, T item, ConsumerRecord<byte[], byte[]> record, int attempt)
            throws Fenced, Abandoned {
        Throwable failure = null;
        long began = clock.nanos();
        handlerCallSince = Math.max(1, began);
        ClassLoader worker = pipeline.enter();
        try {
            pipeline.handler.handle(item, new RecordContext(record, attempt));
        } catch (Throwable e) {
            failure = e;
        } finally {
            HandlerClassLoader.leave(worker);
            handlerCallSince = 0;
        }
        listener.onHandlerCall(this, clock.nanos() - began);
        if (ledgerFenced != null) {
            throw fenced(ledgerFenced);
        }
        if (state.get() == RunnerState.ABANDONED) {
            throw new Abandoned();
        }
        requireEffectsWritten(record.offset());
        if (failure instanceof Output.OutputFencedException own) {
            throw fenced(own);
        }
        if (failure instanceof Error) {
            handlerErrors.incrementAndGet();
            log.error("Region {} offset {}: the handler threw an Error on attempt {}; contained, the attempt counts as"
                    + " failed", region, record.offset(), attempt, failure);
        } else if (failure instanceof InterruptedException) {
            Thread.interrupted();
        }
        return failure;
    }

    /**
     * Ends the run (it dies; the region resumes from its last checkpoint) when an earlier effect is known not to
     * have been written: checked before every order, after every handler call and before every dead letter,
     * so no later order's effect is sent once the failure is known, and an order whose own effect failed is
     * neither retried nor dead-lettered for it.
     */
    private void requireEffectsWritten(long offset) {
        var failed = ledger.failure();
        if (failed.isPresent()) {
            throw new io.shardwork.ledger.LedgerException("Region " + region + " epoch " + epoch + " at offset " + offset
                    + ": an earlier effect was not written (" + failed.get() + "); stopping before any later effect",
                    failed.get());
        }
    }

    private void deadLetter(DeadLetter letter) throws Fenced {
        requireEffectsWritten(letter.offset());
        DeadLetter.Fitted fitted = letter.fitting(clients.deadLetterMaxBytes());
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(settings.deadLetterTopic(), partition,
                letter.key(), fitted.value());
        fitted.headers().forEach((name, value) -> record.headers().add(new RecordHeader(name, value)));
        try {
            ledger.send(record);
        } catch (LedgerFencedException e) {
            throw fenced(e);
        }
        deadLettered.incrementAndGet();
    }

    /** Checkpoints when due (or when {@code last}): effects durable first, then the fenced write. */
    private void checkpoint(TopicPartition input, boolean last) throws Fenced {
        Exception refused = postRefused;
        if (refused != null) {
            throw fenced(refused);
        }
        long offset = nextOffset;
        if (!last && (paused || offset == postedOffset.get() || clock.nanos() < nextCheckpointNanos)) {
            return;
        }
        try {
            ledger.commit(consumer, input, offset);
        } catch (LedgerFencedException e) {
            throw fenced(e);
        }
        if (ledger.transactional()) {
            committedOffset = offset;
        }
        if (last) {
            writeCheckpoint(offset, true);
            return;
        }
        postCheckpoint(offset);
        refused = postRefused;
        if (refused != null) {
            throw fenced(refused); // told at once (a writer that writes on this thread): not one more order
        }
    }

    /**
     * A periodic checkpoint: posted, written within {@link #postWindow} together with the worker's other regions;
     * the runner goes on at once. Its outcome comes on the store's thread ({@link #posted}).
     */
    private void postCheckpoint(long offset) {
        // the next one falls due an interval after this one was taken, whenever its outcome comes
        nextCheckpointNanos = nextCheckpointAfter(clock.nanos());
        postedOffset.set(offset);
        checkpoints.post(epoch, offset, postWindow(settings.checkpointIntervalMs()), failure -> posted(offset, failure));
    }

    /**
     * How long a posted checkpoint may wait for the worker's other regions: a fifth of the interval. The regions
     * fall due at the same instant ({@link #nextCheckpointAfter}) and post once their acknowledgements are in, a
     * few to a few tens of milliseconds apart, so a fifth still gathers a worker's tick into one ZooKeeper multi;
     * a whole interval (as first built) held every position back up to an interval more than needed: a region's
     * last order became durable up to two intervals after it was handled.
     */
    static Duration postWindow(long checkpointIntervalMs) {
        return Duration.ofMillis(Math.max(1, checkpointIntervalMs / POST_WINDOW_DIVISOR));
    }

    /** {@link #postWindow} is the checkpoint interval divided by this. */
    static final int POST_WINDOW_DIVISOR = 5;

    /** On the store's thread: how the post of {@code offset} ended. */
    private void posted(long offset, Exception failure) {
        if (failure == null) {
            advanceCheckpointed(offset);
            checkpointCount.incrementAndGet();
        } else if (failure instanceof RegionFencedException) {
            postRefused = failure;
        } else {
            checkpointFailures.incrementAndGet();
            postedOffset.compareAndSet(offset, -1);
            log.warn("Region {} epoch {}: checkpoint at offset {} failed, retrying at the next interval: {}", region,
                    epoch, offset, failure.toString());
        }
    }

    private synchronized void advanceCheckpointed(long offset) {
        if (offset > checkpointedOffset) {
            checkpointedOffset = offset;
        }
    }

    /** A checkpoint the runner waits for: the final one, and one that follows Kafka's committed offset at the start. */
    private void writeCheckpoint(long offset, boolean last) throws Fenced {
        try {
            if (last) {
                checkpoints.commitFinal(epoch, offset);
            } else {
                checkpoints.commit(epoch, offset);
            }
            postedOffset.set(offset);
            advanceCheckpointed(offset);
            checkpointCount.incrementAndGet();
        } catch (RegionFencedException e) {
            throw fenced(e);
        } catch (RuntimeException e) {
            checkpointFailures.incrementAndGet();
            if (last) {
                throw e;
            }
            log.warn("Region {} epoch {}: checkpoint at offset {} failed, retrying at the next interval: {}", region,
                    epoch, offset, e.toString());
        }
        nextCheckpointNanos = nextCheckpointAfter(clock.nanos());
    }

    /**
     * The first multiple of {@code checkpoint.interval.ms} after {@code nanos}. Every runner of a worker shares the
     * clock's origin, so all its regions fall due together: the time until every region's position is durable is at
     * most one interval (with each region on a phase of its own it was the latest of as many phases as regions, about
     * a whole interval with 16), and the worker's checkpoint writes come at one moment instead of spread over it.
     */
    private long nextCheckpointAfter(long nanos) {
        long interval = Math.max(1, TimeUnit.MILLISECONDS.toNanos(settings.checkpointIntervalMs()));
        return (Math.floorDiv(nanos, interval) + 1) * interval;
    }

    /** The region is fenced: with key ordering, the sends of calls still in flight are refused from now on. */
    private Fenced fenced(Exception cause) {
        if (ledger instanceof SerializedLedger serialized) {
            serialized.refuse(cause);
        }
        fencedWritesRejected.incrementAndGet();
        return new Fenced(cause);
    }

    private void finish(boolean graceful, Exception fencing, Throwable failure) {
        RunnerState end = graceful && failure == null && fencing == null ? RunnerState.STOPPED
                : fencing != null ? RunnerState.FENCED
                : failure != null ? RunnerState.DIED
                : RunnerState.ABANDONED;
        RunnerState before = state.getAndUpdate(current -> current == RunnerState.ABANDONED ? current : end);
        RunnerState reported = before == RunnerState.ABANDONED ? RunnerState.ABANDONED : end;
        closeClients(reported == RunnerState.STOPPED);
        try {
            switch (reported) {
                case STOPPED -> {
                    log.info("Region {} epoch {} stopped at offset {}", region, epoch, nextOffset);
                    listener.onStopped(this, nextOffset);
                }
                case FENCED -> {
                    log.warn("Region {} epoch {} fenced, stopped without commit: {}", region, epoch, fencing.toString());
                    listener.onFenced(this, fencing);
                }
                case DIED -> {
                    log.error("Region {} epoch {} died at offset {}", region, epoch, nextOffset, failure);
                    listener.onDied(this, failure);
                }
                default -> {
                    log.info("Region {} epoch {} abandoned at offset {} (last checkpoint {})", region, epoch,
                            nextOffset, checkpointedOffset);
                    listener.onAbandoned(this);
                }
            }
        } catch (RuntimeException e) {
            log.error("A runner listener of region {} threw", region, e);
        } finally {
            ended.countDown();
        }
    }

    private void closeClients(boolean graceful) {
        RegionLedger currentLedger = ledger;
        if (currentLedger != null) {
            try {
                if (graceful) {
                    currentLedger.close();
                } else {
                    currentLedger.abandon();
                }
            } catch (RuntimeException e) {
                log.warn("Closing the producer of region {} failed: {}", region, e.toString());
            }
        }
        Consumer<byte[], byte[]> currentConsumer = consumer;
        if (currentConsumer != null) {
            try {
                currentConsumer.close(CloseOptions.timeout(Duration.ZERO));
            } catch (RuntimeException e) {
                log.warn("Closing the consumer of region {} failed: {}", region, e.toString());
            }
        }
    }

    /** The runner's steps as the key-ordered loop uses them. */
    private final class KeyedHost implements KeyOrderedLoop.Host {
        private final TopicPartition input;

        KeyedHost(TopicPartition input) {
            this.input = input;
        }

        @Override
        public boolean running() {
            return RegionRunner.this.running();
        }

        @Override
        public boolean stopping() {
            return state.get() == RunnerState.STOPPING;
        }

        @Override
        public boolean paused() {
            return paused;
        }

        @Override
        public void awaitResumed() throws Abandoned {
            RegionRunner.this.awaitResumed();
        }

        @Override
        public boolean transactional() {
            return ledger.transactional();
        }

        @Override
        public List<ConsumerRecord<byte[], byte[]>> nextRecords(Duration timeout) {
            return RegionRunner.this.nextRecords(input, timeout);
        }

        @Override
        public boolean checkpointDue() {
            return !paused && clock.nanos() >= nextCheckpointNanos;
        }

        @Override
        public void progress(long done, int handled, boolean checkpoint) throws Fenced {
            nextOffset = done;
            processed.addAndGet(handled);
            if (checkpoint) {
                checkpoint(input, false);
            }
        }

        @Override
        public Object decode(ConsumerRecord<byte[], byte[]> record) throws Fenced {
            current.record = record;
            return RegionRunner.this.decode(pipeline, record);
        }

        @Override
        public boolean handle(Object item, ConsumerRecord<byte[], byte[]> record) throws Fenced, Abandoned {
            LogContext.runner(settings.workerId(), region, epoch);
            return handleDecoded(pipeline, item, record);
        }

        @SuppressWarnings("unchecked")
        private <T> boolean handleDecoded(Pipeline<T> pipeline, Object item, ConsumerRecord<byte[], byte[]> record)
                throws Fenced, Abandoned {
            return RegionRunner.this.handle(pipeline, (T) item, record);
        }

        @Override
        public void updateLag() {
            lag = lagOf(input);
        }

        @Override
        public Exception interrupted() {
            Thread.currentThread().interrupt();
            return new Abandoned();
        }

        @Override
        public void refuseSends(Throwable cause) {
            if (ledger instanceof SerializedLedger serialized) {
                serialized.refuse(cause);
            }
        }

        @Override
        public Exception withoutFinalCommit() {
            log.info("Region {} epoch {}: stopping with an unfinished order; no final commit, the next owner handles"
                    + " the orders from offset {} again", region, epoch, checkpointedOffset);
            nextOffset = checkpointedOffset;
            return new Abandoned();
        }
    }

    /**
     * Loads and initializes the classes a run goes through from its start to its first order, so that a worker's
     * first claim does not load them on the coordinator's and the run's threads: a joiner's class-load log in the
     * handoff benchmark showed about 25 of them (this class, its record context and pipeline, the ledgers, the
     * standby memory handed over) loaded between its claim and its first order. Called once when a worker starts
     * ({@link RegionRunnerFactory#warmUp()}); runs nothing of theirs but their static initializers.
     */
    static void loadClasses() {
        List<Class<?>> classes = List.of(RegionRunner.class, Pipeline.class, RecordContext.class, KeyedHost.class,
                Fenced.class, Abandoned.class, RunnerState.class, RunnerStats.class, StandbyMemory.class,
                io.shardwork.ledger.AtLeastOnceLedger.class, io.shardwork.ledger.TransactionalLedger.class,
                io.shardwork.ledger.LedgerException.class,
                io.shardwork.ledger.LedgerFencedException.class, RegionFencedException.class,
                io.shardwork.deadletter.JitterSource.class);
        for (Class<?> loaded : classes) {
            try {
                Class.forName(loaded.getName(), true, loaded.getClassLoader());
            } catch (ClassNotFoundException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** The region's epoch was rejected; unwinds the runner thread. */
    private static final class Fenced extends Exception {
        final Exception cause;

        Fenced(Exception cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }

    /** {@link #abandon()} was called; unwinds the runner thread. */
    private static final class Abandoned extends Exception {
        Abandoned() {
            super("abandoned", null, false, false);
        }
    }

    /**
     * The handler of this run and its decoder: {@code T} is fixed for the run. Runner thread only (handle: a pool
     * thread with key ordering).
     *
     * <p>The handler's code runs with the thread's context class loader set to the handler's (a plugin's own loader,
     * which shows the plugin and the API alone), everything else with the thread's own: Kafka resolves the classes
     * of a client it builds (deserializers, assignors, reporters) through the context class loader, and the runner
     * thread builds its clients after the handler opened (a cold consumer when no spare is ready, a transactional
     * producer, the shared producer of a first dead letter). Hence {@link #enter()} and {@link #leave} around every
     * call into the handler or its decoder.
     */
    private static final class Pipeline<T> {
        Handler<T> handler;
        final HandlerConfig config;
        Decoder<T> decoder;
        boolean opened;
        /** This run's own instance, unopened, while a standby's runs instead ({@link #adopt}); else null. */
        private Handler<T> own;

        Pipeline(Handler<T> handler, HandlerConfig config) {
            this.handler = Objects.requireNonNull(handler, "handler");
            this.config = Objects.requireNonNull(config, "handlerConfig");
        }

        /** Sets the handler's class loader as the thread's context class loader; returns the one it replaced. */
        ClassLoader enter() {
            return HandlerClassLoader.enter(handler);
        }

        void open() throws Exception {
            ClassLoader worker = enter();
            try {
                handler.open(config);
                opened = true;
                decoder = Objects.requireNonNull(handler.decoder(), "the handler's decoder()");
            } finally {
                HandlerClassLoader.leave(worker);
            }
        }

        /** Runs a standby's opened instance, with the decoder it took from it, instead of this run's own, unopened one. */
        @SuppressWarnings("unchecked")
        void adopt(Handler<?> standby, Decoder<?> itsDecoder) {
            own = handler;
            handler = (Handler<T>) standby;
            decoder = (Decoder<T>) itsDecoder;
            opened = true;
        }

        /** Closes the adopted standby instance and opens this run's own; returns what the close threw, or null. */
        Throwable reopen() {
            Throwable closing = close();
            handler = own;
            own = null;
            try {
                open();
            } catch (Exception e) {
                throw new IllegalStateException("the handler " + handler.getClass().getName() + " did not open", e);
            }
            return closing;
        }

        /** Closes an opened handler; returns what it threw, or null. */
        Throwable close() {
            if (!opened) {
                return null;
            }
            opened = false;
            ClassLoader worker = enter();
            try {
                handler.close();
                return null;
            } catch (Throwable e) {
                return e;
            } finally {
                HandlerClassLoader.leave(worker);
            }
        }
    }

    private final class RecordContext implements Context, Output {
        private final ConsumerRecord<byte[], byte[]> record;
        private final int attempt;

        RecordContext(ConsumerRecord<byte[], byte[]> record, int attempt) {
            this.record = record;
            this.attempt = attempt;
        }

        @Override
        public String region() {
            return region;
        }

        @Override
        public int partition() {
            return partition;
        }

        @Override
        public long offset() {
            return record.offset();
        }

        @Override
        public long epoch() {
            return epoch;
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public String workerId() {
            return settings.workerId();
        }

        @Override
        public String idempotencyKey() {
            return record.topic() + "-" + record.partition() + "@" + record.offset();
        }

        @Override
        public byte[] key() {
            return record.key();
        }

        @Override
        public Headers headers() {
            return new RecordHeaders(record);
        }

        @Override
        public Output output() {
            return this;
        }

        @Override
        public void send(String topic, byte[] key, byte[] value, Map<String, String> headers) {
            if (ledgerFenced != null) {
                throw new OutputFencedException("Region " + region + " epoch " + epoch + " is fenced", ledgerFenced);
            }
            if (state.get() == RunnerState.ABANDONED) {
                throw new OutputFencedException("Region " + region + " epoch " + epoch + " was abandoned");
            }
            ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topic, partition, key, value);
            headers.forEach((name, text) -> out.headers().add(new RecordHeader(name,
                    text.getBytes(StandardCharsets.UTF_8))));
            try {
                ledger.send(out);
            } catch (LedgerFencedException e) {
                ledgerFenced = e;
                throw new OutputFencedException(e.getMessage(), e);
            }
        }
    }
}
