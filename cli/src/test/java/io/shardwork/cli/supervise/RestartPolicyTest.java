package io.shardwork.cli.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {
    private static final int KILLED = 137;

    @Test
    void testOffNeverRestarts() {
        RestartPolicy off = new RestartPolicy(RestartMode.OFF, 10, Duration.ofSeconds(1));
        assertEquals(Optional.empty(), off.delayBeforeRestart(KILLED, 0));
        assertEquals(Optional.empty(), off.delayBeforeRestart(0, 0));
    }

    @Test
    void testOnFailureRestartsAfterAFailureOrASignalButNotAfterACleanExit() {
        RestartPolicy onFailure = new RestartPolicy(RestartMode.ON_FAILURE, 10, Duration.ofSeconds(1));
        assertEquals(Optional.of(Duration.ofSeconds(1)), onFailure.delayBeforeRestart(KILLED, 0));
        assertEquals(Optional.of(Duration.ofSeconds(1)), onFailure.delayBeforeRestart(1, 0));
        assertEquals(Optional.empty(), onFailure.delayBeforeRestart(0, 0));
    }

    @Test
    void testAlwaysRestartsAfterACleanExitToo() {
        RestartPolicy always = new RestartPolicy(RestartMode.ALWAYS, 10, Duration.ofSeconds(1));
        assertEquals(Optional.of(Duration.ofSeconds(1)), always.delayBeforeRestart(0, 0));
    }

    @Test
    void testBadUsageIsNeverRestarted() {
        RestartPolicy always = new RestartPolicy(RestartMode.ALWAYS, 10, Duration.ofSeconds(1));
        assertEquals(Optional.empty(), always.delayBeforeRestart(2, 0));
    }

    @Test
    void testBackoffDoublesUpToTheCapAndTheLimitStopsTheRow() {
        RestartPolicy policy = new RestartPolicy(RestartMode.ON_FAILURE, 9, Duration.ofMillis(500));
        assertEquals(Optional.of(Duration.ofMillis(500)), policy.delayBeforeRestart(1, 0));
        assertEquals(Optional.of(Duration.ofMillis(1000)), policy.delayBeforeRestart(1, 1));
        assertEquals(Optional.of(Duration.ofMillis(4000)), policy.delayBeforeRestart(1, 3));
        assertEquals(Optional.of(RestartPolicy.MAX_BACKOFF), policy.delayBeforeRestart(1, 8));
        assertEquals(Optional.empty(), policy.delayBeforeRestart(1, 9));
    }

    @Test
    void testAStableRunStartsTheRowAgain() {
        RestartPolicy policy = new RestartPolicy(RestartMode.ON_FAILURE, 3, Duration.ofMillis(500));
        assertEquals(3, policy.restartsAfterRun(3, Duration.ofSeconds(5)));
        assertEquals(0, policy.restartsAfterRun(3, RestartPolicy.STABLE_RUN));
    }

    @Test
    void testModesParseAsWrittenOnTheCommandLine() {
        RestartMode.Converter converter = new RestartMode.Converter();
        assertEquals(RestartMode.ON_FAILURE, converter.convert("on-failure"));
        assertEquals(RestartMode.ALWAYS, converter.convert("always"));
        assertEquals(RestartMode.OFF, converter.convert("off"));
    }
}
