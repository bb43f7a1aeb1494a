package io.shardwork.coordination.testing;

import io.shardwork.assigner.Region;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.CoordinationSettings;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.coordination.status.ClusterStatusReader;
import io.shardwork.coordination.worker.RegionLifecycle;
import io.shardwork.coordination.worker.WorkerCoordinator;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.leader.TimeSource;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A real ZooKeeper (tick {@link Timing#TICK_MS}, free port) and the workers of one test, each with its own
 * CuratorFramework; plus an observer client for reads. Closes everything.
 */
public final class TestCluster implements Closeable {
    public static final String CLUSTER = "test";

    private final TestingServer server;
    private final List<Region> regions;
    private final OwnershipRecorder recorder = new OwnershipRecorder();
    private final Map<String, WorkerCoordinator> workers = new LinkedHashMap<>();
    private final CuratorFramework observer;
    private final ClusterPaths paths = new ClusterPaths(CLUSTER);

    public TestCluster(int regionCount) throws Exception {
        server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, Timing.TICK_MS, -1), true);
        List<Region> list = new ArrayList<>();
        for (int i = 0; i < regionCount; i++) {
            list.add(new Region("r" + i, 1));
        }
        regions = List.copyOf(list);
        observer = newClient();
        if (!regions.isEmpty()) {
            applyDefinition(regions);
        }
    }

    /**
     * Writes the cluster definition of {@code defined} through the one path of {@code cluster apply}
     * ({@link ClusterDefinitions#applyOrThrow}; no Kafka here, so no topic check), as every deployment must
     * before its workers run. Returns the new definition version.
     */
    public int applyDefinition(List<Region> defined) throws Exception {
        return applyDefinition(server.getConnectString(), CLUSTER, defined, java.util.Optional.empty());
    }

    /** {@link #applyDefinition(List)} with {@code standby.replicas} set: every region gets a standby. */
    public int applyDefinitionWithStandbys(List<Region> defined) throws Exception {
        return applyDefinition(server.getConnectString(), CLUSTER, defined, java.util.Optional.empty(),
                Map.of(io.shardwork.config.ShardworkConfigDef.STANDBY_REPLICAS, "1"));
    }

    /** {@link #applyDefinition(List)} for any ensemble and cluster, with the deployment's digest credentials if given. */
    public static int applyDefinition(String connectString, String cluster, List<Region> defined,
                                      java.util.Optional<String> digest) throws Exception {
        return applyDefinition(connectString, cluster, defined, digest, Map.of());
    }

    private static int applyDefinition(String connectString, String cluster, List<Region> defined,
                                       java.util.Optional<String> digest, Map<String, String> more) throws Exception {
        Map<String, String> raw = new LinkedHashMap<>(more);
        raw.put("cluster.name", cluster);
        raw.put("deployment.environment", "development");
        raw.put("zookeeper.connect", connectString);
        digest.ifPresent(d -> raw.put("zookeeper.auth.digest", d));
        raw.put("kafka.bootstrap.servers", "127.0.0.1:1");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < defined.size(); i++) {
            Region region = defined.get(i);
            names.add(region.name());
            raw.put("region." + region.name() + ".partition", Integer.toString(i));
            raw.put("region." + region.name() + ".weight", Long.toString(region.weight()));
            raw.put("region." + region.name() + ".zones", String.join(",", new TreeSet<>(region.allowedZones())));
        }
        raw.put("regions", String.join(",", names));
        return ClusterDefinitions.applyOrThrow(ShardworkConfig.parse("test cluster " + cluster, raw),
                new ClusterDefinitions.ApplyOptions(false, false, true, false));
    }

    public CuratorFramework newClient() throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.newClient(server.getConnectString(), 10_000,
                Timing.CONNECTION_TIMEOUT_MS, new RetryOneTime(100));
        client.start();
        if (!client.blockUntilConnected(Timing.CONNECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("The test ZooKeeper did not accept a connection.");
        }
        return client;
    }

    private final Map<String, CuttableProxy> proxies = new java.util.concurrent.ConcurrentHashMap<>();

    /** Settings of a worker that reaches ZooKeeper through its own {@link CuttableProxy}. */
    public CoordinationSettings settings(String workerId) {
        return settings(workerId, Timing.SESSION_TIMEOUT_MS);
    }

    /** Settings with a session timeout of its own. */
    public CoordinationSettings settings(String workerId, int sessionTimeoutMs) {
        CuttableProxy proxy;
        try {
            proxy = new CuttableProxy(server.getPort());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CuttableProxy previous = proxies.put(workerId, proxy);
        if (previous != null) {
            previous.close();
        }
        return new CoordinationSettings(CLUSTER, workerId, "z1", 1, proxy.connectString(), sessionTimeoutMs,
                Timing.CONNECTION_TIMEOUT_MS, Timing.REBALANCE_DELAY_MS, 2, regions);
    }

    private final java.util.concurrent.ExecutorService stragglers = java.util.concurrent.Executors.newSingleThreadExecutor();
    private final java.util.concurrent.atomic.AtomicLong refusedCheckpoints = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong pauses = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong resumes = new java.util.concurrent.atomic.AtomicLong();

    /** Builds a worker (not started) whose regions run the {@link CheckpointingLifecycle}. */
    public WorkerCoordinator newWorker(String workerId) {
        return newWorker(workerId, Timing.SESSION_TIMEOUT_MS);
    }

    private WorkerCoordinator newWorker(String workerId, int sessionTimeoutMs) {
        return newWorker(workerId, sessionTimeoutMs, UnaryOperator.identity());
    }

    private WorkerCoordinator newWorker(String workerId, int sessionTimeoutMs, UnaryOperator<RegionLifecycle> around) {
        return new WorkerCoordinator(settings(workerId, sessionTimeoutMs), new FairTestStrategy(),
                store -> around.apply(new CheckpointingLifecycle(store, stragglers, refusedCheckpoints, pauses, resumes)),
                recorder, TimeSource.system());
    }

    /** Checkpoints refused as fenced, over all workers of the test. */
    public long refusedCheckpoints() {
        return refusedCheckpoints.get();
    }

    /** Builds, starts and tracks a worker. */
    public WorkerCoordinator startWorker(String workerId) throws Exception {
        return startWorker(workerId, Timing.SESSION_TIMEOUT_MS);
    }

    /** Builds, starts and tracks a worker with a session timeout of its own. */
    public WorkerCoordinator startWorker(String workerId, int sessionTimeoutMs) throws Exception {
        return startWorker(workerId, sessionTimeoutMs, UnaryOperator.identity());
    }

    /**
     * Builds, starts and tracks a worker whose regions run {@code around} the {@link CheckpointingLifecycle} (a
     * {@link ForwardingLifecycle} that watches or delays some of its calls).
     */
    public WorkerCoordinator startWorker(String workerId, int sessionTimeoutMs, UnaryOperator<RegionLifecycle> around)
            throws Exception {
        WorkerCoordinator worker = newWorker(workerId, sessionTimeoutMs, around);
        worker.start();
        workers.put(workerId, worker);
        return worker;
    }

    /** Forgets a worker the test closed itself. */
    public void forget(String workerId) {
        workers.remove(workerId);
    }

    public Map<String, WorkerCoordinator> workers() {
        return workers;
    }

    public List<Region> regions() {
        return regions;
    }

    public OwnershipRecorder recorder() {
        return recorder;
    }

    public CuratorFramework observer() {
        return observer;
    }

    public ClusterPaths paths() {
        return paths;
    }

    public ClusterStatus status() {
        try {
            return new ClusterStatusReader(observer, paths).read();
        } catch (Exception e) {
            throw new AssertionError("Cannot read the cluster status: " + e, e);
        }
    }

    /**
     * Whether every region is assigned to one of {@code live}, claimed by its assigned owner, and the
     * owner's coordinator holds it.
     */
    public boolean converged(Set<String> live) {
        ClusterStatus status = status();
        if (status.regions().size() < regions.size()) {
            return false;
        }
        Set<String> members = new TreeSet<>();
        status.members().forEach(m -> members.add(m.id()));
        if (!members.equals(live)) {
            return false;
        }
        for (ClusterStatus.RegionStatus region : status.regions()) {
            if (region.owner() == null || !live.contains(region.owner()) || !region.owner().equals(region.claimedBy())) {
                return false;
            }
            WorkerCoordinator owner = workers.get(region.owner());
            if (owner == null || !owner.heldRegions().contains(region.name())) {
                return false;
            }
        }
        return true;
    }

    public void awaitConverged() {
        Set<String> live = new TreeSet<>(workers.keySet());
        Timing.await("every region claimed by its assigned owner among " + live, Timing.CONVERGE,
                () -> converged(live), this::status);
    }

    /** Converged, and every live worker holds its fair share (regions / workers, rounded down or up). */
    public void awaitBalanced() {
        Set<String> live = new TreeSet<>(workers.keySet());
        int low = regions.size() / live.size();
        int high = (regions.size() + live.size() - 1) / live.size();
        Timing.await("every region claimed by its assigned owner, " + low + " to " + high + " per worker among " + live,
                Timing.CONVERGE, () -> converged(live) && workers.values().stream()
                        .allMatch(w -> w.heldRegions().size() >= low && w.heldRegions().size() <= high), this::status);
    }

    /** The worker acting as leader, or null. */
    public WorkerCoordinator leader() {
        return workers.values().stream().filter(WorkerCoordinator::isLeader).findFirst().orElse(null);
    }

    /**
     * Makes the worker's client see its session as expired, as after a long pause; the server expires it later, or
     * at once now and then: ZooKeeper's injection queues the Expired event before it marks the handle closed, and
     * when Curator's close of the old handle wins that race its closeSession reaches the server, which deletes the
     * session's nodes while the worker still acts on them (the zombies RandomScheduleTest wants).
     */
    public static void expireSession(WorkerCoordinator worker) throws Exception {
        worker.client().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
    }

    /**
     * {@link #expireSession}, with the server certain to keep the old session until its timeout: the worker's
     * connection is dropped first and refused for 250 ms, so nothing of the old handle reaches the server, and the
     * worker handles the loss while it cannot reach ZooKeeper (as after a partition); its new session follows
     * 1.2-2 s later (the client's reconnect backoff), well inside {@link Timing#LONG_SESSION_TIMEOUT_MS}.
     */
    public void expireSessionKeptByServer(WorkerCoordinator worker) throws Exception {
        proxies.get(worker.workerId()).blip(250);
        expireSession(worker);
    }

    /**
     * Kills a worker as a crash or a long pause would: its session expires as seen by its client (the server
     * keeps the old session, and its ephemeral nodes, until the session timeout), then once its client has
     * moved to a new session the coordinator is closed without releasing anything. Closing before that would
     * let the client close the old session at the server, which no crash does.
     */
    public void kill(WorkerCoordinator worker) throws Exception {
        long oldSession = worker.client().getZookeeperClient().getZooKeeper().getSessionId();
        expireSession(worker);
        Timing.await(worker.workerId() + "'s client moving to a new session", Timing.CONVERGE, () -> {
            try {
                org.apache.zookeeper.ZooKeeper zk = worker.client().getZookeeperClient().getZooKeeper();
                return zk.getState() == org.apache.zookeeper.ZooKeeper.States.CONNECTED && zk.getSessionId() != 0
                        && zk.getSessionId() != oldSession;
            } catch (Exception e) {
                return false;
            }
        });
        System.out.printf("kill %s: old session 0x%x, new session 0x%x%n", worker.workerId(), oldSession,
                worker.client().getZookeeperClient().getZooKeeper().getSessionId());
        worker.closeWithoutRelease();
        workers.remove(worker.workerId());
    }

    /** Cuts a worker off from ZooKeeper for {@code millis}, then lets it reconnect. */
    public void blip(WorkerCoordinator worker, long millis) {
        proxies.get(worker.workerId()).blip(millis);
    }

    /** Pauses and resumes seen by every worker's lifecycle. */
    public long[] pausesAndResumes() {
        return new long[] {pauses.get(), resumes.get()};
    }

    /**
     * Crashes a worker: cuts it off from ZooKeeper (nothing more reaches the server, so its session and
     * ephemeral nodes live until the server expires them), then stops it without releasing anything.
     */
    public void crash(WorkerCoordinator worker) {
        proxies.get(worker.workerId()).cut();
        worker.closeWithoutRelease();
        workers.remove(worker.workerId());
    }

    @Override
    public void close() throws IOException {
        for (WorkerCoordinator worker : workers.values()) {
            worker.closeWithoutRelease();
        }
        stragglers.shutdownNow();
        proxies.values().forEach(CuttableProxy::close);
        observer.close();
        server.close();
    }
}
