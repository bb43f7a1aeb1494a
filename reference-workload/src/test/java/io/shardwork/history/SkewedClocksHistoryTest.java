package io.shardwork.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The history checker never compares the wall clocks of different workers: a region handed back and forth
 * between w1 and w2, whose clock is 10 s behind, with handovers closer together than the skew, is a clean
 * history; the order it relies on is ZooKeeper's (epochs, checkpoint versions) and each worker's own clock.
 * Seeded; the seed is printed on failure.
 */
class SkewedClocksHistoryTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration W2_BEHIND = Duration.ofSeconds(10);
    private final HistoryChecker checker = new HistoryChecker();

    /** The clock of {@code worker} at real time {@code realMs}: w2's runs 10 s behind. */
    private static Instant clockOf(String worker, long realMs) {
        Instant real = T0.plusMillis(realMs);
        return worker.equals("w2") ? real.minus(W2_BEHIND) : real;
    }

    /**
     * Region eu alternates between w1 and w2 every 0.5-3 s of real time, each claim under the next epoch, with
     * checkpoints in ZooKeeper's version order; some holders crash (no release) and their zombie's later write
     * is fenced.
     */
    private static List<HistoryEvent> handovers(long seed, int claims) {
        Random random = new Random(seed);
        List<HistoryEvent> events = new ArrayList<>();
        long now = 0;
        int version = 0;
        long offset = 0;
        for (int epoch = 1; epoch <= claims; epoch++) {
            String worker = epoch % 2 == 1 ? "w1" : "w2";
            events.add(HistoryEvent.claimed("eu", worker, epoch, clockOf(worker, now)));
            int checkpoints = 1 + random.nextInt(3);
            for (int i = 0; i < checkpoints; i++) {
                now += 100 + random.nextInt(400);
                offset += 1 + random.nextInt(50);
                events.add(HistoryEvent.checkpointed("eu", worker, epoch, clockOf(worker, now), offset, ++version));
            }
            now += random.nextInt(500);
            if (random.nextInt(4) == 0) {
                events.add(HistoryEvent.fenced("eu", worker, epoch, clockOf(worker, now + 2_000), "checkpoint"));
            } else {
                events.add(HistoryEvent.released("eu", worker, epoch, clockOf(worker, now), true));
            }
            now += 1 + random.nextInt(300);
        }
        return events;
    }

    @Test
    void handoversBetweenWorkersWithSkewedClocksAreNoViolation() {
        long seed = System.nanoTime();
        List<HistoryEvent> events = new ArrayList<>(handovers(seed, 20 + new Random(seed).nextInt(20)));
        Collections.shuffle(events, new Random(seed));
        HistoryReport report = checker.check(events);
        assertEquals(0, report.epochRegressions(), "seed " + seed + ": " + report.problems());
        assertEquals(0, report.overlappingClaims(), "seed " + seed + ": " + report.problems());
        assertTrue(report.ok(), "seed " + seed + ": " + report.problems());
    }

    @Test
    void twoWorkersUnderOneEpochAreCaughtWhateverTheirClocksSay() {
        long seed = System.nanoTime();
        List<HistoryEvent> events = new ArrayList<>(handovers(seed, 6));
        // w2 also claims epoch 5 (w1's) while w1 holds it; by w2's clock, 10 s behind, its hold ended before w1's began
        Instant w1Claim = events.stream().filter(e -> e.type() == HistoryEvent.Type.CLAIMED && e.epoch() == 5).findFirst().orElseThrow().at();
        long realMs = Duration.between(T0, w1Claim).toMillis();
        events.add(HistoryEvent.claimed("eu", "w2", 5, clockOf("w2", realMs + 50)));
        events.add(HistoryEvent.released("eu", "w2", 5, clockOf("w2", realMs + 80), true));
        HistoryReport report = checker.check(events);
        assertFalse(report.ok(), "seed " + seed);
        assertEquals(1, report.overlappingClaims(), "seed " + seed + ": " + report.problems());
        assertTrue(report.problems().stream().anyMatch(p -> p.contains("held under epoch 5 by w1") && p.contains("w2")),
                "seed " + seed + ": " + report.problems());
    }
}
