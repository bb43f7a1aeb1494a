package io.shardwork.coordination.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shardwork.coordination.claim.ClaimResult;
import io.shardwork.coordination.claim.RegionClaims;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.leader.TimeSource;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint never moves backwards within its epoch, against a real ZooKeeper: not from the same store, and
 * not from a second runner of the same epoch in this process (an abandoned one) whose store last saw an
 * older version of the node.
 */
class CheckpointMonotonicityTest {
    private static final ClusterPaths PATHS = new ClusterPaths(TestCluster.CLUSTER);

    private TestCluster cluster;
    private CuratorFramework client;
    private long epoch;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new TestCluster(0);
        client = cluster.newClient();
        int generation = AssignmentGeneration.create(client, PATHS);
        ClaimResult claimed = new RegionClaims(client, PATHS, "w1", TimeSource.system()).claimAll(List.of("r0"), generation).get("r0");
        epoch = ((ClaimResult.Succeeded) claimed).epoch();
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        cluster.close();
    }

    private ZooKeeperCheckpointStore store(FencingCounter fencing) {
        return new ZooKeeperCheckpointStore(client, PATHS, "w1", fencing, TimeSource.system());
    }

    @Test
    void testALowerOffsetUnderTheSameEpochIsRefusedAndTheCheckpointStays() throws Exception {
        FencingCounter fencing = new FencingCounter();
        ZooKeeperCheckpointStore store = store(fencing);
        store.commit("r0", epoch, 100);

        assertThrows(FencedException.class, () -> store.commit("r0", epoch, 50));
        assertEquals(100, store.read("r0").orElseThrow().offset());
        assertEquals(1, fencing.count());
        store.commit("r0", epoch, 100); // the same offset again is no regression
        store.commit("r0", epoch, 120);
        assertEquals(120, store.read("r0").orElseThrow().offset());
    }

    @Test
    void testAWriterThatLastSawAnOlderVersionRereadsAndDoesNotLowerTheCheckpoint() throws Exception {
        ZooKeeperCheckpointStore straggler = store(new FencingCounter());
        ZooKeeperCheckpointStore current = store(new FencingCounter());
        straggler.commit("r0", epoch, 100);
        current.commit("r0", epoch, 200);

        assertThrows(FencedException.class, () -> straggler.commit("r0", epoch, 150),
                "the straggler's version is stale: it reads 200 and refuses to lower it");
        assertEquals(200, current.read("r0").orElseThrow().offset());
        straggler.commit("r0", epoch, 250);
        assertEquals(250, current.read("r0").orElseThrow().offset(), "a write above what is there goes through after the re-read");
    }
}
