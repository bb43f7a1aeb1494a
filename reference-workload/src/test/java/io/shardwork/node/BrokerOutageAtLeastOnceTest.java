package io.shardwork.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.coordination.testing.FairTestStrategy;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.coordination.worker.WorkerCoordinator;
import io.shardwork.embedded.EmbeddedKafka;
import io.shardwork.leader.TimeSource;
import io.shardwork.runner.RegionRunner;
import io.shardwork.runner.RegionRunnerFactory;
import io.shardwork.runner.RunnerListener;
import io.shardwork.runner.TestSetup;
import io.shardwork.verify.Verifier;
import io.shardwork.verify.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 4 against a real broker: at-least-once with small producer timeouts, the broker stopped while
 * the region runs for longer than delivery.timeout.ms, then restarted. The failed sends stop the region's
 * progress (the run dies, is claimed again with the restart backoff and resumes from its last checkpoint), so
 * verify finds no order violation and nothing lost. Real ZooKeeper, a real broker of this test's own. The broker
 * comes back as soon as the producer counts the first expired batch, so a runner that went on sending (the
 * behaviour before item 4) has its later effects land before the failed one is written again: with the item-4
 * checks (RegionRunner.requireEffectsWritten and AtLeastOnceLedger's refusal) removed, verify reported
 * order_violations 1.
 */
class BrokerOutageAtLeastOnceTest {
    private static final int ORDERS = 12_000;

    @Test
    void theBrokerStoppedPastTheProducerTimeoutsLeavesNoOrderViolationAndLosesNothing() throws Exception {
        Path dir = Files.createTempDirectory("shardwork-outage-kafka");
        try (EmbeddedKafka kafka = EmbeddedKafka.start("127.0.0.1", 0, 0, dir)) {
            TestSetup setup = TestSetup.create(kafka, "at-least-once", 1, Map.of(
                    "checkpoint.interval.ms", "8000",
                    "kafka.producer.delivery.timeout.ms", "4000",
                    "kafka.producer.request.timeout.ms", "1000",
                    "kafka.producer.max.block.ms", "1000",
                    "kafka.producer.linger.ms", "0",
                    "handler.config.billing.latency.ms", "2"));
            long produced = setup.produce(14L, ORDERS, 0).get(0);
            AtomicReference<Producer<byte[], byte[]>> producer = new AtomicReference<>();
            RegionRunnerFactory runners = RegionRunnerFactory.builder(setup.config).workerId("w1").warmConsumers(0)
                    .onSharedProducer(producer::set).build();
            RestartBackoff restarts = new RestartBackoff(Duration.ofMillis(200), Duration.ofSeconds(1));
            List<Long> startOffsets = new CopyOnWriteArrayList<>();
            List<Long> checkpointsAtDeath = new CopyOnWriteArrayList<>();
            try (TestCluster cluster = new TestCluster(1)) {
                AtomicReference<RunnerLifecycle> lifecycle = new AtomicReference<>();
                WorkerCoordinator worker = new WorkerCoordinator(cluster.settings("w1"), new FairTestStrategy(), store -> {
                    lifecycle.set(new RunnerLifecycle(runners, store, Map.of("r0", 0), Duration.ofSeconds(5), restarts));
                    return lifecycle.get();
                }, cluster.recorder(), TimeSource.system());
                lifecycle.get().onWorkEnded(worker::workEnded);
                lifecycle.get().observeRunners(new RunnerListener() {
                    @Override
                    public void onStarted(RegionRunner runner, long startOffset) {
                        startOffsets.add(startOffset);
                    }

                    @Override
                    public void onDied(RegionRunner runner, Throwable cause) {
                        checkpointsAtDeath.add(runner.stats().checkpointedOffset());
                    }
                });
                try {
                    worker.start();
                    Timing.await("r0 checkpointed past its start", Timing.CONVERGE, () -> checkpoint(cluster) > 0,
                            () -> String.valueOf(cluster.status().regions()));
                    long before = checkpoint(cluster);
                    assertTrue(before < produced, "the outage must fall while r0 runs: checkpoint " + before + " of " + produced);
                    kafka.stop();
                    // back as soon as the first batch expired (delivery.timeout.ms): later sends, if any were made, would land
                    Timing.await("a send of r0 expired", Duration.ofSeconds(30), () -> recordErrors(producer.get()) > 0,
                            () -> "starts " + startOffsets + ", deaths " + checkpointsAtDeath);
                    kafka.restart();
                    Timing.await("r0's run died of the failed send", Duration.ofSeconds(30), () -> !checkpointsAtDeath.isEmpty(),
                            () -> "starts " + startOffsets + ", deaths " + checkpointsAtDeath);
                    Timing.await("r0 done after the restart", Duration.ofSeconds(120), () -> checkpoint(cluster) >= produced,
                            () -> "checkpoint " + checkpoint(cluster) + " of " + produced + "; starts " + startOffsets
                                    + ", deaths " + checkpointsAtDeath);
                } finally {
                    worker.closeWithoutRelease();
                    runners.close();
                }
            }
            assertTrue(startOffsets.size() >= 2, "claimed again after the death: starts " + startOffsets);
            long resumedFrom = startOffsets.get(1);
            assertEquals(checkpointsAtDeath.get(0), resumedFrom, "the next run resumed from the last checkpoint: starts "
                    + startOffsets + ", deaths at checkpoints " + checkpointsAtDeath);
            assertTrue(resumedFrom > 0, "from a checkpoint, not from 0: " + startOffsets);
            VerifyReport report = new Verifier(setup.config).verify();
            assertEquals(0, report.orderViolations(), report::toJson);
            assertEquals(0, report.lost(), report::toJson);
            assertTrue(report.ok(), report::toJson);
        }
    }

    private static double recordErrors(Producer<byte[], byte[]> producer) {
        if (producer == null) {
            return 0;
        }
        return producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("record-error-total") && e.getKey().group().equals("producer-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    private static long checkpoint(TestCluster cluster) {
        return cluster.status().regions().stream().filter(r -> r.name().equals("r0") && r.checkpoint() != null)
                .mapToLong(ClusterStatus.RegionStatus::checkpoint).findFirst().orElse(0);
    }
}
