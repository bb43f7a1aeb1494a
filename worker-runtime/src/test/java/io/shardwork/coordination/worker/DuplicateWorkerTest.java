package io.shardwork.coordination.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.membership.DuplicateWorkerException;
import io.shardwork.coordination.testing.TestCluster;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class DuplicateWorkerTest {
    @Test
    void testSecondLiveWorkerWithSameIdIsRefused() throws Exception {
        try (TestCluster cluster = new TestCluster(2)) {
            cluster.startWorker("w1");
            cluster.awaitConverged();
            WorkerCoordinator twin = cluster.newWorker("w1");
            DuplicateWorkerException refused = assertThrows(DuplicateWorkerException.class, twin::start);
            String message = refused.getMessage();
            assertTrue(message.contains("'w1'"), message);
            assertTrue(message.contains(InetAddress.getLocalHost().getHostName()), message);
            assertTrue(message.contains("pid " + ProcessHandle.current().pid()), message);
            twin.close();
            cluster.awaitConverged();
            assertEquals(1, cluster.status().members().size());
        }
    }
}
