package io.shardwork.cli;

import io.shardwork.coordination.definition.ClusterDefinitions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.cli.process.WorkerProcess;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.embedded.EmbeddedCluster;
import io.shardwork.layout.ClusterPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three worker JVMs started from the CLI against a real ZooKeeper; the leader's process is killed with
 * SIGKILL; a new leader is elected and every region is claimed again by a live worker, the moved ones with
 * higher epochs. The measured time is printed (it is no assertion: timings are for benchmarks).
 */
class WorkerProcessFailoverTest {
    private static final int SESSION_TIMEOUT_MS = 4000;
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final Duration TAKEOVER_DEADLINE = Duration.ofMillis(SESSION_TIMEOUT_MS + 30_000);

    @TempDir
    Path dir;

    private final List<WorkerProcess> workers = new ArrayList<>();
    private EmbeddedCluster cluster;
    private CuratorFramework client;
    private ClusterStatusWaiter waiter;

    @AfterEach
    void stopEverything() throws Exception {
        for (WorkerProcess worker : workers) {
            worker.close();
        }
        if (waiter != null) {
            waiter.close();
        }
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void killingTheLeaderProcessElectsANewLeaderAndEveryRegionIsClaimedAgain() throws Exception {
        cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.onFreePorts(dir.resolve("cluster")));
        Path config = dir.resolve("worker.properties");
        Files.writeString(config, Files.readString(Path.of("..", "config", "local.properties"))
                .replace("zookeeper.connect=127.0.0.1:22181", "zookeeper.connect=" + cluster.zookeeperConnect())
                .replace("kafka.bootstrap.servers=127.0.0.1:29092", "kafka.bootstrap.servers=" + cluster.kafkaBootstrap())
                .replace("zookeeper.session.timeout.ms=4000", "zookeeper.session.timeout.ms=" + SESSION_TIMEOUT_MS)
                .replace("handler=billing", "handler=noop"));
        ClusterDefinitions.applyOrThrow(io.shardwork.config.ShardworkConfig.load(config), true);
        for (int i = 1; i <= 3; i++) {
            workers.add(WorkerProcess.start(config, "worker-" + i, "256m", dir.resolve("worker-" + i + ".log")));
        }
        client = CuratorFrameworkFactory.newClient(cluster.zookeeperConnect(), new RetryOneTime(100));
        client.start();
        waiter = new ClusterStatusWaiter(client, new ClusterPaths("local"));

        Set<String> everyone = Set.of("worker-1", "worker-2", "worker-3");
        ClusterStatus settled = waiter.await(SETTLE, status -> settledOn(status, everyone));
        assertEquals(8, settled.regions().size());
        String leader = settled.leader();
        Map<String, Long> epochsBefore = epochs(settled);
        Set<String> leaderRegions = settled.regions().stream().filter(r -> leader.equals(r.claimedBy()))
                .map(ClusterStatus.RegionStatus::name).collect(Collectors.toSet());

        WorkerProcess leaderProcess = workers.stream().filter(w -> w.workerId().equals(leader)).findFirst().orElseThrow();
        long killedAt = System.nanoTime();
        leaderProcess.kill();
        Set<String> survivors = everyone.stream().filter(id -> !id.equals(leader)).collect(Collectors.toSet());
        ClusterStatus after = waiter.await(TAKEOVER_DEADLINE, status -> settledOn(status, survivors));
        long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf("leader %s killed; new leader %s; every region claimed again after %d ms (session timeout %d ms)%n",
                leader, after.leader(), takeoverMs, SESSION_TIMEOUT_MS);

        assertTrue(survivors.contains(after.leader()), "the new leader must be a survivor: " + after.leader());
        assertTrue(after.leaderEpoch() > settled.leaderEpoch(), "a new leader bumps the leader epoch");
        Map<String, Long> epochsAfter = epochs(after);
        for (String region : leaderRegions) {
            assertTrue(epochsAfter.get(region) > epochsBefore.get(region),
                    "region " + region + " moved from the dead leader, its epoch must increase: " + epochsBefore.get(region) + " -> " + epochsAfter.get(region));
        }
        for (WorkerProcess worker : workers) {
            if (worker.isAlive()) {
                assertEquals(0, worker.terminate(Duration.ofSeconds(30)), "SIGTERM must release and exit 0; see " + worker.log());
            }
        }
    }

    private static boolean settledOn(ClusterStatus status, Set<String> live) {
        Set<String> members = status.members().stream().map(ClusterStatus.MemberStatus::id).collect(Collectors.toSet());
        return members.equals(live) && status.leader() != null && live.contains(status.leader()) && status.regions().size() == 8
                && status.regions().stream().allMatch(r -> r.owner() != null && r.owner().equals(r.claimedBy()) && live.contains(r.owner()));
    }

    private static Map<String, Long> epochs(ClusterStatus status) {
        return status.regions().stream().collect(Collectors.toMap(ClusterStatus.RegionStatus::name, ClusterStatus.RegionStatus::epoch));
    }
}
