package io.shardwork.coordination.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.ownership.OwnershipState;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionBlipTest {
    @Test
    void testOwnerPausesOnSuspendedAndResumesWithTheSameEpochWhenItsClaimsHold() throws Exception {
        try (TestCluster cluster = new TestCluster(4)) {
            cluster.startWorker("w1", Timing.LONG_SESSION_TIMEOUT_MS);
            cluster.startWorker("w2", Timing.LONG_SESSION_TIMEOUT_MS);
            cluster.awaitBalanced();
            WorkerCoordinator owner = cluster.workers().get("w2");
            Map<String, Long> epochs = new HashMap<>();
            owner.heldRegions().forEach(r -> epochs.put(r, owner.ownership(r).epoch()));
            assertTrue(!epochs.isEmpty());

            cluster.blip(owner, Timing.BLIP_MS);
            Timing.await("w2's regions paused", Duration.ofSeconds(5),
                    () -> cluster.pausesAndResumes()[0] >= epochs.size());
            Timing.await("w2's regions resumed", Duration.ofSeconds(5),
                    () -> cluster.pausesAndResumes()[1] >= epochs.size());
            cluster.awaitBalanced();
            epochs.forEach((region, epoch) -> {
                assertEquals(OwnershipState.OWNED, owner.ownership(region).state());
                assertEquals(epoch, owner.ownership(region).epoch(), region + " kept its epoch: same session, same claim");
            });
            cluster.recorder().checkExclusiveAndIncreasing();
        }
    }
}
