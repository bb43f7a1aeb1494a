package io.shardwork.runner;

import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import io.shardwork.config.InstallDirectory;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.deadletter.JitterSource;
import io.shardwork.deadletter.Sleeper;
import io.shardwork.handler.HandlerRegistry;
import io.shardwork.ledger.AtLeastOnceLedger;
import io.shardwork.ledger.RegionLedger;
import io.shardwork.ledger.TransactionalLedger;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the {@link RegionRunner}s of one worker and owns what they share: in at-least-once mode one
 * idempotent producer (acks=all) for all regions (in exactly-once mode each runner owns a
 * transactional producer). Build one per worker, {@link #newRunner} per region claim, and
 * {@link #close()} after every runner has ended. Thread-safe.
 */
public final class RegionRunnerFactory implements AutoCloseable, RegionClients {
    private static final Logger LOG = LoggerFactory.getLogger(RegionRunnerFactory.class);
    /** How long an at-least-once checkpoint waits for acknowledgements: beyond the producer's delivery.timeout.ms (120 s). */
    private static final long ACK_TIMEOUT_MS = 150_000;

    private final ShardworkConfig config;
    private final RunnerSettings settings;
    private final Supplier<Handler<?>> handlers;
    private final HandlerConfig handlerConfig;
    private final MonotonicClock clock;
    private final Sleeper sleeper;
    private final long jitterSeed;
    private final AtomicLong runnersMade = new AtomicLong();
    private final AtomicLong consumersMade = new AtomicLong();
    private final WarmConsumers warm;
    private final java.util.function.Consumer<Producer<byte[], byte[]>> sharedProducerOpened;
    private Producer<byte[], byte[]> shared;
    /** The handler calls of key-ordered regions; null with runner.ordering=region. */
    private final KeyedPool keyedPool;
    /** The memories kept for the regions this worker stands by for. */
    private final StandbyMemories standbys;
    /** The decode path's warm-up of {@link #warmUp}, stopped by the first runner made; null before. */
    private volatile DecoderWarmUp decoderWarmUp;
    private volatile int deadLetterMaxBytes = TopicLayout.DEFAULT_MAX_MESSAGE_BYTES;
    private boolean closed;

    private RegionRunnerFactory(Builder builder) {
        this.config = builder.config;
        this.settings = builder.settings != null ? builder.settings : RunnerSettings.from(config, builder.workerId);
        this.handlerConfig = handlerConfig(config, settings.workerId());
        this.handlers = builder.handlers != null ? builder.handlers : loadHandlers(config, handlerConfig);
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
        this.jitterSeed = builder.jitterSeed;
        this.sharedProducerOpened = builder.sharedProducerOpened;
        int spares = builder.warmConsumers >= 0 ? builder.warmConsumers : config.runnerWarmConsumers();
        this.warm = spares == 0 ? null : new WarmConsumers(this::newConsumer, settings.ordersTopic(), spares,
                builder.refillDelay, WARM_REFRESH, "shardwork-" + settings.workerId() + "-warm-consumers");
        this.standbys = new StandbyMemories(this::newStandbyConsumer, handlers, handlerConfig, settings.ordersTopic(),
                standbyHold(settings), STANDBY_LINGER, STANDBY_SETTLE, clock, System::currentTimeMillis, settings.workerId());
        this.keyedPool = settings.keyOrdering() ? new KeyedPool(settings.workerId(), settings.concurrency(), config.regions().size()) : null;
    }

    /**
     * The cluster definition now has {@code regions} regions (one was added or removed while this worker runs):
     * the pool of key-ordered handler calls takes runner.concurrency threads per region, at most
     * {@value KeyedPool#MAX_THREADS} ({@link KeyedPool}). Nothing to do with runner.ordering=region. Thread-safe.
     */
    public void regionsChanged(int regions) {
        if (keyedPool != null) {
            int before = keyedPool.threads();
            int after = keyedPool.resize(regions);
            if (after != before) {
                LOG.info("The pool of key-ordered handler calls of {} now has {} threads (was {}): {} regions at runner.concurrency {}",
                        settings.workerId(), after, before, regions, settings.concurrency());
            }
        }
    }

    /** The threads of the pool of key-ordered handler calls: how many calls may run at once; 0 with runner.ordering=region. */
    public int keyedPoolThreads() {
        return keyedPool == null ? 0 : keyedPool.threads();
    }

    /** How many records {@link #warmUp} decodes: enough for the JIT to compile the decode path (C2 after ~10,000 calls). */
    static final int WARM_UP_RECORDS = 20_000;
    /** The most time {@link #warmUp} spends decoding. */
    static final Duration WARM_UP_BUDGET = Duration.ofSeconds(10);

    /** How often an idle spare consumer is touched again (under the broker's 9-minute idle-connection limit). */
    static final Duration WARM_REFRESH = Duration.ofMinutes(1);
    /** The pause after a spare was taken before the next is built: not while a takeover starts its regions. */
    static final Duration REFILL_DELAY = Duration.ofSeconds(2);

    /**
     * The worker's handler ({@code handler}) from the built-in names or the jars of {@code handler.path}, checked
     * by opening and closing one instance.
     *
     * @throws io.shardwork.handler.HandlerLoadException naming the class, the jars searched and the cause
     */
    public static Supplier<Handler<?>> loadHandlers(ShardworkConfig config, HandlerConfig handlerConfig) {
        return HandlerRegistry.standard(InstallDirectory.fromSystemProperties().resolve(config.handlerPath()).toAbsolutePath().normalize())
                .resolve(config.handler(), handlerConfig);
    }

    /** What every handler of this worker is opened with: the {@code handler.config.*} settings and the topics. */
    public static HandlerConfig handlerConfig(ShardworkConfig config, String workerId) {
        return new HandlerConfig(config.handlerSettings(), workerId, config.ordersTopic(), config.invoicesTopic(),
                config.deadLetterTopic());
    }

    /** A builder for {@code config}; the worker id defaults to {@link ShardworkConfig#workerId()}. */
    public static Builder builder(ShardworkConfig config) {
        return new Builder(config);
    }

    public RunnerSettings settings() {
        return settings;
    }

    /**
     * A new runner, not started, with a new handler instance; call {@link RegionRunner#start} on it.
     *
     * @param checkpoints the fenced checkpoint store of the region claim it will run under
     * @param listener    hears how it ends; may be null
     */
    public RegionRunner newRunner(CheckpointWriter checkpoints, RunnerListener listener) {
        long n = runnersMade.incrementAndGet();
        DecoderWarmUp warming = decoderWarmUp;
        if (warming != null) {
            warming.stop();
        }
        return new RegionRunner(settings, this, handlers.get(), handlerConfig, checkpoints, listener, clock, sleeper,
                JitterSource.seeded(jitterSeed ^ (n * 0x9E3779B97F4A7C15L)), keyedPool);
    }

    /**
     * Makes the clients of this worker's next claims ready before they are needed. Starts keeping
     * {@code runner.warm.consumers} consumers of the orders topic built and connected (see
     * {@link WarmConsumers}); in at-least-once mode also opens the worker's shared producer, with the
     * metadata of the invoices and dead-letter topics, on a thread of its own: built by a region's first
     * claim instead, in a JVM that never produced, it held every region of that claim back most of a second.
     * And it loads the runner's classes ({@link RegionRunner#loadClasses}), then runs the decode path on the latest
     * records of the orders topic ({@link DecoderWarmUp}), on a thread of its own. Call once the worker runs; without
     * it the first claims build their clients. Returns at once.
     */
    public void warmUp() {
        if (warm != null) {
            warm.start();
        }
        Map<Integer, String> regionOf = new HashMap<>();
        config.regions().forEach(region -> regionOf.put(region.partition(), region.name()));
        decoderWarmUp = new DecoderWarmUp(handlers, handlerConfig, this::newConsumer, settings.ordersTopic(), regionOf,
                WARM_UP_RECORDS, WARM_UP_BUDGET, DecoderWarmUp.JVM_WIDE);
        DecoderWarmUp decoding = decoderWarmUp;
        Thread decode = new Thread(() -> {
            RegionRunner.loadClasses();
            decoding.run();
        }, "shardwork-" + settings.workerId() + "-warm-decoder");
        decode.setDaemon(true);
        decode.start();
        if (!config.exactlyOnce()) {
            Thread producer = new Thread(() -> {
                try {
                    Producer<byte[], byte[]> shared = sharedProducer();
                    shared.partitionsFor(config.invoicesTopic());
                    shared.partitionsFor(config.deadLetterTopic());
                } catch (RuntimeException e) {
                    LOG.debug("Warming the shared producer of {} failed (the first claim opens it): {}", settings.workerId(), e.toString());
                }
            }, "shardwork-" + settings.workerId() + "-warm-producer");
            producer.setDaemon(true);
            producer.start();
        }
    }

    /**
     * The largest record the dead-letter topic takes ({@link TopicLayout.Observed#deadLetterMaxBytes()}); the
     * effects producer's max.request.size and buffer.memory bound it too ({@link KafkaClientSettings#largestRecordBytes}).
     * Runners made afterwards cut larger dead letters to fit.
     */
    public void deadLetterMaxBytes(int maxBytes) {
        this.deadLetterMaxBytes = Math.min(maxBytes, KafkaClientSettings.largestRecordBytes(config));
    }

    @Override
    public int deadLetterMaxBytes() {
        return deadLetterMaxBytes;
    }

    /**
     * How long a standby holds a record before its decoder remembers it: a takeover starts at the owner's last
     * checkpoint, at most about a checkpoint interval behind the records the owner read, and a decoder may only
     * remember records before the start.
     */
    static Duration standbyHold(RunnerSettings settings) {
        return Duration.ofMillis(settings.checkpointIntervalMs() + 1_000);
    }

    /**
     * How long a region newly stood by for waits before its history is read: the assignment that names standbys moves
     * regions too (a join, a leave), and the moves' stops, claims and starts come first.
     */
    static final Duration STANDBY_SETTLE = Duration.ofMillis(500);

    /** How long a standby memory outlives its naming: standbys change with each membership change, and often back. */
    static final Duration STANDBY_LINGER = Duration.ofSeconds(60);

    /**
     * The regions this worker stands by for now (region to partition) and those it owns: keeps a warm decoder
     * memory for each one stood by for, until a runner of it takes it, or {@link #STANDBY_LINGER} after the worker
     * last stood by for it when it does not own it ({@link StandbyMemories}). Any thread; returns at once.
     */
    public void standBy(Map<String, Integer> standingBy, Set<String> owned) {
        standbys.follow(standingBy, owned);
    }

    @Override
    public StandbyMemory standby(String region) {
        return standbys.take(region);
    }

    /** The regions whose standby memory is kept now. */
    public Set<String> standbyRegions() {
        return standbys.kept();
    }

    /** Spare consumers ready now (0 when none are kept). */
    public int warmConsumersReady() {
        return warm == null ? 0 : warm.ready();
    }

    /** A spare consumer when one is ready, else a new one; the client ids are {@code shardwork-<worker>-orders-<n>}. */
    @Override
    public Consumer<byte[], byte[]> consumer(String region, long epoch) {
        return warm != null ? warm.take() : newConsumer();
    }

    private Consumer<byte[], byte[]> newStandbyConsumer() {
        return new KafkaConsumer<>(KafkaClientSettings.standbyConsumer(config, "shardwork-" + settings.workerId() + "-standby"));
    }

    private Consumer<byte[], byte[]> newConsumer() {
        return new KafkaConsumer<>(KafkaClientSettings.regionConsumer(config,
                "shardwork-" + settings.workerId() + "-orders-" + consumersMade.incrementAndGet()));
    }

    @Override
    public RegionLedger ledger(String region, long epoch) {
        if (config.exactlyOnce()) {
            String clientId = "shardwork-" + settings.workerId() + "-" + region + "-e" + epoch + "-tx";
            return new TransactionalLedger(new KafkaProducer<>(KafkaClientSettings.transactionalProducer(config, region,
                    clientId)), TransactionalLedger.transactionalId(config.clusterName(), region));
        }
        return new AtLeastOnceLedger(sharedProducer(), ACK_TIMEOUT_MS);
    }

    private synchronized Producer<byte[], byte[]> sharedProducer() {
        if (closed) {
            throw new IllegalStateException("The runner factory of worker " + settings.workerId() + " is closed");
        }
        if (shared == null) {
            shared = new KafkaProducer<>(KafkaClientSettings.idempotentProducer(config,
                    "shardwork-" + settings.workerId() + "-effects"));
            sharedProducerOpened.accept(shared);
        }
        return shared;
    }

    /**
     * Closes the pool of key-ordered regions (its threads end once their calls return) and the shared producer,
     * waiting up to 5 s for its sends: every region released gracefully has made
     * its effects durable before its final checkpoint, so what can still be pending belongs to abandoned runs,
     * whose progress was not checkpointed. Call after every runner has ended. Idempotent.
     */
    @Override
    public synchronized void close() {
        closed = true;
        standbys.close();
        if (keyedPool != null) {
            keyedPool.shutdown();
        }
        if (warm != null) {
            warm.close();
        }
        if (shared != null) {
            shared.close(Duration.ofSeconds(5));
            shared = null;
        }
    }

    public static final class Builder {
        private final ShardworkConfig config;
        private String workerId;
        private RunnerSettings settings;
        private Supplier<Handler<?>> handlers;
        private MonotonicClock clock = MonotonicClock.SYSTEM;
        private Sleeper sleeper;
        private long jitterSeed = System.nanoTime();
        private int warmConsumers = -1;
        private Duration refillDelay = REFILL_DELAY;
        private java.util.function.Consumer<Producer<byte[], byte[]>> sharedProducerOpened = producer -> { };

        private Builder(ShardworkConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder workerId(String workerId) {
            this.workerId = Objects.requireNonNull(workerId, "workerId");
            return this;
        }

        /** Overrides the settings derived from the configuration (tests). */
        public Builder settings(RunnerSettings settings) {
            this.settings = settings;
            return this;
        }

        /**
         * The handler factory; by default the configured {@code handler} resolved (and checked by opening one
         * instance) by {@link HandlerRegistry#standard}, which may throw {@link io.shardwork.handler.HandlerLoadException}.
         */
        public Builder handlers(Supplier<Handler<?>> handlers) {
            this.handlers = handlers;
            return this;
        }

        public Builder clock(MonotonicClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Waits between retries; by default a wait that {@link RegionRunner#abandon()} cuts short. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        /** Overrides {@code runner.warm.consumers} (tests, benchmarks): 0 builds a consumer per claim. */
        public Builder warmConsumers(int spares) {
            this.warmConsumers = spares;
            return this;
        }

        /** Overrides the pause between a spare taken and the next one built (tests). */
        public Builder refillDelay(Duration delay) {
            this.refillDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /** Hears the at-least-once shared producer once it is built (e.g. to bind its client metrics); under its lock. */
        public Builder onSharedProducer(java.util.function.Consumer<Producer<byte[], byte[]>> opened) {
            this.sharedProducerOpened = Objects.requireNonNull(opened, "opened");
            return this;
        }

        public Builder jitterSeed(long seed) {
            this.jitterSeed = seed;
            return this;
        }

        public RegionRunnerFactory build() {
            if (workerId == null) {
                workerId = config.workerId();
            }
            return new RegionRunnerFactory(this);
        }
    }
}
