package io.shardwork.cli.supervise;

import io.shardwork.coordination.definition.ClusterDefinitions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.cli.process.WorkerProcess;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.session.SessionCredentials;
import io.shardwork.coordination.session.SessionFile;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.cli.ClusterStatusWaiter;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.embedded.EmbeddedCluster;
import io.shardwork.layout.Checkpoint;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.produce.OrderProducer;
import io.shardwork.verify.Verifier;
import io.shardwork.verify.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code worker --supervise} as an operator runs it: a supervisor JVM with its worker JVM as child, next to
 * plain worker JVMs, against a real ZooKeeper and Kafka. The child killed: its session is closed by the
 * supervisor and its regions move long before the session timeout could have expired. The child stopped
 * (SIGSTOP): it is alive, the supervisor leaves it alone, its regions move after the session timeout, and when
 * it wakes it is fenced. The checker runs at the end of both. Measured times are printed, never asserted
 * beyond the session timeout that a takeover without the supervisor could not beat.
 */
class SupervisedWorkerProcessTest {
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final Duration ALL_PROCESSED = Duration.ofSeconds(120);
    private static final Duration EXIT = Duration.ofSeconds(30);
    private static final int ORDERS = 3000;
    private static final int REGIONS = 8;
    private static final String VICTIM = "worker-1";
    private static final Set<String> EVERYONE = Set.of("worker-1", "worker-2", "worker-3");
    private static final Set<String> SURVIVORS = Set.of("worker-2", "worker-3");

    @TempDir
    Path dir;

    private final List<WorkerProcess> processes = new ArrayList<>();
    private EmbeddedCluster cluster;
    private CuratorFramework observer;
    private ClusterStatusWaiter reader;
    private final ClusterPaths paths = new ClusterPaths("local");

