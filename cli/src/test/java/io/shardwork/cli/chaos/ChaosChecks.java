package io.shardwork.cli.chaos;

import static io.shardwork.cli.chaos.Scenario.epochs;
import static io.shardwork.cli.chaos.Scenario.regionsOf;
import static io.shardwork.cli.chaos.Scenario.settledOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.status.ClusterStatus;
import io.shardwork.embedded.EmbeddedCluster;
import io.shardwork.history.HistoryEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What the chaos suites share: their servers, three workers started, the choice of a victim, and the checks every scenario ends with. */
final class ChaosChecks {
    static final Set<String> THREE = Set.of("w1", "w2", "w3");

    private ChaosChecks() {
    }

    /** The embedded ZooKeeper and KRaft broker of one suite, on free ports under {@code dir}. */
    static EmbeddedCluster startServers(Path dir, String suite) {
        EmbeddedCluster cluster = EmbeddedCluster.start(EmbeddedCluster.Settings.onFreePorts(dir.resolve("cluster")));
        ChaosReport.record("---- " + suite + " " + Instant.now() + " (session timeout " + ChaosTiming.SESSION_TIMEOUT_MS + " ms, tick 200 ms)");
        return cluster;
    }

    static void stopServers(EmbeddedCluster cluster, String suite, long startedNanos) {
        if (cluster != null) {
            cluster.close();
        }
        ChaosReport.record(String.format("---- %s took %.1f s", suite, (System.nanoTime() - startedNanos) / 1e9));
    }

    /** A scenario on {@code cluster} with its three topics created. */
    static Scenario scenario(EmbeddedCluster cluster, Path dir, String name, Map<String, String> overrides) throws Exception {
        Scenario scenario = new Scenario(name, dir, cluster.zookeeperConnect(), cluster.kafkaBootstrap(), overrides);
        cluster.kafka().createTopics(scenario.topics());
        return scenario;
    }

    /** Starts w1, w2 and w3 and waits until every region is claimed and each of them holds one. */
    static ClusterStatus startThree(Scenario s) throws Exception {
        for (String id : List.of("w1", "w2", "w3")) {
            s.start(id);
        }
        return s.await("settled on " + THREE + ", each holding a region", ChaosTiming.SETTLE,
                status -> settledOn(status, THREE) && THREE.stream().noneMatch(id -> regionsOf(status, id).isEmpty()));
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** A worker that is not the leader and holds at least one region, so the fault is one crash, not also a leader change. */
    static String nonLeaderHolding(ClusterStatus status) {
        return status.members().stream().map(ClusterStatus.MemberStatus::id)
                .filter(id -> !id.equals(status.leader()) && !regionsOf(status, id).isEmpty())
                .sorted().findFirst().orElseThrow(() -> new AssertionError("no non-leader holds a region: " + status));
    }

    /** {@code all} without {@code gone}. */
    static Set<String> without(Set<String> all, String gone) {
        return all.stream().filter(id -> !id.equals(gone)).collect(Collectors.toSet());
    }

    /** The regions {@code moved} are claimed again by someone else under a higher epoch than in {@code before}. */
    static boolean movedOn(ClusterStatus status, ClusterStatus before, Set<String> moved, String from) {
        Map<String, Long> was = epochs(before);
        Map<String, Long> now = epochs(status);
        return status.regions().stream().filter(r -> moved.contains(r.name()))
                .allMatch(r -> r.claimedBy() != null && !r.claimedBy().equals(from) && now.get(r.name()) > was.get(r.name()));
    }

    /** Nothing lost, nothing conflicting, no order violation, verify ok (no duplicate in exactly-once), a clean recorded history. */
    static void assertClean(Scenario.Outcome outcome) {
        assertEquals(0, outcome.report().lost(), outcome.line());
        assertEquals(0, outcome.report().conflictingInvoices(), outcome.line());
        assertEquals(0, outcome.report().orderViolations(), outcome.line());
        assertTrue(outcome.report().ok(), outcome.line());
        assertTrue(outcome.history().ok(), outcome.history().problems() + " " + outcome.line());
        assertTrue(outcome.history().claims() > 0 && outcome.history().checkpointsAccepted() > 0, "the history was recorded: " + outcome.line());
    }

    /** The causes of the fenced writes of {@code worker}, e.g. {producer=1, checkpoint=2}. */
    static Map<String, Long> fencedCauses(List<HistoryEvent> history, String worker) {
        return history.stream().filter(e -> e.type() == HistoryEvent.Type.FENCED && e.worker().equals(worker))
                .collect(Collectors.groupingBy(HistoryEvent::cause, java.util.TreeMap::new, Collectors.counting()));
    }

    /** Checkpoints of {@code worker} accepted under an epoch below the region's epoch at {@code takeover}, after {@code since}. */
    static List<HistoryEvent> lateAcceptedCheckpoints(List<HistoryEvent> history, String worker, ClusterStatus takeover, Instant since) {
        Map<String, Long> current = epochs(takeover);
        return history.stream().filter(e -> e.type() == HistoryEvent.Type.CHECKPOINTED && e.worker().equals(worker)
                && e.epoch() < current.get(e.region()) && e.at().isAfter(since)).toList();
    }

    /**
     * SIGSTOPs {@code zombie} at a moment when one of its regions' transactions is open with invoices on the broker
     * (the invoices partition's end above its last stable offset, read while the worker is frozen): the commit it
     * would make when it wakes is then a real one to fence. A freeze that caught none (just after a commit) is
     * undone at once (SIGCONT, far within the session timeout) and tried again.
     *
     * @return the open transaction's invoice records per region of {@code zombie}
     */
    static Map<String, Long> stopInsideATransaction(Scenario s, String zombie, Set<String> regions) throws Exception {
        long deadline = System.nanoTime() + ChaosTiming.CATCH_UP.toNanos();
        while (System.nanoTime() < deadline) {
            Signals.stop(s.worker(zombie).pid());
            Map<String, Long> ends = s.endOffsets(s.config().invoicesTopic(), false);
            Map<String, Long> stable = s.endOffsets(s.config().invoicesTopic(), true);
            Map<String, Long> open = new TreeMap<>();
            regions.forEach(r -> open.put(r, ends.get(r) - stable.get(r)));
            if (open.values().stream().anyMatch(records -> records > 0)) {
                return open;
            }
            Signals.resume(s.worker(zombie).pid());
            Thread.sleep(ChaosTiming.POLL.toMillis());
        }
        throw new AssertionError(s.name + ": no open transaction of " + zombie + " caught by a freeze within " + ChaosTiming.CATCH_UP);
    }
}
