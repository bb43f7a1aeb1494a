package io.shardwork.node;

import io.shardwork.assigner.StickyWeightedAssigner;
import io.shardwork.config.RegionSpec;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.config.DefinitionMerge;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.layout.DefinitionDocument;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import io.shardwork.coordination.CoordinationSettings;
import io.shardwork.coordination.DigestCredentials;
import io.shardwork.coordination.worker.OwnershipListener;
import io.shardwork.coordination.worker.WorkerCoordinator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shardwork.coordination.ownership.OwnershipState;
import io.shardwork.history.HistoryCheckpointStore;
import io.shardwork.history.HistoryRecorder;
import io.shardwork.leader.TimeSource;
import io.shardwork.metrics.ClaimTimers;
import io.shardwork.metrics.HandlerTimers;
import io.shardwork.metrics.HealthState;
import io.shardwork.metrics.JvmMeters;
import io.shardwork.metrics.KafkaClientMeters;
import io.shardwork.metrics.WorkerMetrics;
import io.shardwork.metrics.ZooKeeperOperationCounter;
import io.shardwork.runner.RegionFencedException;
import io.shardwork.runner.RegionRunner;
import io.shardwork.runner.RegionRunnerFactory;
import io.shardwork.runner.RunnerListener;
import io.shardwork.runner.RunnerState;
import io.shardwork.runner.RunnerStats;
import io.shardwork.runner.TopicLayout;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * One worker node: the coordination layer (membership, leader candidacy, claims, fenced checkpoints) and
 * the order runners of the regions it holds, built from one validated configuration. Start once; close
 * gracefully (every region released: final checkpoint, claim deleted) or crash-like for tests.
 *
 * <p>Every node keeps its meters in its own Prometheus registry ({@link #meterRegistry()}, common tag
 * {@code worker}) and its {@link #health()}; serving them over HTTP is the caller's choice
 * ({@link io.shardwork.metrics.MetricsEndpoint}).
 */
public final class WorkerNode implements Closeable {
    private final ShardworkConfig config;
    private final RegionRunnerFactory runners;
    private final WorkerCoordinator coordinator;
    private final AtomicReference<RunnerLifecycle> lifecycle = new AtomicReference<>();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ZooKeeperOperationCounter zookeeperOperations;
    private final HealthState health;
    private final HistoryRecorder history;
    private final JvmMeters jvmMeters;
    private final AtomicReference<AutoCloseable> kafkaClientMetrics = new AtomicReference<>();

    /**
     * Builds the node; connects nothing until {@link #start()}.
     *
     * @param config the host file merged with the cluster definition: {@link ClusterDefinitions#resolve}
     * @throws io.shardwork.handler.HandlerLoadException when the configured handler cannot be loaded
     * @throws IllegalArgumentException when {@code config} is a file alone, not merged with the definition
     */
    public WorkerNode(ShardworkConfig config, OwnershipListener listener) {
        if (config.definitionVersion() == DefinitionDocument.NO_VERSION) {
            throw new IllegalArgumentException("A worker runs from its host file merged with the cluster definition: pass"
                    + " ClusterDefinitions.resolve(" + config.source() + "), not the file alone.");
        }
        this.config = config;
        this.history = config.historyDir().map(dir -> openHistory(dir, config.workerId())).orElse(null);
        this.runners = RegionRunnerFactory.builder(config).workerId(config.workerId())
                .onSharedProducer(producer -> kafkaClientMetrics.set(KafkaClientMeters.bind(producer, meters))).build();
        Map<String, Integer> partitions = new ConcurrentHashMap<>(config.regions().stream()
                .collect(Collectors.toMap(RegionSpec::name, RegionSpec::partition)));
        Duration stopTimeout = Duration.ofMillis(config.shutdownTimeoutMs());
        meters.config().commonTags("worker", config.workerId());
        ClaimTimers timers = new ClaimTimers(meters, history == null ? listener : history.alongside(listener));
        this.coordinator = new WorkerCoordinator(settings(config), new StickyWeightedAssigner(), checkpoints -> {
            RunnerLifecycle created = new RunnerLifecycle(runners, history == null ? checkpoints
                    : new HistoryCheckpointStore(checkpoints, history, config.workerId()), partitions, stopTimeout);
            lifecycle.set(created);
            return created;
        }, timers, TimeSource.system());
        lifecycle.get().onWorkEnded(coordinator::workEnded);
        coordinator.runSettings(DefinitionMerge.definitionOf(config).settings());
        coordinator.onDefinitionAdopted(definition -> {
            partitions.putAll(definition.document().partitions());
            runners.regionsChanged(definition.document().partitions().size());
        });

        this.zookeeperOperations = new ZooKeeperOperationCounter(meters);
        zookeeperOperations.install(coordinator.client().getZookeeperClient());
        this.health = new HealthState(config.workerId(), coordinator::failure,
                region -> coordinator.ownership(region).state() != OwnershipState.IDLE);
        coordinator.client().getConnectionStateListenable().addListener(health);
        health.requireRunning(this::heldNotRunning);
        HandlerTimers handlerTimers = new HandlerTimers(meters.getPrometheusRegistry(), partitions.keySet().stream().sorted().toList());
        lifecycle.get().observeRunners(new RunnerListener() {
            @Override
            public void onHandlerCall(RegionRunner runner, long nanos) {
                handlerTimers.record(runner.region(), nanos);
            }

            @Override
            public void onStarted(RegionRunner runner, long startOffset) {
                timers.runnerStarted(runner.region(), runner.epoch());
                health.runnerStarted(runner.region(), runner.epoch());
            }

            @Override
            public void onDied(RegionRunner runner, Throwable cause) {
                health.runnerDied(runner.region(), runner.epoch(), cause);
            }
        });
        Duration handlerTimeout = Duration.ofMillis(config.handlerTimeoutMs());
        lifecycle.get().watchHandlers(handlerTimeout, new RunnerLifecycle.HandlerWatchListener() {
            @Override
            public void hung(String region, long epoch, Duration running) {
                health.handlerHung(region, epoch, running, handlerTimeout);
            }

            @Override
            public void recovered(String region) {
                health.handlerRecovered(region);
            }

            @Override
            public void gaveUp(String region, long epoch, Duration running) {
            }
        });
        io.micrometer.core.instrument.Gauge.builder("shardwork.keyed.pool.threads", runners, RegionRunnerFactory::keyedPoolThreads)
                .description("Threads for the handler calls of key-ordered regions: runner.concurrency per region of the definition,"
                        + " at most 1024; 0 with runner.ordering=region").register(meters);
        io.micrometer.core.instrument.FunctionCounter.builder("shardwork.handler.timeouts", lifecycle.get(), RunnerLifecycle::handlerTimeouts)
                .description("Handler calls that ran longer than handler.timeout.ms").register(meters);
        RestartBackoffPublisher.bind(lifecycle.get().restartBackoff(), coordinator);
        for (String region : partitions.keySet().stream().sorted().toList()) {
            RestartBackoff restarts = lifecycle.get().restartBackoff();
            io.micrometer.core.instrument.Gauge.builder("shardwork.region.restart.backoff.ms", restarts, r -> r.delayMs(region))
                    .description("Wait before the region is claimed again after its runner died, growing with deaths in a row; 0 when none")
                    .tag("region", region).register(meters);
            io.micrometer.core.instrument.Gauge.builder("shardwork.region.runner.deaths.consecutive", restarts, r -> r.consecutiveDeaths(region))
                    .description("Deaths of the region's runner in a row without progress; 0 when none")
                    .tag("region", region).register(meters);
        }
        WorkerMetrics.bind(meters, coordinator, partitions.keySet().stream().sorted().toList(),
                lifecycle.get().totals(), lifecycle.get()::runningStats);
        WorkerMetrics.bindHealth(meters, health);
        this.jvmMeters = JvmMeters.bind(meters);
        if (history != null) {
            lifecycle.get().onFenced((region, epoch, cause) -> {
                if (cause instanceof io.shardwork.coordination.checkpoint.FencedException) {
                    history.fenced(region, config.workerId(), epoch, "abandoned");
                } else if (!(cause instanceof RegionFencedException)) {
                    history.fenced(region, config.workerId(), epoch, "producer");
                }
            });
        }
    }

    /** Regions this worker holds and works on (OWNED) whose runner has not started fetching, or ended. */
    private List<String> heldNotRunning() {
        Set<String> running = lifecycle.get().runningStats().stream()
                .filter(stats -> stats.state() == RunnerState.RUNNING && stats.startOffset() >= 0)
                .map(RunnerStats::region).collect(Collectors.toSet());
        return coordinator.heldRegions().stream()
                .filter(region -> coordinator.ownership(region).state() == OwnershipState.OWNED && !running.contains(region))
                .toList();
    }

    private static HistoryRecorder openHistory(Path dir, String workerId) {
        try {
            return HistoryRecorder.open(dir, workerId);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the ownership history in " + dir + " (history.dir): " + e.getMessage(), e);
        }
    }

    /** Maps a validated deployment file to the coordination layer's settings. */
    public static CoordinationSettings settings(ShardworkConfig config) {
        return new CoordinationSettings(config.clusterName(), config.workerId(), config.workerZone(), config.workerCapacity(),
                config.zookeeperConnect(), config.zookeeperSessionTimeoutMs(), config.zookeeperConnectionTimeoutMs(),
                config.rebalanceDelayMs(), config.rebalanceMaxMoves(),
                config.regions().stream().map(RegionSpec::toRegion).toList(),
                config.zookeeperAuthDigest().map(DigestCredentials::parse), config.clients().zookeeper());
    }

    /** How long the start waits for Kafka to describe the topics. */
    private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Checks the topics ({@link TopicLayout}), connects, registers and joins the election; blocks until registered.
     *
     * @throws io.shardwork.coordination.membership.DuplicateWorkerException when a live worker has this id
     * @throws io.shardwork.config.ConfigException when the orders, invoices or dead-letter topic is missing or has
     *         too few partitions for the regions
     * @throws IllegalStateException when ZooKeeper cannot be reached within zookeeper.connection.timeout.ms, or Kafka
     *         does not describe the topics in time
     */
    public void start() throws Exception {
        // Kafka's side and ZooKeeper's side of the start overlap: the topics are checked, and the clients set
        // warming, while the coordinator connects, makes the layout and reads the definition (15-20 ms of a 150 ms
        // start to the first order, more in a new JVM); both before this worker registers
        CompletableFuture<Void> kafkaSide = CompletableFuture.runAsync(() -> {
            // a region whose partition is missing from a topic could never write, and its runner would die on every
            // claim (ConfigException: exit code 2, the worker never registered)
            runners.deadLetterMaxBytes(TopicLayout.check(config, TOPIC_CHECK_TIMEOUT).deadLetterMaxBytes());
            // a new JVM's first Kafka clients take seconds to load, and a joining worker's first regions arrive
            // rebalance.delay.ms after it registers
            runners.warmUp();
        }, task -> {
            Thread thread = new Thread(task, "shardwork-start-kafka-" + config.workerId());
            thread.setDaemon(true);
            thread.start();
        });
        try {
            coordinator.start(() -> awaitKafkaSide(kafkaSide));
        } catch (Exception e) {
            // never leave the check running past a failed start; a bad topic is reported first, as when it was
            // checked before connecting
            try {
                awaitKafkaSide(kafkaSide);
            } catch (Exception kafkaFailure) {
                if (kafkaFailure != e) {
                    kafkaFailure.addSuppressed(e);
                    throw kafkaFailure;
                }
            }
            throw e;
        }
    }

    private static void awaitKafkaSide(CompletableFuture<Void> kafkaSide) throws Exception {
        try {
            kafkaSide.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    public String workerId() {
        return config.workerId();
    }

    public WorkerCoordinator coordinator() {
        return coordinator;
    }

    /** This node's meters; {@code scrape()} gives the Prometheus text. */
    public PrometheusMeterRegistry meterRegistry() {
        return meters;
    }

    /** Whether this node is healthy, and why not. */
    public HealthState health() {
        return health;
    }

    /** The ZooKeeper operations of this node's client so far (see {@link ZooKeeperOperationCounter} for what counts). */
    public long zookeeperOperations() {
        return zookeeperOperations.total();
    }

    /** The regions whose decoder memory this worker keeps warm now, as their standby ({@code standby.replicas}). */
    public Set<String> standbyRegions() {
        return runners.standbyRegions();
    }

    /** Counters of the runners of the regions held now. */
    public List<RunnerStats> runnerStats() {
        return lifecycle.get().runningStats();
    }

    /**
     * Graceful: deregisters, releases every region (stop, final fenced checkpoint, claim deleted), leaves
     * the election, closes the Kafka clients. Blocks until done. Idempotent.
     */
    @Override
    public void close() {
        coordinator.close();
        lifecycle.get().shutdown();
        runners.close();
        KafkaClientMeters.close(kafkaClientMetrics.getAndSet(null));
        jvmMeters.close();
        meters.close();
        closeHistory();
    }

    /** As a crash would: nothing released, no final checkpoint; claims vanish when the session expires. */
    public void crash() {
        coordinator.closeWithoutRelease();
        lifecycle.get().shutdown();
        runners.close();
        KafkaClientMeters.close(kafkaClientMetrics.getAndSet(null));
        jvmMeters.close();
        meters.close();
        closeHistory();
    }

    private void closeHistory() {
        if (history != null) {
            history.close();
        }
    }
}
