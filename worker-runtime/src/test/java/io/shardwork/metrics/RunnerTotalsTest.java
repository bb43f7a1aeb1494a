package io.shardwork.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardwork.runner.RunnerState;
import io.shardwork.runner.RunnerStats;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RunnerTotalsTest {
    private static RunnerStats stats(String region, long epoch, long processed, long failed, long deadLettered, long fenced) {
        return new RunnerStats(region, epoch, RunnerState.RUNNING, processed, failed, 0, deadLettered, fenced, processed / 10,
                0, 0, processed, processed, processed, 0, false, false);
    }

    @Test
    void liveRunIsReadThroughItsCounters() {
        RunnerTotals totals = new RunnerTotals();
        AtomicReference<RunnerStats> now = new AtomicReference<>(stats("eu", 1, 5, 1, 0, 0));
        totals.begin("eu", now::get);
        now.set(stats("eu", 1, 7, 2, 1, 0));
        assertEquals(new RunnerTotals.Totals(7, 2, 0, 1, 0, 0), totals.of("eu"));
        assertEquals(RunnerTotals.Totals.ZERO, totals.of("us"));
    }

    @Test
    void totalsKeepGrowingWhenARegionIsClaimedAgainAndItsRunnerStartsFromZero() {
        RunnerTotals totals = new RunnerTotals();
        AtomicReference<RunnerStats> first = new AtomicReference<>(stats("eu", 1, 100, 3, 1, 0));
        RunnerTotals.Run run1 = totals.begin("eu", first::get);
        first.set(stats("eu", 1, 120, 3, 1, 1));
        totals.end(run1);
        first.set(stats("eu", 1, 999, 9, 9, 9)); // after its end a run's counters no longer count
        AtomicReference<RunnerStats> second = new AtomicReference<>(stats("eu", 2, 0, 0, 0, 0));
        RunnerTotals.Run run2 = totals.begin("eu", second::get);
        assertEquals(new RunnerTotals.Totals(120, 3, 0, 1, 1, 12), totals.of("eu"));
        second.set(stats("eu", 2, 30, 1, 0, 0));
        assertEquals(new RunnerTotals.Totals(150, 4, 0, 1, 1, 15), totals.of("eu"));
        totals.end(run2);
        totals.end(run2);
        assertEquals(new RunnerTotals.Totals(150, 4, 0, 1, 1, 15), totals.of("eu"));
    }

    @Test
    void anOldRunStillEndingWhileItsSuccessorRunsIsCountedOnce() {
        RunnerTotals totals = new RunnerTotals();
        RunnerTotals.Run old = totals.begin("eu", () -> stats("eu", 1, 40, 0, 0, 0));
        RunnerTotals.Run successor = totals.begin("eu", () -> stats("eu", 2, 2, 0, 0, 0));
        assertEquals(42, totals.of("eu").processed());
        totals.end(old);
        assertEquals(42, totals.of("eu").processed());
        totals.end(successor);
        assertEquals(42, totals.of("eu").processed());
    }
}
