package io.shardwork.cli.demo;

import io.shardwork.cli.CommandFailure;
import io.shardwork.cli.ExitCodes;
import io.shardwork.cli.ShutdownSignal;
import io.shardwork.cli.cluster.ClusterConnection;
import io.shardwork.cli.devcluster.DevCluster;
import io.shardwork.cli.process.WorkerProcess;
import io.shardwork.config.RegionSpec;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.coordination.status.ClusterStatusReader;
import io.shardwork.embedded.EmbeddedCluster;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.produce.GeneratedOrder;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.produce.OrderProducer;
import io.shardwork.verify.Verifier;
import io.shardwork.verify.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One demo run, start to verdict, on the calling thread:
 *
 * <ol>
 *   <li>Start ZooKeeper and Kafka in this JVM on free ports; create the topics; write the run's config.</li>
 *   <li>Start the worker JVMs and wait until every one is a member holding at least one region.</li>
 *   <li>Produce the orders (paced) on a thread; follow invoices with an {@link InvoiceTracker}.</li>
 *   <li>When half the orders are produced, SIGKILL the victims, after noting their regions and epochs.</li>
 *   <li>Wait until every produced order is invoiced or dead-lettered (or the settle timeout passes).</li>
 *   <li>Run the {@link Verifier}; compute the takeover figures; return the report.</li>
 * </ol>
 *
 * Every process and server it started is stopped before {@link #run} returns or throws, also when the
 * {@link ShutdownSignal} is raised (Ctrl-C); a JVM shutdown hook kills the worker JVMs as a last resort.
 */
final class DemoRun {
    private static final Logger log = LoggerFactory.getLogger(DemoRun.class);
    private static final long REFRESH_MS = 250;
    private static final long PLAIN_LINE_MS = 2_000;
    private static final Duration WORKER_STOP = Duration.ofSeconds(15);
    private static final Duration TAKEOVER_GRACE = Duration.ofSeconds(5);

    private final DemoPlan plan;
    private final PrintWriter out;
    private final ShutdownSignal signal;
    private final boolean terminal;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private final Set<String> killed = new HashSet<>();
    private final List<DemoReport.Kill> kills = new ArrayList<>();
    private final Map<String, InvoiceTracker.TakeoverWatch> watches = new LinkedHashMap<>();
    private final Map<String, Long> killedAtWallMs = new LinkedHashMap<>();
    private long startNanos;
    private long startWallMs;
    private int framedLines;

    DemoRun(DemoPlan plan, PrintWriter out, ShutdownSignal signal, boolean terminal) {
        this.plan = plan;
        this.out = out;
        this.signal = signal;
        this.terminal = terminal;
    }

    DemoReport run() throws Exception {
        startNanos = System.nanoTime();
        startWallMs = System.currentTimeMillis();
        ShardworkConfig base = ShardworkConfig.load(plan.baseConfig());
        Path clusterDir = plan.runDir().resolve("cluster");
        deleteRecursively(clusterDir);
        Files.createDirectories(plan.runDir());
        try (ServerLogFile serverLogs = ServerLogFile.open(plan.runDir().resolve("servers.log"))) {
            out.printf("starting ZooKeeper and Kafka on free ports (their log: %s)%n", plan.runDir().resolve("servers.log"));
            out.flush();
            return runWithServers(base, clusterDir);
        }
    }

    private DemoReport runWithServers(ShardworkConfig base, Path clusterDir) throws Exception {
        EmbeddedCluster cluster = startServers(base, clusterDir);
        Thread reaper = new Thread(this::killWorkers, "demo-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        InvoiceTracker tracker = null;
        Thread producerThread = null;
        CuratorFramework client = null;
        try {
            ShardworkConfig config = writeConfig(cluster);
            out.printf("servers ready: zookeeper %s, kafka %s; config %s%n", cluster.zookeeperConnect(), cluster.kafkaBootstrap(),
                    plan.runDir().resolve("demo.properties"));
            ClusterDefinitions.applyOrThrow(config, true);
            if (!plan.processingOverrides().isEmpty()) {
                out.printf("ordering %s, concurrency %d, billing latency %s ms%n", config.keyOrdering() ? "key" : "region",
                        config.runnerConcurrency(), config.handlerSettings().getOrDefault("billing.latency.ms", "0"));
            }
            startWorkers();
            out.printf("started %d workers (-Xmx%s%s), logs %s%n", plan.workers(), plan.workerHeap(),
                    plan.supervised() ? ", each under a supervisor" : "", plan.runDir().resolve("worker-N.log"));
            out.flush();
            client = ClusterConnection.open(config);
            ClusterStatusReader reader = new ClusterStatusReader(client, new ClusterPaths(config.clusterName()));
            ClusterStatus settled = awaitSettled(reader);
            out.printf("leader %s; every worker holds regions; producing %d orders at %.0f/s%n", settled.leader(), plan.orders(), plan.rate());
            out.flush();

            tracker = new InvoiceTracker(config);
            tracker.start();
            AtomicLong produced = new AtomicLong();
            AtomicReference<Exception> producerFailure = new AtomicReference<>();
            producerThread = startProducer(config, produced, producerFailure);

            boolean completed = follow(config, reader, tracker, produced, producerThread, producerFailure);
            out.println("verifying ...");
            out.flush();
            VerifyReport verify = new Verifier(config, Duration.ofMinutes(2)).verify();
            long elapsedMs = elapsedMs();
            return new DemoReport(verify, List.copyOf(kills), takeoverFigures(), config.zookeeperSessionTimeoutMs(), elapsedMs,
                    completed, cluster.zookeeperConnect(), cluster.kafkaBootstrap(), plan.supervised());
        } finally {
            if (producerThread != null) {
                producerThread.interrupt();
                producerThread.join(10_000);
            }
            if (tracker != null) {
                tracker.close();
            }
            stopWorkers();
            if (client != null) {
                client.close();
            }
            cluster.close();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs anyway
            }
        }
    }

    private EmbeddedCluster startServers(ShardworkConfig base, Path clusterDir) {
        EmbeddedCluster.Settings settings = new EmbeddedCluster.Settings("127.0.0.1", 0, 0, 0, clusterDir, base.devZookeeperTickMs());
        return DevCluster.startWithTopics(settings, base.topicPartitions());
    }

    private ShardworkConfig writeConfig(EmbeddedCluster cluster) throws IOException {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("cluster.name", "demo");
        overrides.put("zookeeper.connect", cluster.zookeeperConnect());
        overrides.put("kafka.bootstrap.servers", cluster.kafkaBootstrap());
        overrides.put("dev.data.dir", plan.runDir().resolve("cluster").toString());
        overrides.put("handler", "billing");
        overrides.put("delivery", plan.delivery());
        overrides.putAll(plan.processingOverrides());
        Path file = DemoConfigFile.write(plan.baseConfig(), plan.runDir().resolve("demo.properties"), overrides);
        return ShardworkConfig.load(file);
    }

    private void startWorkers() throws IOException {
        for (int i = 1; i <= plan.workers(); i++) {
            String id = "worker-" + i;
            Path logFile = plan.runDir().resolve(id + ".log");
            Files.deleteIfExists(logFile);
            Path config = plan.runDir().resolve("demo.properties");
            workers.add(plan.supervised() ? WorkerProcess.startSupervised(config, id, plan.workerHeap(), logFile)
                    : WorkerProcess.start(config, id, plan.workerHeap(), logFile));
        }
    }

    /** Waits until every worker is a member, a leader is elected and every worker has a live claim on a region. */
    private ClusterStatus awaitSettled(ClusterStatusReader reader) throws Exception {
        Set<String> ids = workers.stream().map(WorkerProcess::workerId).collect(Collectors.toSet());
        Predicate<ClusterStatus> settled = status -> {
            Set<String> members = status.members().stream().map(ClusterStatus.MemberStatus::id).collect(Collectors.toSet());
            Set<String> holders = status.regions().stream().map(ClusterStatus.RegionStatus::claimedBy).filter(h -> h != null).collect(Collectors.toSet());
            return members.equals(ids) && status.leader() != null && holders.equals(ids)
                    && status.regions().stream().allMatch(r -> r.claimedBy() != null && r.claimedBy().equals(r.owner()));
        };
        long deadline = System.nanoTime() + plan.settleTimeout().toNanos();
        ClusterStatus last = null;
        while (true) {
            checkInterrupted();
            for (WorkerProcess worker : workers) {
                if (!worker.isAlive()) {
                    throw new CommandFailure(ExitCodes.FAILURE, "Worker " + worker.workerId() + " exited while starting; see " + worker.log());
                }
            }
            last = reader.read();
            if (settled.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new CommandFailure(ExitCodes.FAILURE, "The workers did not settle within " + plan.settleTimeout().toSeconds()
                        + " s (every worker a member holding a region); last status: " + last);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private Thread startProducer(ShardworkConfig config, AtomicLong produced, AtomicReference<Exception> failure) {
        Thread thread = new Thread(() -> {
            try (OrderProducer producer = new OrderProducer(config)) {
                Iterator<GeneratedOrder> orders = new OrderGenerator(config.regions(), startWallMs).orders(plan.orders(), 0);
                producer.produce(new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return orders.hasNext();
                    }

                    @Override
                    public GeneratedOrder next() {
                        produced.incrementAndGet();
                        return orders.next();
                    }
                }, plan.rate());
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failure.set(e);
            }
        }, "demo-producer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Shows progress, kills midway, and returns whether every produced order was settled in time. */
    private boolean follow(ShardworkConfig config, ClusterStatusReader reader, InvoiceTracker tracker, AtomicLong produced,
                           Thread producerThread, AtomicReference<Exception> producerFailure) throws Exception {
        long producedDoneAt = 0;
        long settledAt = 0;
        long lastPlainLine = 0;
        ClusterStatus status = null;
        while (true) {
            checkInterrupted();
            if (producerFailure.get() != null) {
                throw new CommandFailure(ExitCodes.FAILURE, "Producing orders failed: " + producerFailure.get().getMessage(), producerFailure.get());
            }
            if (tracker.failure() != null) {
                throw new CommandFailure(ExitCodes.FAILURE, "Following the invoices failed: " + tracker.failure().getMessage(), tracker.failure());
            }
            try {
                status = reader.read();
            } catch (Exception unreadable) {
                log.debug("status read failed", unreadable);
            }
            if (kills.isEmpty() && plan.victims() > 0 && produced.get() >= plan.orders() / 2 && status != null) {
                killVictims(config, reader.read(), tracker);
            }
            boolean producing = producerThread.isAlive();
            if (!producing && producedDoneAt == 0) {
                producedDoneAt = System.nanoTime();
            }
            boolean settled = !producing && tracker.settled() >= produced.get();
            if (settled && settledAt == 0) {
                settledAt = System.nanoTime();
            }
            // a region with no order after its owner's death shows no new owner's invoice: no figure, after a grace
            boolean done = settled && (watchesResolved() || System.nanoTime() - settledAt > TAKEOVER_GRACE.toNanos());
            boolean late = !producing && System.nanoTime() - producedDoneAt > plan.settleTimeout().toNanos();
            ProgressView.Snapshot snapshot = new ProgressView.Snapshot(elapsedMs(), produced.get(), plan.orders(), tracker.settled(),
                    status, Set.copyOf(killed));
            if (terminal) {
                redraw(ProgressView.frame(snapshot));
            } else if (done || late || elapsedMs() - lastPlainLine >= PLAIN_LINE_MS) {
                lastPlainLine = elapsedMs();
                out.println(ProgressView.line(snapshot));
                out.flush();
            }
            if (done) {
                return true;
            }
            if (late) {
                out.printf("not every order was settled %d s after production ended (%d of %d)%n", plan.settleTimeout().toSeconds(),
                        tracker.settled(), produced.get());
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(REFRESH_MS);
        }
    }

    /** Every region taken over has shown its new owner's first invoice (or nothing was killed). */
    private boolean watchesResolved() {
        return watches.values().stream().allMatch(w -> w.firstInvoiceAtMs().isPresent());
    }

    private void killVictims(ShardworkConfig config, ClusterStatus before, InvoiceTracker tracker) throws InterruptedException {
        String leader = before.leader();
        List<String> victims = new ArrayList<>();
        workers.stream().map(WorkerProcess::workerId).filter(id -> !id.equals(leader)).sorted()
                .filter(id -> before.regions().stream().anyMatch(r -> id.equals(r.claimedBy())))
                .limit(plan.kills()).forEach(victims::add);
        if (plan.killLeader() && leader != null) {
            victims.add(leader);
        }
        Map<String, Integer> partitions = config.regions().stream().collect(Collectors.toMap(RegionSpec::name, RegionSpec::partition));
        Map<String, List<String>> held = new LinkedHashMap<>();
        for (String victim : victims) {
            List<String> regions = new ArrayList<>();
            for (ClusterStatus.RegionStatus region : before.regions()) {
                if (victim.equals(region.claimedBy())) {
                    regions.add(region.name());
                    // registered before the kill: nothing of a higher epoch is written while the victim holds the claim
                    watches.put(region.name(), tracker.watchTakeover(region.name(), partitions.get(region.name()), region.epoch()));
                }
            }
            held.put(victim, regions);
        }
        // 1. SIGKILL every victim at once (supervised: the worker JVM, not its supervisor), each with its own time;
        // 2. reap them (a supervisor exits by itself once it closed its dead worker's session)
        Map<String, ProcessHandle> targets = new LinkedHashMap<>();
        for (String victim : victims) {
            WorkerProcess process = workers.stream().filter(w -> w.workerId().equals(victim)).findFirst().orElseThrow();
            targets.put(victim, plan.supervised() ? process.supervisedWorker().orElseThrow(() -> new CommandFailure(ExitCodes.FAILURE,
                    "The supervisor of " + victim + " runs no worker process; see " + process.log())) : process.toHandle());
        }
        Map<String, Long> killedAt = new LinkedHashMap<>();
        targets.forEach((victim, target) -> {
            killedAt.put(victim, System.currentTimeMillis());
            target.destroyForcibly();
        });
        for (String victim : victims) {
            WorkerProcess process = workers.stream().filter(w -> w.workerId().equals(victim)).findFirst().orElseThrow();
            if (!plan.supervised() || process.awaitExit(Duration.ofSeconds(60)) < 0) {
                process.kill();
            }
            long at = killedAt.get(victim);
            killed.add(victim);
            held.get(victim).forEach(region -> killedAtWallMs.put(region, at));
            kills.add(new DemoReport.Kill(victim, victim.equals(leader), at - startWallMs, held.get(victim)));
            if (!terminal) {
                out.printf("killed %s%s (SIGKILL%s) holding %s%n", victim, victim.equals(leader) ? " (leader)" : "",
                        plan.supervised() ? " of the worker JVM; its supervisor closed its session" : "", held.get(victim));
            }
        }
    }

    private Map<String, Long> takeoverFigures() {
        Map<String, Long> figures = new LinkedHashMap<>();
        watches.forEach((region, watch) -> figures.put(region, watch.firstInvoiceAtMs().isPresent()
                ? watch.firstInvoiceAtMs().getAsLong() - killedAtWallMs.get(region) : null));
        return figures;
    }

    private void redraw(List<String> lines) {
        if (framedLines > 0) {
            out.print("\033[" + framedLines + "F\033[J");
        }
        lines.forEach(out::println);
        out.flush();
        framedLines = lines.size();
    }

    private void checkInterrupted() {
        if (signal.isRequested()) {
            throw new CommandFailure(ExitCodes.FAILURE, "Interrupted (" + signal.received() + "); every worker and server of the demo was stopped.");
        }
    }

    /** SIGTERM to every live worker at once, then SIGKILL for any still running after {@link #WORKER_STOP}. */
    private void stopWorkers() throws InterruptedException {
        List<Thread> stopping = new ArrayList<>();
        for (WorkerProcess worker : workers) {
            if (worker.isAlive()) {
                Thread thread = new Thread(() -> {
                    try {
                        if (worker.terminate(WORKER_STOP) != 0) {
                            log.warn("worker {} did not stop cleanly on SIGTERM; see {}", worker.workerId(), worker.log());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "demo-stop-" + worker.workerId());
                thread.start();
                stopping.add(thread);
            }
        }
        for (Thread thread : stopping) {
            thread.join();
        }
        killWorkers();
    }

    private void killWorkers() {
        for (WorkerProcess worker : workers) {
            try {
                worker.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
