package io.shardwork.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.testing.FairTestStrategy;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.coordination.worker.WorkerCoordinator;
import io.shardwork.layout.RestartBackoffRecord;
import io.shardwork.leader.TimeSource;
import io.shardwork.runner.RegionRunnerFactory;
import io.shardwork.runner.TestSetup;
import io.shardwork.workload.TestHandlers;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * A region whose runner dies on every claim at the same place (here: every effect is too large for the
 * invoices topic, so the first commit fails) is claimed again after a growing wait, not at once forever: the
 * deaths in a row and the wait are kept per region and shown as gauges. Real ZooKeeper, real Kafka.
 */
class RepeatedDeathBackoffTest {
    @Test
    void repeatedDeathsAtTheSamePlaceBackOffPerRegion() throws Exception {
        TestSetup setup = TestSetup.create("at-least-once", 1, Map.of());
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, setup.kafka.bootstrapServers());
        try (Admin client = Admin.create(admin)) {
            ConfigResource invoices = new ConfigResource(ConfigResource.Type.TOPIC, setup.config.invoicesTopic());
            Map<ConfigResource, Collection<AlterConfigOp>> change = Map.of(invoices, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2000"), AlterConfigOp.OpType.SET)));
            client.incrementalAlterConfigs(change).all().get(30, TimeUnit.SECONDS);
        }
        setup.produce(9L, 20, 0);
        byte[] tooLarge = new byte[10_000];
        RegionRunnerFactory runners = RegionRunnerFactory.builder(setup.config).workerId("w1").warmConsumers(0)
                .handlers(() -> TestHandlers.orders((order, context) -> context.output().send(setup.config.invoicesTopic(), null, tooLarge, Map.of())))
                .build();
        RestartBackoff restarts = new RestartBackoff(Duration.ofMillis(100), Duration.ofMillis(400));
        try (TestCluster cluster = new TestCluster(1)) {
            AtomicReference<RunnerLifecycle> lifecycle = new AtomicReference<>();
            WorkerCoordinator worker = new WorkerCoordinator(cluster.settings("w1"), new FairTestStrategy(), store -> {
                lifecycle.set(new RunnerLifecycle(runners, store, Map.of("r0", 0), Duration.ofSeconds(5), restarts));
                return lifecycle.get();
            }, cluster.recorder(), TimeSource.system());
            lifecycle.get().onWorkEnded(worker::workEnded);
            RestartBackoffPublisher.bind(restarts, worker);
            try {
                worker.start();
                Timing.await("four deaths of r0 in a row", Timing.CONVERGE, () -> restarts.consecutiveDeaths("r0") >= 4,
                        () -> restarts.consecutiveDeaths("r0") + " deaths, wait " + restarts.delayMs("r0") + " ms");
                assertTrue(restarts.delayMs("r0") >= 200, "the wait grows: " + restarts.delayMs("r0") + " ms");
                assertTrue(restarts.delayMs("r0") <= 400, "and is capped: " + restarts.delayMs("r0") + " ms");
                Timing.await("r0 claimed again after its wait", Timing.CONVERGE, () -> cluster.recorder().claims("r0") >= 4,
                        cluster.recorder()::entries);
                assertEquals(0, worker.abandonedReleases());
                Timing.await("status shows r0 in w1's restart backoff with its deaths in a row", Timing.CONVERGE, () -> {
                    List<RestartBackoffRecord> shown = cluster.status().members().get(0).restartBackoff();
                    return shown.size() == 1 && shown.get(0).region().equals("r0") && shown.get(0).consecutiveDeaths() >= 4
                            && shown.get(0).backoffMs() >= 200 && shown.get(0).nextClaimAt() != null;
                }, () -> String.valueOf(cluster.status().members()));
            } finally {
                worker.closeWithoutRelease();
                runners.close();
            }
        }
    }
}
