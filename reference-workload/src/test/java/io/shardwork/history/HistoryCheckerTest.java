package io.shardwork.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistoryCheckerTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final HistoryChecker checker = new HistoryChecker();

    private static Instant t(long millis) {
        return T0.plusMillis(millis);
    }

    /** A clean history: a handover, a crash (never released) and a takeover, a zombie's fenced write. */
    private static List<HistoryEvent> cleanHistory() {
        return List.of(
                HistoryEvent.claimed("eu", "w1", 1, t(0)),
                HistoryEvent.checkpointed("eu", "w1", 1, t(500), 10, 1),
                HistoryEvent.released("eu", "w1", 1, t(900), true),
                HistoryEvent.claimed("eu", "w2", 2, t(1000)),
                HistoryEvent.checkpointed("eu", "w2", 2, t(1500), 20, 2),
                // w2 is killed: no release; w3 takes over under epoch 3 while w2's interval stays open
                HistoryEvent.claimed("eu", "w3", 3, t(6000)),
                HistoryEvent.checkpointed("eu", "w3", 3, t(6500), 30, 3),
                HistoryEvent.fenced("eu", "w2", 2, t(7000), "checkpoint"),
                HistoryEvent.claimed("us", "w1", 1, t(0)),
                HistoryEvent.checkpointed("us", "w1", 1, t(500), 5, 1));
    }

    @Test
    void aCleanHistoryIsOkAndCountsTheFencedWrites() {
        HistoryReport report = checker.check(cleanHistory());
        assertTrue(report.ok(), report.problems().toString());
        assertEquals(10, report.events());
        assertEquals(4, report.claims());
        assertEquals(4, report.checkpointsAccepted());
        assertEquals(0, report.overlappingClaims());
        assertEquals(0, report.epochRegressions());
        assertEquals(0, report.checkpointEpochRegressions());
        assertEquals(0, report.foreignCheckpoints());
        assertEquals(1, report.fencedWritesRejected());
        assertEquals(List.of(), report.problems());
    }

    @Test
    void theOrderOfTheEventsDoesNotMatter() {
        List<HistoryEvent> shuffled = new ArrayList<>(cleanHistory());
        long seed = 42;
        Collections.shuffle(shuffled, new Random(seed));
        assertEquals(checker.check(cleanHistory()), checker.check(shuffled), "seed " + seed);
    }

    @Test
    void twoHoldersUnderTheSameEpochAtTheSameTimeOverlap() {
        List<HistoryEvent> events = List.of(
                HistoryEvent.claimed("eu", "w1", 4, t(0)),
                HistoryEvent.claimed("eu", "w2", 4, t(100)),
                HistoryEvent.released("eu", "w2", 4, t(200), true));
        HistoryReport report = checker.check(events);
        assertFalse(report.ok());
        assertEquals(1, report.overlappingClaims());
        assertEquals(1, report.epochRegressions(), "the second claim under epoch 4 did not raise the epoch");
        assertTrue(report.problems().get(0).contains("held under epoch 4 by w1"), report.problems().toString());
    }

    @Test
    void theSameEpochHeldOneAfterTheOtherByOneWorkerIsNoOverlapButARegression() {
        List<HistoryEvent> events = List.of(
                HistoryEvent.claimed("eu", "w1", 4, t(0)),
                HistoryEvent.released("eu", "w1", 4, t(100), false),
                HistoryEvent.claimed("eu", "w1", 4, t(200)));
        HistoryReport report = checker.check(events);
        assertEquals(0, report.overlappingClaims());
        assertEquals(1, report.epochRegressions());
        assertFalse(report.ok());
    }

    @Test
    void twoWorkersUnderTheSameEpochOverlapWhateverTheirClocksSay() {
        List<HistoryEvent> events = List.of(
                HistoryEvent.claimed("eu", "w1", 4, t(0)),
                HistoryEvent.released("eu", "w1", 4, t(100), false),
                HistoryEvent.claimed("eu", "w2", 4, t(200)));
        HistoryReport report = checker.check(events);
        assertEquals(1, report.overlappingClaims(), "w2's clock may be behind: the epoch, not the time, says they were both holders");
        assertEquals(1, report.epochRegressions());
        assertFalse(report.ok());
    }

    @Test
    void differentEpochsMayOverlapInTime() {
        List<HistoryEvent> events = List.of(
                HistoryEvent.claimed("eu", "zombie", 1, t(0)),
                HistoryEvent.claimed("eu", "w2", 2, t(5000)),
                HistoryEvent.released("eu", "zombie", 1, t(9000), false));
        assertTrue(checker.check(events).ok());
    }

    @Test
    void aWorkersClaimUnderALowerEpochThanItsOwnEarlierClaimIsARegression() {
        List<HistoryEvent> events = List.of(
                HistoryEvent.claimed("eu", "w1", 5, t(0)),
                HistoryEvent.released("eu", "w1", 5, t(100), true),
                HistoryEvent.claimed("eu", "w1", 3, t(200)));
        HistoryReport report = checker.check(events);
        assertEquals(1, report.epochRegressions());
        assertFalse(report.ok());
    }

    @Test
    void anotherWorkersClaimAtAnEarlierLookingTimeUnderAHigherEpochIsNoRegression() {
        List<HistoryEvent> events = List.of(
                HistoryEvent.claimed("eu", "w1", 5, t(0)),
                HistoryEvent.released("eu", "w1", 5, t(100), true),
                HistoryEvent.claimed("eu", "w2", 6, t(-9_000)));
        HistoryReport report = checker.check(events);
        assertTrue(report.ok(), "w2's clock is behind; epoch 6 is later than 5 whatever it says: " + report.problems());
    }

    @Test
    void anAcceptedCheckpointUnderAnOlderEpochAfterANewerOneIsARegression() {
        List<HistoryEvent> events = List.of(
                HistoryEvent.claimed("eu", "zombie", 1, t(0)),
                HistoryEvent.claimed("eu", "w2", 2, t(5000)),
                HistoryEvent.checkpointed("eu", "w2", 2, t(5500), 50, 7),
                HistoryEvent.checkpointed("eu", "zombie", 1, t(5400), 40, 8));
        HistoryReport report = checker.check(events);
        assertEquals(1, report.checkpointEpochRegressions(), "ZooKeeper's version order counts, not the wall clock");
        assertFalse(report.ok());
        assertTrue(report.problems().get(0).contains("checkpoint version 8 by zombie"), report.problems().toString());
    }

    @Test
    void aCheckpointUnderAnEpochItsWorkerNeverClaimedIsForeign() {
        List<HistoryEvent> events = List.of(
                HistoryEvent.claimed("eu", "w1", 1, t(0)),
                HistoryEvent.checkpointed("eu", "w2", 1, t(100), 10, 1));
        HistoryReport report = checker.check(events);
        assertEquals(1, report.foreignCheckpoints());
        assertFalse(report.ok());
    }

    @Test
    void theReportKeepsItsKeysApartFromTheOrderCheck() {
        assertEquals(List.of("history_events", "history_claims", "history_checkpoints", "overlapping_claims", "epoch_regressions",
                        "checkpoint_epoch_regressions", "checkpoint_offset_regressions", "foreign_checkpoints", "fenced_writes_rejected", "history_unreadable_lines",
                        "history_ok"),
                List.copyOf(checker.check(cleanHistory()).toMap().keySet()));
    }

    @Test
    void fencedWritesAreCountedPerWorker() {
        assertEquals(1, HistoryChecker.fencedWritesOf(cleanHistory(), "w2"));
        assertEquals(0, HistoryChecker.fencedWritesOf(cleanHistory(), "w3"));
    }

    @Test
    void anAcceptedCheckpointBelowTheOneBeforeItUnderTheSameEpochIsAnOffsetRegression() {
        HistoryReport report = checker.check(List.of(
                HistoryEvent.claimed("eu", "w1", 1, t(0)),
                HistoryEvent.checkpointed("eu", "w1", 1, t(500), 40, 1),
                HistoryEvent.checkpointed("eu", "w1", 1, t(400), 30, 2),
                HistoryEvent.claimed("us", "w1", 1, t(0)),
                HistoryEvent.checkpointed("us", "w1", 1, t(500), 40, 1),
                HistoryEvent.claimed("us", "w2", 2, t(1000)),
                HistoryEvent.checkpointed("us", "w2", 2, t(1500), 35, 2)));
        assertEquals(1, report.checkpointOffsetRegressions(), "only eu's: a new epoch may start lower. " + report.problems());
        assertFalse(report.ok());
    }
}
