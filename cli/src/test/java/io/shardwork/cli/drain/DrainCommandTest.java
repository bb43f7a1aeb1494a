package io.shardwork.cli.drain;

import io.shardwork.coordination.definition.ClusterDefinitions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.cli.ExitCodes;
import io.shardwork.cli.Main;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.config.ShardworkConfigDef;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.coordination.status.ClusterStatusReader;
import io.shardwork.coordination.worker.OwnershipListener;
import io.shardwork.embedded.EmbeddedCluster;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.MoveRecord;
import io.shardwork.node.WorkerNode;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.produce.OrderProducer;
import io.shardwork.verify.Verifier;
import io.shardwork.verify.VerifyReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drain} and {@code undrain} against real servers and two worker nodes with the billing handler
 * (at-least-once), while orders flow: every region of the drained worker moves with reason "drain", it
 * gets nothing back until undrain, and the handover writes no duplicate invoice (stop before start: the
 * final checkpoint covers every invoice written).
 */
class DrainCommandTest {
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Duration ALL_INVOICED = Duration.ofSeconds(90);
    private static final int ORDERS = 20_000;

    @TempDir
    Path dir;

    private EmbeddedCluster cluster;
    private WorkerNode w1;
    private WorkerNode w2;
    private CuratorFramework client;

    @AfterEach
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {w1, w2, client, cluster}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // the next one must still close
                }
            }
        }
    }

    @Test
    void testDrainMovesEveryRegionOffWithoutDuplicatesAndUndrainGivesWorkBack() throws Exception {
        cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.onFreePorts(dir.resolve("cluster")));
        ShardworkConfig config = writeConfig();
        cluster.kafka().createTopics(config.topicPartitions());
        Path configFile = dir.resolve("drain.properties");
        client = CuratorFrameworkFactory.newClient(cluster.zookeeperConnect(), new RetryOneTime(100));
        client.start();
        ClusterStatusReader reader = new ClusterStatusReader(client, new ClusterPaths(config.clusterName()));

        w1 = new WorkerNode(ClusterDefinitions.applyAndResolve(config.with(ShardworkConfigDef.WORKER_ID, "w1")), OwnershipListener.NONE);
        w2 = new WorkerNode(ClusterDefinitions.applyAndResolve(config.with(ShardworkConfigDef.WORKER_ID, "w2")), OwnershipListener.NONE);
        w1.start();
        w2.start();
        ClusterStatus before = await(reader, SETTLE, "both workers hold regions", s -> holding(s, "w1") > 0 && holding(s, "w2") > 0 && allClaimed(s));
        List<String> w2Regions = before.regions().stream().filter(r -> "w2".equals(r.claimedBy())).map(ClusterStatus.RegionStatus::name).sorted().toList();

        CompletableFuture<OrderProducer.Result> production = CompletableFuture.supplyAsync(() -> {
            try (OrderProducer producer = new OrderProducer(config)) {
                return producer.produce(new OrderGenerator(config.regions(), 42).orders(ORDERS, 0), 2_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await(reader, SETTLE, "orders are being processed on w2's regions", s -> s.regions().stream()
                .anyMatch(r -> "w2".equals(r.claimedBy()) && r.checkpoint() != null && r.checkpoint() > 0));

        Run drain = run("drain", "--config", configFile.toString(), "--worker", "w2", "--timeout", "60");
        System.out.println(drain.out);
        assertEquals(ExitCodes.OK, drain.code, drain.out + drain.err);
        ClusterStatus drained = reader.read();
        assertEquals(List.of(), drained.members().stream().filter(m -> m.id().equals("w2")).findFirst().orElseThrow().regions());
        assertTrue(drained.regions().stream().noneMatch(r -> "w2".equals(r.claimedBy())), "w2 holds no claim after drain returns");
        List<MoveRecord> drainMoves = drained.recentMoves().stream().filter(m -> "w2".equals(m.from()) && m.generation() > before.generation()).toList();
        assertEquals(w2Regions, drainMoves.stream().map(MoveRecord::region).sorted().toList(), "every region of w2 moved");
        assertTrue(drainMoves.stream().allMatch(m -> m.reason().equals("drain") && m.to().equals("w1")), drainMoves.toString());
        for (String region : w2Regions) {
            assertTrue(drain.out.contains("moved " + region), "drain prints each move: " + drain.out);
        }

        production.get(120, TimeUnit.SECONDS);
        VerifyReport report = awaitAllInvoiced(config, reader);
        System.out.println("verify after drain: " + report.toJson());
        assertEquals(0, report.lost());
        assertEquals(0, report.duplicateInvoices(), "a drain hands over with stop-before-start: no order is invoiced twice");
        assertEquals(0, report.conflictingInvoices());
        assertEquals(0, report.orderViolations());

        Run status = run("status", "--config", configFile.toString());
        assertTrue(status.out.lines().anyMatch(l -> l.startsWith("w2 ") && l.endsWith("(drained)")), status.out);
        assertTrue(status.out.lines().anyMatch(l -> l.contains("-> w1") && l.endsWith("drain")), status.out);

        Run undrain = run("undrain", "--config", configFile.toString(), "--worker", "w2");
        assertEquals(ExitCodes.OK, undrain.code, undrain.out + undrain.err);
        await(reader, SETTLE, "w2 is given regions again after undrain", s -> holding(s, "w2") > 0 && allClaimed(s));
        assertEquals("worker w2 was not drained", run("undrain", "--config", configFile.toString(), "--worker", "w2").out.strip());
    }

    private ShardworkConfig writeConfig() throws Exception {
        Path file = dir.resolve("drain.properties");
        Files.writeString(file, Files.readString(Path.of("..", "config", "local.properties"))
                .replace("cluster.name=local", "cluster.name=drain")
                .replace("zookeeper.connect=127.0.0.1:22181", "zookeeper.connect=" + cluster.zookeeperConnect())
                .replace("kafka.bootstrap.servers=127.0.0.1:29092", "kafka.bootstrap.servers=" + cluster.kafkaBootstrap())
                .replace("rebalance.delay.ms=2000", "rebalance.delay.ms=1000"));
        return ShardworkConfig.load(file);
    }

    /** Polls the verifier (it reads the three topics) until nothing is lost, while checking w2 is given nothing. */
    private static VerifyReport awaitAllInvoiced(ShardworkConfig config, ClusterStatusReader reader) throws Exception {
        long deadline = System.nanoTime() + ALL_INVOICED.toNanos();
        while (true) {
            ClusterStatus status = reader.read();
            assertEquals(0, holding(status, "w2"), "a drained worker gets no region until undrain: " + status);
            VerifyReport report = new Verifier(config, Duration.ofSeconds(30)).verify();
            if (report.lost() == 0 || System.nanoTime() > deadline) {
                return report;
            }
            TimeUnit.SECONDS.sleep(1);
        }
    }

    private static long holding(ClusterStatus status, String worker) {
        return status.regions().stream().filter(r -> worker.equals(r.claimedBy()) && worker.equals(r.owner())).count();
    }

    private static boolean allClaimed(ClusterStatus status) {
        return status.regions().size() == 8 && status.regions().stream().allMatch(r -> r.owner() != null && r.owner().equals(r.claimedBy()));
    }

    private static ClusterStatus await(ClusterStatusReader reader, Duration timeout, String what, Predicate<ClusterStatus> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        ClusterStatus last = null;
        while (System.nanoTime() < deadline) {
            last = reader.read();
            if (condition.test(last)) {
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting until " + what + "; last status: " + last);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