    @AfterEach
    void stopEverything() throws Exception {
        for (WorkerProcess process : processes) {
            process.close();
        }
        if (reader != null) {
            reader.close();
        }
        if (observer != null) {
            observer.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void killingASupervisedWorkersChildMovesItsRegionsLongBeforeItsSessionCouldExpire() throws Exception {
        int sessionTimeoutMs = 20_000;
        Path config = startCluster(sessionTimeoutMs, 2000);
        Path sessions = dir.resolve("sessions");
        WorkerProcess supervisor = startWorkers(config, sessions, "--restart", "off");
        ClusterStatus settled = reader.await(SETTLE, status -> balancedOn(status, EVERYONE));
        ProcessHandle child = supervisor.supervisedWorker().orElseThrow();
        assertEquals(child.pid(), memberPid(settled, VICTIM), "the member node is the supervised child's");
        Map<String, Long> epochsBefore = epochs(settled);
        Set<String> victimRegions = regionsOf(settled, VICTIM);
        assertFalse(victimRegions.isEmpty(), "the victim holds regions: " + settled);

        ShardworkConfig deployment = ShardworkConfig.load(config);
        CompletableFuture<Void> producing = produceInBackground(deployment, 21, 600);
        awaitInvoiced(deployment, ORDERS / 4);

        long killedAt = System.nanoTime();
        child.destroyForcibly();
        ClusterStatus after = reader.await(Duration.ofMillis(sessionTimeoutMs), status -> settledOn(status, SURVIVORS));
        long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf("supervised worker's child killed (SIGKILL): its %d regions claimed by others after %d ms (session timeout %d ms)%n",
                victimRegions.size(), takeoverMs, sessionTimeoutMs);

        for (String region : victimRegions) {
            assertTrue(epochs(after).get(region) > epochsBefore.get(region), region + " moved: its epoch must increase");
        }
        assertEquals(128 + 9, supervisor.awaitExit(EXIT), "with --restart off the supervisor ends with its child's code; see " + supervisor.log());
        String log = Files.readString(supervisor.log());
        assertTrue(log.contains("exited with 137; session 0x") && log.contains(" closed in "), log);
        log.lines().filter(line -> line.startsWith("worker process ")).forEach(line -> System.out.println("supervisor: " + line));
        assertFalse(Files.exists(sessions.resolve("worker.session")), "the closed session's file is removed");

        producing.get();
        VerifyReport report = awaitAllProcessed(deployment);
        assertTrue(report.ok(), report.toJson());
        terminateSurvivors();
    }

    @Test
    void aStoppedSupervisedChildIsLeftAloneUntilItsSessionExpiresAndIsFencedWhenItWakes() throws Exception {
        int sessionTimeoutMs = 10_000;
        Path config = startCluster(sessionTimeoutMs, 5000);
        Path sessions = dir.resolve("sessions");
        WorkerProcess supervisor = startWorkers(config, sessions, "--restart", "on-failure");
        ClusterStatus settled = reader.await(SETTLE, status -> balancedOn(status, EVERYONE));
        ProcessHandle child = supervisor.supervisedWorker().orElseThrow();
        SessionFile sessionFile = new SessionFile(sessions.resolve("worker.session"));
        SessionCredentials stoppedSession = sessionFile.read().orElseThrow();
        assertEquals(child.pid(), stoppedSession.pid());
        assertEquals(stoppedSession.sessionId(), ephemeralOwner(paths.member(VICTIM)), "the file names the session of the member node");
        Map<String, Long> epochsBefore = epochs(settled);
        Set<String> victimRegions = regionsOf(settled, VICTIM);
        assertFalse(victimRegions.isEmpty(), "the victim holds regions: " + settled);

        ShardworkConfig deployment = ShardworkConfig.load(config);
        CompletableFuture<Void> producing = produceInBackground(deployment, 22, 600);
        awaitInvoiced(deployment, ORDERS / 4);

        signal("-STOP", child.pid());
        long stoppedAt = System.nanoTime();
        long halfSession = stoppedAt + Duration.ofMillis(sessionTimeoutMs / 2).toNanos();
        while (System.nanoTime() < halfSession) {
            assertEquals(stoppedSession.sessionId(), ephemeralOwner(paths.member(VICTIM)),
                    "a stopped child is alive: its member node stays until its session expires");
            assertTrue(supervisor.isAlive() && child.isAlive(), "the supervisor neither exits nor kills a stopped child");
            Thread.sleep(50);
        }
        ClusterStatus after = reader.await(Duration.ofMillis(sessionTimeoutMs + 30_000), status -> settledOn(status, SURVIVORS));
        long takeoverMs = (System.nanoTime() - stoppedAt) / 1_000_000;
        System.out.printf("supervised worker's child stopped (SIGSTOP): left alone; its %d regions claimed by others after %d ms (session timeout %d ms)%n",
                victimRegions.size(), takeoverMs, sessionTimeoutMs);
        assertTrue(child.isAlive() && supervisor.isAlive(), "still nobody touched the stopped child");
        Map<String, Long> takenOver = epochs(after);
        for (String region : victimRegions) {
            assertTrue(takenOver.get(region) > epochsBefore.get(region), region + " moved: its epoch must increase");
        }

        signal("-CONT", child.pid());
        Timing.await("the woken worker registered under a new session, written to its session file", EXIT,
                () -> newSessionRegistered(sessionFile, stoppedSession), () -> readQuietly(sessionFile));
        ClusterStatus woken = reader.read();
        assertEquals(claims(after), claims(woken), "the woken worker released or changed no claim it no longer held");
        for (String region : victimRegions) {
            Checkpoint checkpoint = LayoutJson.decode(observer.getData().forPath(paths.regionCheckpoint(region)), Checkpoint.class);
            assertTrue(checkpoint.epoch() >= takenOver.get(region),
                    region + ": no checkpoint under the zombie's old epoch landed after the takeover: " + checkpoint);
        }
        assertEquals(child.pid(), supervisor.supervisedWorker().map(ProcessHandle::pid).orElse(-1L), "the woken child goes on: no restart");

        producing.get();
        VerifyReport report = awaitAllProcessed(deployment);
        assertTrue(report.ok(), report.toJson());
        assertEquals(0, supervisor.terminate(EXIT), "SIGTERM to the supervisor: the child releases and both exit 0; see " + supervisor.log());
        assertFalse(child.isAlive(), "the child is gone with its supervisor");
        assertFalse(Files.exists(sessionFile.path()), "a clean exit removes the session file");
        terminateSurvivors();
    }

    @Test
    void theSessionFileIsReadableByItsOwnerOnlyAndGoneAfterACleanStop() throws Exception {
        Path config = startCluster(4000, 2000);
        Path sessions = dir.resolve("sessions");
        WorkerProcess supervisor = WorkerProcess.startSupervised(config, VICTIM, "256m", dir.resolve(VICTIM + ".log"),
                "--session-dir", sessions.toString());
        processes.add(supervisor);
        reader.await(SETTLE, status -> settledOn(status, Set.of(VICTIM)));
        ProcessHandle child = supervisor.supervisedWorker().orElseThrow();
        Path file = sessions.resolve("worker.session");

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sessions)));
        SessionCredentials session = new SessionFile(file).read().orElseThrow();
        assertEquals(child.pid(), session.pid());
        assertEquals(session.sessionId(), ephemeralOwner(paths.member(VICTIM)));

