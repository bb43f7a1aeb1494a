package io.shardwork.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
    private final RetryBackoff backoff = new RetryBackoff(5, 50, 300);

    @Test
    void capDoublesUpToTheMaximum() {
        List<Long> caps = new ArrayList<>();
        for (int attempt = 1; attempt <= 6; attempt++) {
            caps.add(backoff.capMs(attempt));
        }
        assertEquals(List.of(50L, 100L, 200L, 300L, 300L, 300L), caps);
        assertEquals(300, backoff.capMs(1000), "no overflow for huge attempts");
    }

    @Test
    void jitterKeepsTheDelayBetweenHalfTheCapAndTheCap() {
        assertEquals(200, backoff.delayMs(3, () -> 0.0));
        assertEquals(101, backoff.delayMs(3, () -> 0.995));
        assertEquals(150, backoff.delayMs(3, () -> 0.5));
        JitterSource seeded = JitterSource.seeded(42);
        for (int attempt = 1; attempt <= 20; attempt++) {
            long delay = backoff.delayMs(attempt, seeded);
            long cap = backoff.capMs(attempt);
            assertTrue(delay > cap / 2 && delay <= cap, "attempt " + attempt + " delay " + delay + " cap " + cap);
        }
        assertThrows(IllegalArgumentException.class, () -> backoff.delayMs(1, () -> 1.0));
    }

    @Test
    void exhaustedAfterMaxAttempts() {
        assertFalse(backoff.exhausted(4));
        assertTrue(backoff.exhausted(5));
        assertThrows(IllegalArgumentException.class, () -> new RetryBackoff(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RetryBackoff(1, 10, 5));
    }

    @Test
    void deadLetterHeadersSayWhyAndWhere() {
        DeadLetter letter = DeadLetter.failed(new byte[] {1}, new byte[] {2}, new IllegalStateException("boom"), 5,
                "eu", 3, 77, "w-1", 9);
        List<String> names = new ArrayList<>(letter.headers().keySet());
        assertEquals(List.of("error", "stage", "attempts", "region", "offset", "worker", "epoch"), names);
        assertEquals("java.lang.IllegalStateException: boom", new String(letter.headers().get("error")));
        assertEquals("5", new String(letter.headers().get("attempts")));
        assertEquals("77", new String(letter.headers().get("offset")));
    }
}
