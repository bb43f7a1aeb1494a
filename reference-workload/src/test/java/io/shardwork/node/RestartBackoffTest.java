package io.shardwork.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
    private final RestartBackoff backoff = new RestartBackoff(Duration.ofMillis(100), Duration.ofMillis(500));

    @Test
    void deathsAtTheSamePlaceBackOffExponentiallyUpToTheCap() {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            delays.add(backoff.onDeath("eu", 40).toMillis());
        }
        assertEquals(List.of(0L, 100L, 200L, 400L, 500L, 500L), delays);
        assertEquals(6, backoff.consecutiveDeaths("eu"));
        assertEquals(500, backoff.delayMs("eu"));
        assertEquals(0, backoff.consecutiveDeaths("us"), "regions are apart");
    }

    @Test
    void regionsThatWaitAreListedWithTheirNextClaimAndChangesAreHeardOnlyWhenTheListChanges() {
        java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");
        RestartBackoff dated = new RestartBackoff(Duration.ofMillis(100), Duration.ofMillis(500),
                java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
        java.util.concurrent.atomic.AtomicInteger changes = new java.util.concurrent.atomic.AtomicInteger();
        dated.onChange(changes::incrementAndGet);
        dated.onDeath("eu", 40);
        assertEquals(List.of(), dated.inBackoff(), "a first death is claimed again at once: no wait to show");
        assertEquals(0, changes.get());
        dated.onDeath("eu", 40);
        dated.onDeath("eu", 40);
        assertEquals(List.of(new io.shardwork.layout.RestartBackoffRecord("eu", 3, 200, now.plusMillis(200))), dated.inBackoff());
        assertEquals(2, changes.get());
        dated.onCleanEnd("us");
        assertEquals(2, changes.get(), "nothing changed");
        dated.onCleanEnd("eu");
        assertEquals(List.of(), dated.inBackoff());
        assertEquals(3, changes.get());
    }

    @Test
    void aGiveUpOfAHungHandlerIsADeathThatWaitsAtLeastTheInitialWaitAndIsPublishedAtOnceUntilACleanEnd() {
        java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");
        RestartBackoff dated = new RestartBackoff(Duration.ofMillis(100), Duration.ofMillis(500),
                java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
        java.util.concurrent.atomic.AtomicInteger changes = new java.util.concurrent.atomic.AtomicInteger();
        dated.onChange(changes::incrementAndGet);

        assertEquals(Duration.ofMillis(100), dated.onGiveUp("eu", 40), "a first death, but the leader needs the time to move it");
        assertEquals(List.of(new io.shardwork.layout.RestartBackoffRecord("eu", 1, 100, now.plusMillis(100), true)), dated.inBackoff());
        assertEquals(1, changes.get(), "published at once");
        assertEquals(Duration.ofMillis(100), dated.onGiveUp("eu", 40), "a second in a row backs off as any death");
        assertEquals(Duration.ofMillis(200), dated.onDeath("eu", 40));
        assertEquals(List.of(new io.shardwork.layout.RestartBackoffRecord("eu", 3, 200, now.plusMillis(200), false)), dated.inBackoff());
        dated.onCleanEnd("eu");
        assertEquals(List.of(), dated.inBackoff(), "a clean end of a run clears it, and with it the leader's exclusion");
        assertEquals(4, changes.get());
    }

    @Test
    void progressOrACleanEndStartsANewRow() {
        backoff.onDeath("eu", 40);
        backoff.onDeath("eu", 40);
        assertEquals(Duration.ZERO, backoff.onDeath("eu", 41), "the checkpoint moved on: a new row");
        assertEquals(Duration.ofMillis(100), backoff.onDeath("eu", 41));
        backoff.onCleanEnd("eu");
        assertEquals(0, backoff.consecutiveDeaths("eu"));
        assertEquals(Duration.ZERO, backoff.onDeath("eu", 41));
    }
}