        assertEquals(0, supervisor.terminate(EXIT), "SIGTERM: forwarded, the worker releases, exit 0; see " + supervisor.log());
        assertFalse(child.isAlive(), "the child exited before its supervisor");
        assertFalse(Files.exists(file), "a clean exit removes the session file");
        assertEquals(0, ephemeralOwner(paths.member(VICTIM)), "the member node is gone");
    }

    // ---------------------------------------------------------------- helpers

    private Path startCluster(int sessionTimeoutMs, int rebalanceDelayMs) throws Exception {
        cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.onFreePorts(dir.resolve("cluster")));
        Path config = dir.resolve("worker.properties");
        Files.writeString(config, Files.readString(Path.of("..", "config", "local.properties"))
                .replace("zookeeper.connect=127.0.0.1:22181", "zookeeper.connect=" + cluster.zookeeperConnect())
                .replace("kafka.bootstrap.servers=127.0.0.1:29092", "kafka.bootstrap.servers=" + cluster.kafkaBootstrap())
                .replace("zookeeper.session.timeout.ms=4000", "zookeeper.session.timeout.ms=" + sessionTimeoutMs)
                .replace("rebalance.delay.ms=2000", "rebalance.delay.ms=" + rebalanceDelayMs));
        ShardworkConfig deployment = ShardworkConfig.load(config);
        assertEquals("billing", deployment.handler());
        cluster.kafka().createTopics(deployment.topicPartitions());
        ClusterDefinitions.applyOrThrow(deployment, false);
        observer = CuratorFrameworkFactory.newClient(cluster.zookeeperConnect(), new RetryOneTime(100));
        observer.start();
        reader = new ClusterStatusWaiter(observer, paths);
        return config;
    }

    /** worker-1 supervised, worker-2 and worker-3 plain; returns worker-1's supervisor. */
    private WorkerProcess startWorkers(Path config, Path sessions, String... supervisorArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("--session-dir", sessions.toString()));
        args.addAll(List.of(supervisorArgs));
        WorkerProcess supervisor = WorkerProcess.startSupervised(config, VICTIM, "256m", dir.resolve(VICTIM + ".log"), args.toArray(String[]::new));
        processes.add(supervisor);
        for (String id : SURVIVORS) {
            processes.add(WorkerProcess.start(config, id, "256m", dir.resolve(id + ".log")));
        }
        return supervisor;
    }

    private void terminateSurvivors() throws InterruptedException {
        for (WorkerProcess process : processes) {
            if (SURVIVORS.contains(process.workerId())) {
                assertEquals(0, process.terminate(EXIT), "SIGTERM must release and exit 0; see " + process.log());
            }
        }
    }

    private static CompletableFuture<Void> produceInBackground(ShardworkConfig config, long seed, double perSecond) {
        return CompletableFuture.runAsync(() -> {
            try (OrderProducer producer = new OrderProducer(config)) {
                producer.produce(new OrderGenerator(config.regions(), seed).orders(ORDERS, 0), perSecond);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static void awaitInvoiced(ShardworkConfig config, long atLeast) {
        Verifier verifier = new Verifier(config);
        AtomicReference<VerifyReport> last = new AtomicReference<>();
        Timing.await(atLeast + " orders invoiced", ALL_PROCESSED, () -> {
            last.set(verifier.verify());
            return last.get().invoiced() >= atLeast;
        }, last::get);
    }

    private static VerifyReport awaitAllProcessed(ShardworkConfig config) {
        Verifier verifier = new Verifier(config);
        AtomicReference<VerifyReport> last = new AtomicReference<>();
        Timing.await("every order invoiced", ALL_PROCESSED, () -> {
            last.set(verifier.verify());
            return last.get().produced() == ORDERS && last.get().lost() == 0;
        }, last::get);
        return last.get();
    }

    private boolean newSessionRegistered(SessionFile file, SessionCredentials old) {
        Optional<SessionCredentials> now = readQuietly(file);
        return now.isPresent() && now.get().sessionId() != old.sessionId() && now.get().pid() == old.pid()
                && ephemeralOwner(paths.member(VICTIM)) == now.get().sessionId();
    }

    private static Optional<SessionCredentials> readQuietly(SessionFile file) {
        try {
            return file.read();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private long ephemeralOwner(String path) {
        try {
            Stat stat = observer.checkExists().forPath(path);
            return stat == null ? 0 : stat.getEphemeralOwner();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start().waitFor(), "kill " + signal + " " + pid);
    }

    private static boolean settledOn(ClusterStatus status, Set<String> live) {
        Set<String> members = status.members().stream().map(ClusterStatus.MemberStatus::id).collect(Collectors.toSet());
        return members.equals(live) && status.leader() != null && live.contains(status.leader()) && status.regions().size() == REGIONS
                && status.regions().stream().allMatch(r -> r.owner() != null && r.owner().equals(r.claimedBy()) && live.contains(r.owner()));
    }

    /** Settled, and every live worker holds a region (the balancer has moved some to the last one to join). */
    private static boolean balancedOn(ClusterStatus status, Set<String> live) {
        return settledOn(status, live) && live.stream().allMatch(id -> !regionsOf(status, id).isEmpty());
    }

    private static long memberPid(ClusterStatus status, String id) {
        return status.members().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow().pid();
    }

    private static Set<String> regionsOf(ClusterStatus status, String id) {
        return status.regions().stream().filter(r -> id.equals(r.claimedBy())).map(ClusterStatus.RegionStatus::name).collect(Collectors.toSet());
    }

    /** Per region: claimed by, at which epoch. */
    private static Map<String, String> claims(ClusterStatus status) {
        return status.regions().stream().collect(Collectors.toMap(ClusterStatus.RegionStatus::name, r -> r.claimedBy() + "@" + r.epoch()));
    }

    private static Map<String, Long> epochs(ClusterStatus status) {
        return status.regions().stream().collect(Collectors.toMap(ClusterStatus.RegionStatus::name, ClusterStatus.RegionStatus::epoch));
    }
}
