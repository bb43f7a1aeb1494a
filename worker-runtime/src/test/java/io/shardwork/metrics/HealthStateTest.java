package io.shardwork.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.state.ConnectionState;
import org.junit.jupiter.api.Test;

class HealthStateTest {
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Set<String> pursued = ConcurrentHashMap.newKeySet();
    private final HealthState health = new HealthState("w1", () -> Optional.ofNullable(failure.get()), pursued::contains);

    private static HealthState.Health up(String zookeeper) {
        return new HealthState.Health("UP", "w1", zookeeper, List.of());
    }

    private static HealthState.Health down(String zookeeper, String... reasons) {
        return new HealthState.Health("DOWN", "w1", zookeeper, List.of(reasons));
    }

    @Test
    void downUntilTheFirstConnection() {
        assertEquals(down("NOT_CONNECTED", "not connected to ZooKeeper yet"), health.check());
        health.stateChanged(null, ConnectionState.CONNECTED);
        assertEquals(up("CONNECTED"), health.check());
    }

    @Test
    void suspendedStaysUpLostIsDownReconnectedIsUpAgain() {
        health.stateChanged(null, ConnectionState.CONNECTED);
        health.stateChanged(null, ConnectionState.SUSPENDED);
        assertEquals(up("SUSPENDED"), health.check());
        health.stateChanged(null, ConnectionState.LOST);
        assertEquals(down("LOST", "ZooKeeper session lost"), health.check());
        health.stateChanged(null, ConnectionState.RECONNECTED);
        assertEquals(up("RECONNECTED"), health.check());
    }

    @Test
    void aDeadRunnerIsDownUntilItsRegionRunsAgainUnderANewerEpoch() {
        health.stateChanged(null, ConnectionState.CONNECTED);
        pursued.add("eu");
        health.runnerDied("eu", 3, new IllegalStateException("broker gone"));
        HealthState.Health dead = down("CONNECTED", "runner of region eu (epoch 3) died: java.lang.IllegalStateException: broker gone");
        assertEquals(dead, health.check());
        health.runnerStarted("eu", 3);
        assertEquals(dead, health.check());
        health.runnerStarted("eu", 4);
        assertEquals(up("CONNECTED"), health.check());
    }

    @Test
    void aDeadRunnerNoLongerCountsOnceItsRegionIsNotPursuedHere() {
        health.stateChanged(null, ConnectionState.CONNECTED);
        pursued.add("eu");
        health.runnerDied("eu", 3, new IllegalStateException("broker gone"));
        pursued.remove("eu");
        assertEquals(up("CONNECTED"), health.check());
    }

    @Test
    void aCoordinatorThatStoppedOnItsOwnIsDown() {
        health.stateChanged(null, ConnectionState.RECONNECTED);
        failure.set(new IllegalStateException("worker id w1 is taken"));
        assertEquals(down("RECONNECTED", "coordinator stopped: worker id w1 is taken"), health.check());
    }

    @Test
    void liveStaysUpThroughARecoverableLossAndGoesDownOnlyWhenTheWorkerCannotRecover() {
        health.stateChanged(null, ConnectionState.LOST);
        pursued.add("eu");
        health.runnerDied("eu", 3, new IllegalStateException("broker gone"));
        assertEquals(up("LOST"), health.live());
        assertEquals("DOWN", health.ready().status());

        failure.set(new IllegalStateException("worker id w1 is taken"));
        assertEquals(down("LOST", "coordinator stopped: worker id w1 is taken"), health.live());
        assertEquals(health.ready(), health.check(), "/health is the ready view");
    }

    @Test
    void anUnrecoverableReasonTakesBothProbesDownForGood() {
        health.stateChanged(null, ConnectionState.CONNECTED);
        health.unrecoverable("handler com.acme.Missing cannot be loaded");
        health.unrecoverable("handler com.acme.Missing cannot be loaded");
        assertEquals(down("CONNECTED", "handler com.acme.Missing cannot be loaded"), health.live());
        assertEquals(down("CONNECTED", "handler com.acme.Missing cannot be loaded"), health.ready());
    }

    @Test
    void aHeldRegionWithoutARunningRunnerIsNotReady() {
        List<String> notRunning = new java.util.concurrent.CopyOnWriteArrayList<>(List.of("eu"));
        health.requireRunning(() -> List.copyOf(notRunning));
        health.stateChanged(null, ConnectionState.CONNECTED);
        assertEquals(down("CONNECTED", "region eu is held but its runner is not running"), health.ready());
        assertEquals(up("CONNECTED"), health.live());
        notRunning.clear();
        assertEquals(up("CONNECTED"), health.ready());
    }

    @Test
    void aRaisedConditionIsNotReadyUntilCleared() {
        health.stateChanged(null, ConnectionState.CONNECTED);
        health.raise("hung-handler:eu", "handler of region eu busy for 95 s");
        health.raise("hung-handler:eu", "handler of region eu busy for 100 s");
        assertEquals(down("CONNECTED", "handler of region eu busy for 100 s"), health.ready());
        assertEquals(up("CONNECTED"), health.live());
        health.clear("hung-handler:eu");
        assertEquals(up("CONNECTED"), health.ready());
    }
}
