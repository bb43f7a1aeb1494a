package io.shardwork.cli.chaos;

import java.time.Duration;

/** Every timing of the chaos scenarios in one place. Deadlines are generous: a slow, shared machine must not fail a correct run. */
final class ChaosTiming {
    /** Session timeout of every worker; with the 200 ms tick of the embedded server a dead worker is expired after about this. */
    static final int SESSION_TIMEOUT_MS = 4000;
    static final int CHECKPOINT_INTERVAL_MS = 500;
    static final int REBALANCE_DELAY_MS = 1000;
    /** Worker JVMs started, registered, a leader elected and every region claimed. */
    static final Duration SETTLE = Duration.ofSeconds(90);
    /** From a fault to every region claimed again by a live worker. */
    static final Duration TAKEOVER = Duration.ofMillis(SESSION_TIMEOUT_MS * 3L + 40_000);
    /** Every region's checkpoint at the end of its partition. */
    static final Duration CATCH_UP = Duration.ofSeconds(120);
    /** A SIGTERM'd worker releases and exits. */
    static final Duration GRACEFUL_EXIT = Duration.ofSeconds(40);
    static final Duration POLL = Duration.ofMillis(50);

    private ChaosTiming() {
    }
}
