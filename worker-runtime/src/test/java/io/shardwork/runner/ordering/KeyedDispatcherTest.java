package io.shardwork.runner.ordering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyedDispatcherTest {

    record Rec(String key, long offset, long ticket) {
    }

    @Test
    void sameKeyWaitsOtherKeysStartUpToTheConcurrency() {
        KeyedDispatcher<String, Rec> dispatcher = new KeyedDispatcher<>(2, 10);
        Rec a1 = new Rec("a", 0, 0);
        Rec a2 = new Rec("a", 1, 1);
        Rec b1 = new Rec("b", 2, 2);
        Rec c1 = new Rec("c", 3, 3);
        assertEquals(a1, dispatcher.submit("a", a1));
        assertNull(dispatcher.submit("a", a2));
        assertEquals(b1, dispatcher.submit("b", b1));
        assertNull(dispatcher.submit("c", c1));
        assertEquals(2, dispatcher.inFlight());
        assertEquals(4, dispatcher.buffered());
        assertEquals(c1, dispatcher.complete("a"), "a waiting key takes the freed slot before a's next record");
        assertEquals(a2, dispatcher.complete("b"));
        assertNull(dispatcher.complete("c"));
        assertNull(dispatcher.complete("a"));
        assertEquals(0, dispatcher.buffered());
        assertThrows(IllegalStateException.class, () -> dispatcher.complete("a"));
    }

    @Test
    void refusesRecordsBeyondTheCap() {
        KeyedDispatcher<String, Rec> dispatcher = new KeyedDispatcher<>(1, 2);
        dispatcher.submit("a", new Rec("a", 0, 0));
        dispatcher.submit("a", new Rec("a", 1, 1));
        assertTrue(dispatcher.full());
        assertThrows(IllegalStateException.class, () -> dispatcher.submit("b", new Rec("b", 2, 2)));
    }

    /**
     * A simulation with seeded random keys and latencies: records submitted while the cap allows, the running
     * record with the earliest finish time completes next. Per-key order, the concurrency, the cap and the
     * safe offset are checked at every step.
     */
    @Test
    void randomLatenciesKeepKeyOrderTheBoundsAndTheSafeOffset() {
        long seed = System.nanoTime();
        for (int round = 0; round < 100; round++) {
            long roundSeed = seed + round;
            try {
                simulate(new Random(roundSeed), 3000, null);
            } catch (AssertionError e) {
                fail("seed " + roundSeed + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * One key never completes: with a concurrency of 2 or more, every other key's records are all handled and the
     * safe offset stays at the slow key's first record.
     */
    @Test
    void aPermanentlySlowKeyDoesNotStopOtherKeys() {
        long seed = System.nanoTime();
        for (int round = 0; round < 50; round++) {
            long roundSeed = seed + round;
            try {
                simulate(new Random(roundSeed), 2000, "slow");
            } catch (AssertionError e) {
                fail("seed " + roundSeed + ": " + e.getMessage(), e);
            }
        }
    }

    private static void simulate(Random random, int records, String slowKey) {
        int concurrency = (slowKey == null ? 1 : 2) + random.nextInt(16);
        int cap = concurrency + random.nextInt(200) + (slowKey == null ? 0 : records / 10 + 20);
        int keyCount = 1 + random.nextInt(40);
        KeyedDispatcher<String, Rec> dispatcher = new KeyedDispatcher<>(concurrency, cap);
        CompletionTracker tracker = new CompletionTracker(0);
        PriorityQueue<long[]> running = new PriorityQueue<>((x, y) -> Long.compare(x[0], y[0]));
        Map<Long, Rec> byOffset = new HashMap<>();
        Map<String, Long> lastStarted = new HashMap<>();
        Set<String> keysRunning = new HashSet<>();
        Set<Long> incomplete = new HashSet<>();
        List<Long> slowOffsets = new ArrayList<>();
        long now = 0;
        long offset = 0;
        int submitted = 0;
        int completed = 0;
        while (submitted < records || !running.isEmpty()) {
            boolean submit = submitted < records && !dispatcher.full() && (running.isEmpty() || running.peek()[0] == Long.MAX_VALUE
                    || random.nextBoolean());
            if (submit) {
                offset += random.nextInt(5) == 0 ? 2 : 1;
                String key = slowKey != null && random.nextInt(20) == 0 ? slowKey : "k" + random.nextInt(keyCount);
                Rec rec = new Rec(key, offset, tracker.add(offset));
                byOffset.put(offset, rec);
                incomplete.add(offset);
                if (key.equals(slowKey)) {
                    slowOffsets.add(offset);
                }
                submitted++;
                start(dispatcher.submit(key, rec), now, random, slowKey, running, lastStarted, keysRunning);
            } else if (!running.isEmpty() && running.peek()[0] != Long.MAX_VALUE) {
                long[] next = running.poll();
                now = next[0];
                Rec done = byOffset.get(next[1]);
                keysRunning.remove(done.key());
                tracker.complete(done.ticket());
                incomplete.remove(done.offset());
                completed++;
                start(dispatcher.complete(done.key()), now, random, slowKey, running, lastStarted, keysRunning);
            } else {
                break;
            }
            assertTrue(dispatcher.inFlight() <= concurrency, "in flight " + dispatcher.inFlight());
            assertTrue(dispatcher.buffered() <= cap, "buffered " + dispatcher.buffered() + " over the cap " + cap);
            long safe = tracker.safeOffset();
            for (long open : incomplete) {
                assertTrue(safe <= open, "safe offset " + safe + " passes incomplete offset " + open);
            }
        }
        if (slowKey == null) {
            assertEquals(records, completed);
            assertEquals(offset + 1, tracker.safeOffset());
        } else {
            assertEquals(submitted - slowOffsets.size(), completed, "every record of the other keys is handled");
            assertEquals(records, submitted, "the slow key's records stayed under the cap");
            if (!slowOffsets.isEmpty()) {
                assertEquals(slowOffsets.get(0), tracker.safeOffset());
            }
        }
    }

    private static void start(Rec rec, long now, Random random, String slowKey, PriorityQueue<long[]> running,
                              Map<String, Long> lastStarted, Set<String> keysRunning) {
        if (rec == null) {
            return;
        }
        Long before = lastStarted.put(rec.key(), rec.offset());
        assertTrue(before == null || before < rec.offset(), "key " + rec.key() + " started offset " + rec.offset()
                + " after " + before);
        assertTrue(keysRunning.add(rec.key()), "key " + rec.key() + " runs twice at once");
        long finish = rec.key().equals(slowKey) ? Long.MAX_VALUE : now + 1 + random.nextInt(random.nextInt(10) == 0 ? 500 : 20);
        running.add(new long[] {finish, rec.offset()});
    }
}
