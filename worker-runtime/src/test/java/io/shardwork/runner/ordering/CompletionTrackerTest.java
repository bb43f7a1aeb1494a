package io.shardwork.runner.ordering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CompletionTrackerTest {

    @Test
    void safeOffsetIsTheStartWhileNothingWasAdded() {
        assertEquals(42, new CompletionTracker(42).safeOffset());
    }

    @Test
    void safeOffsetStopsAtTheLowestIncompleteOffsetAndJumpsGapsOnceItCompletes() {
        CompletionTracker tracker = new CompletionTracker(10);
        long a = tracker.add(10);
        long b = tracker.add(12);
        long c = tracker.add(15);
        tracker.complete(c);
        tracker.complete(a);
        assertEquals(12, tracker.safeOffset());
        tracker.complete(b);
        assertEquals(16, tracker.safeOffset());
        assertEquals(0, tracker.outstanding());
    }

    @Test
    void refusesOffsetsOutOfOrderAndTicketsCompletedTwice() {
        CompletionTracker tracker = new CompletionTracker(0);
        long t = tracker.add(5);
        assertThrows(IllegalArgumentException.class, () -> tracker.add(5));
        tracker.complete(t);
        assertThrows(IllegalStateException.class, () -> tracker.complete(t));
    }

    /** Random gaps and random completion orders: the safe offset is always exactly the lowest incomplete offset. */
    @Test
    void safeOffsetNeverPassesAnIncompleteOffset() {
        long seed = System.nanoTime();
        for (int round = 0; round < 200; round++) {
            long roundSeed = seed + round;
            Random random = new Random(roundSeed);
            long start = random.nextInt(1000);
            CompletionTracker tracker = new CompletionTracker(start);
            TreeSet<Long> incomplete = new TreeSet<>();
            List<long[]> open = new ArrayList<>();
            long offset = start;
            long next = start;
            for (int step = 0; step < 2000; step++) {
                if (open.isEmpty() || random.nextInt(3) > 0 && step < 1500) {
                    offset += random.nextInt(4) == 0 ? 1 + random.nextInt(5) : 0;
                    open.add(new long[] {offset, tracker.add(offset)});
                    incomplete.add(offset);
                    offset++;
                    next = offset;
                } else {
                    Collections.swap(open, random.nextInt(open.size()), open.size() - 1);
                    long[] done = open.remove(open.size() - 1);
                    tracker.complete(done[1]);
                    incomplete.remove(done[0]);
                }
                long expected = incomplete.isEmpty() ? next : incomplete.first();
                assertEquals(expected, tracker.safeOffset(), "seed " + roundSeed + ", step " + step);
            }
        }
    }
}
