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

import io.shardwork.billing.BillingHandler;
import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.embedded.EmbeddedCluster;
import io.shardwork.history.HistoryChecker;
import io.shardwork.history.HistoryEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos with {@code runner.ordering=key} (issue 16): three worker PROCESSES (-Xmx256m) with
 * {@code runner.concurrency=16} and billing's simulated 2 ms wait, so that a region has many orders in flight,
 * each customer's one at a time, when its worker is killed or frozen. The orders come as one burst (keyed by
 * customer, 5,000 customers: a customer's orders repeat within a region), and the fault strikes while one of
 * the victim's regions is part-way through it. Every scenario ends with {@code verify} under key ordering: 0
 * lost, 0 conflicting, 0 order violations per customer; in exactly-once 0 duplicates; and a clean ownership
 * history. Waits are for events, with deadlines from {@link ChaosTiming}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyOrderedChaosTest {
    /** Orders of the burst: enough that the regions take a few checkpoint intervals over them. */
    private static final int BURST = 16_000;

    @TempDir
    static Path dir;

    private static EmbeddedCluster cluster;
    private static long suiteStarted;

    @BeforeAll
    static void startServers() {
        suiteStarted = System.nanoTime();
        cluster = ChaosChecks.startServers(dir, "key-ordered chaos suite");
    }

    @AfterAll
    static void stopServers() {
        ChaosChecks.stopServers(cluster, "key-ordered chaos suite", suiteStarted);
    }

    private static Scenario scenario(String name, String delivery) throws Exception {
        return ChaosChecks.scenario(cluster, dir, name, Map.of("delivery", delivery, "runner.ordering", "key",
                "runner.concurrency", "16", "handler.config." + BillingHandler.LATENCY_MS, "2"));
    }

    /** The burst's end offset per region, and the orders each of the victim's regions still had to do at the fault. */
    private record Midway(Map<String, Long> ends, Map<String, Long> toDo) {
    }

    /**
     * Writes the burst and waits until one of {@code victim}'s regions has checkpointed part of it and has more
     * than a region's concurrency still to do.
     */
    private static Midway burstUntilMidway(Scenario s, Set<String> victimRegions, String victim) throws Exception {
        s.produce(BURST, 0);
        Map<String, Long> ends = s.endOffsets(s.config().ordersTopic());
        Map<String, Long> toDo = new TreeMap<>();
        s.await("a region of " + victim + " part-way through the burst " + ends, ChaosTiming.CATCH_UP, status -> {
            Map<String, Long> done = checkpoints(status);
            toDo.clear();
            victimRegions.forEach(r -> toDo.put(r, ends.get(r) - done.get(r)));
            return victimRegions.stream().anyMatch(r -> done.get(r) > 0 && ends.get(r) - done.get(r) > 64);
        });
        return new Midway(ends, Map.copyOf(toDo));
    }

    private static Scenario.Outcome killMidway(Scenario s) throws Exception {
        ClusterStatus settled = startThree(s);
        String victim = nonLeaderHolding(settled);
        Set<String> victimRegions = regionsOf(settled, victim);
        Midway midway = burstUntilMidway(s, victimRegions, victim);
        long killedAt = System.nanoTime();
        s.worker(victim).kill();
        s.await("regions of the killed " + victim + " claimed again", ChaosTiming.TAKEOVER,
                status -> settledOn(status, without(THREE, victim)) && movedOn(status, settled, victimRegions, victim));
        long takeoverMs = millisSince(killedAt);
        s.awaitCaughtUp();
        return s.verify("kill -9 " + victim + " with orders still to do " + midway.toDo() + "; takeover " + takeoverMs + " ms");
    }

    @Test
    @Order(1)
    void killMinusNineMidBurstAtLeastOnceLosesNothingAndKeepsEachCustomersOrder() throws Exception {
        try (Scenario s = scenario("k1-key-kill-alo", "at-least-once")) {
            assertClean(killMidway(s));
        }
    }

    @Test
    @Order(2)
    void killMinusNineMidBurstExactlyOnceAlsoDuplicatesNothing() throws Exception {
        try (Scenario s = scenario("k2-key-kill-eos", "exactly-once")) {
            Scenario.Outcome outcome = killMidway(s);
            assertClean(outcome);
            assertEquals(0, outcome.report().duplicateInvoices(), outcome.line());
        }
    }

    @Test
    @Order(3)
    void aWorkerStoppedPastItsSessionMidBurstHasItsLateCommitFencedAndDuplicatesNothing() throws Exception {
        try (Scenario s = scenario("k3-key-sigstop-eos", "exactly-once")) {
            ClusterStatus settled = startThree(s);
            String zombie = nonLeaderHolding(settled);
            Set<String> zombieRegions = regionsOf(settled, zombie);
            Midway midway = burstUntilMidway(s, zombieRegions, zombie);
            long stoppedAt = System.nanoTime();
            Map<String, Long> open = stopInsideATransaction(s, zombie, zombieRegions);
            ClusterStatus takeover = s.await(zombie + "'s member node gone and its regions claimed again under higher epochs",
                    ChaosTiming.TAKEOVER, status -> status.members().stream().noneMatch(m -> m.id().equals(zombie))
                            && settledOn(status, without(THREE, zombie)) && movedOn(status, settled, zombieRegions, zombie));
            long takeoverMs = millisSince(stoppedAt);
            // the new owners' producers are initialised (the zombie's transactions fenced) once they checkpoint
            Map<String, Long> atTakeover = checkpoints(takeover);
            s.await("the new owners checkpoint past the takeover", ChaosTiming.CATCH_UP, status -> zombieRegions.stream()
                    .allMatch(r -> checkpoints(status).get(r) > atTakeover.get(r) || atTakeover.get(r).equals(midway.ends().get(r))));
            Instant resumedAt = Instant.now();
            Signals.resume(s.worker(zombie).pid());
            long resumed = System.nanoTime();
            s.await(zombie + " back as a member and everything settled", ChaosTiming.TAKEOVER, status -> settledOn(status, THREE));
            long rejoinMs = millisSince(resumed);
            s.awaitCaughtUp();

            List<HistoryEvent> history = s.history();
            long zombieFenced = HistoryChecker.fencedWritesOf(history, zombie);
            List<HistoryEvent> late = lateAcceptedCheckpoints(history, zombie, takeover, resumedAt);
            // the zombie's open transaction at the freeze, whose commit would come late: its invoices (under the epochs
            // it held then) are in the log, aborted by the new owner's fencing
            Map<String, Long> frozenEpochs = epochs(settled);
            long aborted = s.invoicesWrittenBy(zombie, frozenEpochs, false) - s.invoicesWrittenBy(zombie, frozenEpochs, true);
            Scenario.Outcome outcome = s.verify("SIGSTOP " + zombie + " with orders still to do " + midway.toDo() + ", open transactions' invoices " + open + "; takeover " + takeoverMs
                    + " ms; rejoined " + rejoinMs + " ms after SIGCONT; zombie's invoices aborted " + aborted + "; its fenced writes "
                    + zombieFenced + " " + fencedCauses(history, zombie) + "; its late checkpoints accepted " + late.size());
            assertClean(outcome);
            assertEquals(0, outcome.report().duplicateInvoices(), outcome.line());
            assertEquals(List.of(), late, "no checkpoint of the zombie under its old epochs is accepted after it wakes");
            assertTrue(aborted > 0, "the zombie's transaction open at the freeze is aborted, never committed: " + outcome.line());
            assertTrue(aborted >= open.values().stream().mapToLong(Long::longValue).sum(), "every invoice of the open transactions: " + outcome.line());
        }
    }
}
