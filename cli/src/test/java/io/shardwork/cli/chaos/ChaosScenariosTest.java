package io.shardwork.cli.chaos;

import static io.shardwork.cli.chaos.ChaosChecks.THREE;
import static io.shardwork.cli.chaos.ChaosChecks.assertClean;
import static io.shardwork.cli.chaos.ChaosChecks.fencedCauses;
import static io.shardwork.cli.chaos.ChaosChecks.lateAcceptedCheckpoints;
import static io.shardwork.cli.chaos.ChaosChecks.millisSince;
import static io.shardwork.cli.chaos.ChaosChecks.movedOn;
import static io.shardwork.cli.chaos.ChaosChecks.nonLeaderHolding;
import static io.shardwork.cli.chaos.ChaosChecks.startThree;
import static io.shardwork.cli.chaos.ChaosChecks.stopInsideATransaction;
import static io.shardwork.cli.chaos.ChaosChecks.without;
import static io.shardwork.cli.chaos.Scenario.checkpoints;
import static io.shardwork.cli.chaos.Scenario.epochs;
import static io.shardwork.cli.chaos.Scenario.regionsOf;
import static io.shardwork.cli.chaos.Scenario.settledOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.cli.process.WorkerProcess;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.embedded.EmbeddedCluster;
import io.shardwork.history.HistoryChecker;
import io.shardwork.history.HistoryEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos scenarios: worker PROCESSES (child JVMs, -Xmx256m, at most three) against real servers (the
 * embedded ZooKeeper and KRaft broker, shared by the scenarios one after the other, or a three-server
 * ZooKeeper ensemble), one fault each. Every scenario ends with the order check (nothing lost, no
 * conflicting invoice, no order violation; in exactly-once mode no duplicate) and the ownership-history
 * check (never two holders under one epoch, epochs only grow, accepted checkpoints never go down in
 * epoch), and prints its figures and takeover times (also to target/chaos-report.txt).
 *
 * <p>Every wait is for an event seen in ZooKeeper, Kafka or the history, with a deadline from
 * {@link ChaosTiming}. The only fixed durations hold a fault (an outage) for a while; nothing is asserted
 * on a guess that a fixed pause was long enough.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosScenariosTest {
    @TempDir
    static Path dir;

    private static EmbeddedCluster cluster;
    private static long suiteStarted;

    @BeforeAll
    static void startServers() {
        suiteStarted = System.nanoTime();
        cluster = ChaosChecks.startServers(dir, "chaos suite");
    }

    @AfterAll
    static void stopServers() {
        ChaosChecks.stopServers(cluster, "chaos suite", suiteStarted);
    }

    private static Scenario scenario(String name, Map<String, String> overrides) throws Exception {
        return ChaosChecks.scenario(cluster, dir, name, overrides);
    }

    // ---------------------------------------------------------------- 1

    @Test
    @Order(1)
    void killMinusNineBetweenAnEffectAndItsCheckpointLosesNothing() throws Exception {
        try (Scenario s = scenario("s1-kill-uncheckpointed", Map.of("checkpoint.interval.ms", "5000"))) {
            ClusterStatus settled = startThree(s);
            Scenario.Feeder feeder = s.feed(1200);
            String victim = nonLeaderHolding(settled);
            Set<String> victimRegions = regionsOf(settled, victim);
            // the victim has checkpointed once and its invoices have run ahead of that checkpoint: effects without a checkpoint
            java.util.concurrent.atomic.AtomicLong ahead = new java.util.concurrent.atomic.AtomicLong();
            s.await("invoices of " + victim + "'s regions ahead of their checkpoints", ChaosTiming.CATCH_UP, status -> {
                Map<String, Long> done = checkpoints(status);
                Map<String, Long> invoiced = s.endOffsets(s.config().invoicesTopic());
                ahead.set(victimRegions.stream().filter(r -> done.get(r) > 0).mapToLong(r -> invoiced.get(r) - done.get(r)).sum());
                return ahead.get() > 100;
            });
            long killedAt = System.nanoTime();
            s.worker(victim).kill();
            ClusterStatus after = s.await("regions of the killed " + victim + " claimed again", ChaosTiming.TAKEOVER,
                    status -> settledOn(status, without(THREE, victim)) && movedOn(status, settled, victimRegions, victim));
            long takeoverMs = millisSince(killedAt);
            feeder.stop();
            s.awaitCaughtUp();
            Scenario.Outcome outcome = s.verify("killed " + victim + " (regions " + victimRegions + ") with " + ahead.get() + " invoices past its checkpoints;"
                    + " takeover " + takeoverMs + " ms");
            assertClean(outcome);
            assertTrue(outcome.report().duplicateInvoices() > 0,
                    "the victim's effects after its last checkpoint are delivered again (at least once): " + outcome.line());
            assertTrue(after.leaderEpoch() >= settled.leaderEpoch());
        }
    }

    // ---------------------------------------------------------------- 2

    @Test
    @Order(2)
    void aWorkerStoppedPastItsSessionWakesUpAsAZombieWhoseLateWritesAreAllRefused() throws Exception {
        try (Scenario s = scenario("s2-sigstop-zombie", Map.of("delivery", "exactly-once"))) {
            ClusterStatus settled = startThree(s);
            Scenario.Feeder feeder = s.feed(600);
            String zombie = nonLeaderHolding(settled);
            Set<String> zombieRegions = regionsOf(settled, zombie);
            s.await("progress in every region", ChaosTiming.CATCH_UP, status -> checkpoints(status).values().stream().allMatch(c -> c > 0));

            long stoppedAt = System.nanoTime();
            Map<String, Long> open = stopInsideATransaction(s, zombie, zombieRegions);
            ClusterStatus takeover = s.await(zombie + "'s member node gone and its regions claimed again under higher epochs",
                    ChaosTiming.TAKEOVER, status -> status.members().stream().noneMatch(m -> m.id().equals(zombie))
                            && settledOn(status, without(THREE, zombie)) && movedOn(status, settled, zombieRegions, zombie));
            long takeoverMs = millisSince(stoppedAt);
            Map<String, Long> atTakeover = checkpoints(takeover);
            s.await("the new owners checkpoint past the takeover", ChaosTiming.CATCH_UP,
                    status -> zombieRegions.stream().allMatch(r -> checkpoints(status).get(r) > atTakeover.get(r)));

            Instant resumedAt = Instant.now();
            Signals.resume(s.worker(zombie).pid());
            long resumed = System.nanoTime();
            s.await(zombie + " back as a member and everything settled", ChaosTiming.TAKEOVER, status -> settledOn(status, THREE));
            long rejoinMs = millisSince(resumed);
            feeder.stop();
            s.awaitCaughtUp();

            List<HistoryEvent> history = s.history();
            long zombieFenced = HistoryChecker.fencedWritesOf(history, zombie);
            List<HistoryEvent> late = lateAcceptedCheckpoints(history, zombie, takeover, resumedAt);
            // Whether the woken zombie tries a write at all is a race it may win either way: it pauses its regions
            // when it sees its session gone, and a write it tries first is refused (counted in its fenced writes).
            // What never races: the transaction open at the freeze, whose commit would come late, is aborted.
            Map<String, Long> frozenEpochs = epochs(settled);
            long aborted = s.invoicesWrittenBy(zombie, frozenEpochs, false) - s.invoicesWrittenBy(zombie, frozenEpochs, true);
            Scenario.Outcome outcome = s.verify("SIGSTOP " + zombie + " (regions " + zombieRegions + ") with open transactions' invoices " + open
                    + "; takeover " + takeoverMs + " ms; zombie rejoined " + rejoinMs + " ms after SIGCONT; zombie's invoices aborted " + aborted
                    + "; its fenced writes " + zombieFenced + " " + fencedCauses(history, zombie) + "; its late checkpoints accepted " + late.size());
            assertClean(outcome);
            assertEquals(0, outcome.report().duplicateInvoices(), outcome.line());
            assertEquals(List.of(), late, "no checkpoint of the zombie under its old epochs is accepted after it wakes");
            assertTrue(aborted >= open.values().stream().mapToLong(Long::longValue).sum() && aborted > 0,
                    "every invoice of the transactions open at the freeze is aborted, never committed: " + outcome.line());
        }
    }

    // ---------------------------------------------------------------- 3

    @Test
    @Order(3)
    void killingTheLeaderRightAfterAWorkerJoinsLosesNothing() throws Exception {
        try (Scenario s = scenario("s3-leader-kill-rebalance", Map.of())) {
            s.start("w1");
            s.start("w2");
            ClusterStatus two = s.awaitSettled(Set.of("w1", "w2"), ChaosTiming.SETTLE);
            Scenario.Feeder feeder = s.feed(800);
            s.start("w3");
            ClusterStatus joined = s.await("w3 registered", ChaosTiming.SETTLE,
                    status -> status.members().stream().anyMatch(m -> m.id().equals("w3")));
            String leader = joined.leader();
            long killedAt = System.nanoTime();
            s.worker(leader).kill();
            Set<String> survivors = without(THREE, leader);
            ClusterStatus after = s.awaitSettled(survivors, ChaosTiming.TAKEOVER);
            long takeoverMs = millisSince(killedAt);
            // the join's rebalance completes under the new leader: w3 gets regions
            ClusterStatus balanced = s.await("w3 holds a region", ChaosTiming.TAKEOVER,
                    status -> settledOn(status, survivors) && !regionsOf(status, "w3").isEmpty());
            long balancedMs = millisSince(killedAt);
            feeder.stop();
            s.awaitCaughtUp();
            Scenario.Outcome outcome = s.verify("leader " + leader + " killed right after w3 joined (generation " + joined.generation()
                    + "); new leader " + after.leader() + " and every region claimed after " + takeoverMs + " ms; w3 holds "
                    + regionsOf(balanced, "w3") + " after " + balancedMs + " ms");
            assertClean(outcome);
            assertTrue(after.leaderEpoch() > two.leaderEpoch(), "a new leader bumps the leader epoch");
        }
    }

    // ---------------------------------------------------------------- 4a

    @Test
    @Order(4)
    void zooKeeperRestartedUnderLoadLosesNothing() throws Exception {
        try (Scenario s = scenario("s4a-zookeeper-restart", Map.of())) {
            startThree(s);
            Scenario.Feeder feeder = s.feed(800);
            ClusterStatus before = s.await("progress in every region", ChaosTiming.CATCH_UP,
                    status -> checkpoints(status).values().stream().allMatch(c -> c > 0));
            Map<String, Long> was = checkpoints(before);
            long restartedAt = System.nanoTime();
            cluster.zookeeper().restart();
            long downMs = millisSince(restartedAt);
            s.await("every checkpoint moving again after the restart", ChaosTiming.TAKEOVER,
                    status -> settledOn(status, THREE) && checkpoints(status).entrySet().stream().allMatch(e -> e.getValue() > was.get(e.getKey())));
            long resumedMs = millisSince(restartedAt);
            feeder.stop();
            s.awaitCaughtUp();
            assertClean(s.verify("ZooKeeper restarted (down " + downMs + " ms); every region checkpointing again after " + resumedMs + " ms"));
        }
    }

    // ---------------------------------------------------------------- 4b

    @Test
    @Order(5)
    void aThreeServerEnsembleLosingOneServerThenQuorumMakesNoProgressWithoutQuorumAndLosesNothing() throws Exception {
        List<InstanceSpec> specs = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            Path data = java.nio.file.Files.createDirectories(dir.resolve("ensemble-" + id));
            specs.add(new InstanceSpec(data.toFile(), -1, -1, -1, true, id, 200, -1));
        }
        try (TestingCluster ensemble = new TestingCluster(specs)) {
            ensemble.start();
            try (Scenario s = new Scenario("s4b-ensemble-quorum", dir, ensemble.getConnectString(), cluster.kafkaBootstrap(), Map.of())) {
                cluster.kafka().createTopics(s.topics());
                startThree(s);
                Scenario.Feeder feeder = s.feed(600);
                ClusterStatus before = s.await("progress in every region", ChaosTiming.CATCH_UP,
                        status -> checkpoints(status).values().stream().allMatch(c -> c > 0));

                ensemble.killServer(specs.get(0));
                Map<String, Long> withTwo = checkpoints(before);
                long oneDown = System.nanoTime();
                s.await("progress with two servers of three", ChaosTiming.TAKEOVER,
                        status -> checkpoints(status).entrySet().stream().allMatch(e -> e.getValue() > withTwo.get(e.getKey())));
                long twoServerMs = millisSince(oneDown);

                ensemble.killServer(specs.get(1));
                Instant quorumLost = Instant.now();
                // hold the outage (shorter than the session timeout): no write can be accepted meanwhile
                Thread.sleep(2500);
                Instant restoring = Instant.now();
                ensemble.restartServer(specs.get(0));
                ensemble.restartServer(specs.get(1));
                long restoredAt = System.nanoTime();
                s.awaitSettled(THREE, ChaosTiming.TAKEOVER);
                Map<String, Long> afterRestore = checkpoints(s.status());
                s.await("every checkpoint moving again with quorum back", ChaosTiming.TAKEOVER,
                        status -> settledOn(status, THREE) && checkpoints(status).entrySet().stream().allMatch(e -> e.getValue() > afterRestore.get(e.getKey())));
                long recoveredMs = millisSince(restoredAt);
                feeder.stop();
                s.awaitCaughtUp();

                // accepted checkpoints recorded inside the outage (a margin at its start for one accepted before and recorded after)
                Instant from = quorumLost.plusMillis(300);
                List<HistoryEvent> duringOutage = s.history().stream().filter(e -> e.type() == HistoryEvent.Type.CHECKPOINTED
                        && e.at().isAfter(from) && e.at().isBefore(restoring)).toList();
                Scenario.Outcome outcome = s.verify("one server of three down: checkpoints moving after " + twoServerMs
                        + " ms; quorum lost for 2500 ms: " + duringOutage.size() + " checkpoints accepted meanwhile; every region checkpointing again "
                        + recoveredMs + " ms after the restart");
                assertClean(outcome);
                assertEquals(List.of(), duringOutage, "no checkpoint is accepted without quorum");
            }
        }
    }

    // ---------------------------------------------------------------- 5

    @Test
    @Order(6)
    void theKafkaBrokerRestartedUnderLoadLosesNothing() throws Exception {
        try (Scenario s = scenario("s5-kafka-restart", Map.of())) {
            startThree(s);
            s.produce(6000, 0);
            s.await("progress in every region", ChaosTiming.CATCH_UP, status -> checkpoints(status).values().stream().allMatch(c -> c > 0));
            long stoppedAt = System.nanoTime();
            cluster.kafka().stop();
            Thread.sleep(3000); // hold the outage
            cluster.kafka().restart();
            long outageMs = millisSince(stoppedAt);
            long restartedAt = System.nanoTime();
            s.produce(3000, 0);
            s.awaitCaughtUp();
            long caughtUpMs = millisSince(restartedAt);
            assertClean(s.verify("broker down " + outageMs + " ms mid-stream; everything done " + caughtUpMs + " ms after the restart"));
        }
    }

    // ---------------------------------------------------------------- 6

    @Test
    @Order(7)
    void poisonOrdersAreDeadLetteredAndTheRestProcessed() throws Exception {
        int poison = 40;
        try (Scenario s = scenario("s6-poison", Map.of("retry.max.attempts", "3"))) {
            s.start("w1");
            s.start("w2");
            s.awaitSettled(Set.of("w1", "w2"), ChaosTiming.SETTLE);
            long producedAt = System.nanoTime();
            s.produce(5000, poison);
            s.awaitCaughtUp();
            long doneMs = millisSince(producedAt);
            Scenario.Outcome outcome = s.verify(poison + " poison orders among 5000; all done after " + doneMs + " ms");
            assertClean(outcome);
            assertEquals(5000 + poison, outcome.report().produced());
            assertEquals(poison, outcome.report().deadLettered(), outcome.line());
        }
    }

    // ---------------------------------------------------------------- 7

    @Test
    @Order(8)
    void everyWorkerStoppedThenAColdStartFromTheCheckpointsLosesAndDuplicatesNothing() throws Exception {
        try (Scenario s = scenario("s7-cold-start", Map.of())) {
            ClusterStatus settled = startThree(s);
            Scenario.Feeder feeder = s.feed(1500);
            s.await("progress in every region", ChaosTiming.CATCH_UP, status -> checkpoints(status).values().stream().allMatch(c -> c > 0));
            List<WorkerProcess> all = List.of(s.worker("w1"), s.worker("w2"), s.worker("w3"));
            feeder.stop();
            Map<String, Integer> exits = new HashMap<>();
            long stopping = System.nanoTime();
            // SIGTERM all three at once, then wait for each
            List<Thread> terminations = new ArrayList<>();
            for (WorkerProcess worker : all) {
                Thread t = new Thread(() -> {
                    try {
                        int code = worker.terminate(ChaosTiming.GRACEFUL_EXIT);
                        synchronized (exits) {
                            exits.put(worker.workerId(), code);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                terminations.add(t);
            }
            for (Thread t : terminations) {
                t.join();
            }
            long stopMs = millisSince(stopping);
            assertEquals(Map.of("w1", 0, "w2", 0, "w3", 0), exits, "SIGTERM releases and exits 0");
            ClusterStatus down = s.status();
            assertTrue(down.members().isEmpty() && down.regions().stream().allMatch(r -> r.claimedBy() == null), "nobody holds anything: " + down);

            s.produce(3000, 0); // written while every worker is down
            long coldStart = System.nanoTime();
            ClusterStatus again = startThree(s);
            long settleMs = millisSince(coldStart);
            s.awaitCaughtUp();
            long doneMs = millisSince(coldStart);
            Scenario.Outcome outcome = s.verify("three SIGTERMs released in " + stopMs + " ms; cold start settled after " + settleMs
                    + " ms, everything done after " + doneMs + " ms");
            assertClean(outcome);
            assertEquals(0, outcome.report().duplicateInvoices(), "graceful stops leave nothing to deliver twice: " + outcome.line());
            Map<String, Long> epochsBefore = epochs(settled);
            epochs(again).forEach((region, epoch) -> assertTrue(epoch > epochsBefore.get(region), "a cold start claims under new epochs"));
        }
    }

    // ---------------------------------------------------------------- 8

    @Test
    @Order(9)
    void aWorkerCutOffFromZooKeeperButNotKafkaIsTakenOverAndWritesNothingLate() throws Exception {
        try (FreezableProxy proxy = new FreezableProxy(cluster.zookeeper().port());
             Scenario s = scenario("s8-zookeeper-partition", Map.of("delivery", "exactly-once"))) {
            Path viaProxy = s.writeConfig("w3-via-proxy.properties", proxy.connectString());
            s.start("w1");
            s.start("w2");
            s.start("w3", viaProxy);
            ClusterStatus settled = s.awaitSettled(THREE, ChaosTiming.SETTLE);
            Scenario.Feeder feeder = s.feed(600);
            ClusterStatus progressing = s.await("progress in every region, w3 holding one", ChaosTiming.CATCH_UP,
                    status -> settledOn(status, THREE) && !regionsOf(status, "w3").isEmpty()
                            && checkpoints(status).values().stream().allMatch(c -> c > 0));
            Set<String> cutRegions = regionsOf(progressing, "w3");

            long frozenAt = System.nanoTime();
            proxy.freeze();
            ClusterStatus takeover = s.await("w3 expired and its regions claimed again under higher epochs", ChaosTiming.TAKEOVER,
                    status -> status.members().stream().noneMatch(m -> m.id().equals("w3")) && settledOn(status, Set.of("w1", "w2"))
                            && movedOn(status, progressing, cutRegions, "w3"));
            long takeoverMs = millisSince(frozenAt);
            Instant takenOver = Instant.now();
            Map<String, Long> atTakeover = checkpoints(takeover);
            s.await("the new owners checkpoint past the takeover", ChaosTiming.CATCH_UP,
                    status -> cutRegions.stream().allMatch(r -> checkpoints(status).get(r) > atTakeover.get(r)));

            proxy.heal();
            long healedAt = System.nanoTime();
            s.await("w3 back and everything settled", ChaosTiming.TAKEOVER, status -> settledOn(status, THREE));
            long rejoinMs = millisSince(healedAt);
            feeder.stop();
            s.awaitCaughtUp();

            List<HistoryEvent> history = s.history();
            long fenced = HistoryChecker.fencedWritesOf(history, "w3");
            List<HistoryEvent> late = lateAcceptedCheckpoints(history, "w3", takeover, takenOver);
            Scenario.Outcome outcome = s.verify("w3's ZooKeeper link frozen (Kafka reachable) holding " + cutRegions + "; takeover "
                    + takeoverMs + " ms; w3 rejoined " + rejoinMs + " ms after the link healed; w3's fenced writes " + fenced + " " + fencedCauses(history, "w3")
                    + "; w3's late checkpoints accepted " + late.size());
            assertClean(outcome);
            assertEquals(List.of(), late, "no checkpoint of the cut-off worker under its old epochs is accepted after the takeover");
            assertTrue(settled.regions().size() == Scenario.REGIONS);
        }
    }
}
