package io.shardwork.embedded;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Every timeout of this module's tests, in one place. Generous: the machine is shared and slow. */
final class Timeouts {

    /** A ZooKeeper client reaching SyncConnected. */
    static final Duration ZK_CONNECT = Duration.ofSeconds(15);
    /** The session timeout test clients ask for. */
    static final Duration ZK_SESSION = Duration.ofSeconds(10);
    /** One Kafka client operation: a send, an admin call, records arriving at a consumer. */
    static final Duration KAFKA_OPERATION = Duration.ofSeconds(30);
    /** One consumer poll inside a wait loop. */
    static final Duration POLL = Duration.ofMillis(200);

    private Timeouts() {
    }

    static void await(CountDownLatch latch, Duration timeout, String what) throws InterruptedException {
        assertTrue(latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS),
                "Timed out after " + timeout.toMillis() + " ms waiting for " + what);
    }
}
