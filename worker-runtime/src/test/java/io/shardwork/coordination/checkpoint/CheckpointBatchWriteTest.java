package io.shardwork.coordination.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.claim.ClaimResult;
import io.shardwork.coordination.claim.RegionClaims;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.leader.TimeSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A batch of checkpoints against a real ZooKeeper: one multi for the regions that are fine, and a region
 * claimed again elsewhere, or one whose offset would move backwards, refused to its own caller alone.
 */
class CheckpointBatchWriteTest {
    private static final ClusterPaths PATHS = new ClusterPaths(TestCluster.CLUSTER);
    private static final List<String> REGIONS = List.of("r0", "r1", "r2", "r3");

    private TestCluster cluster;
    private CuratorFramework client;
    private final AtomicInteger multis = new AtomicInteger();
    private Map<String, ClaimResult> claims;
    private int generation;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new TestCluster(0);
        client = cluster.newClient();
        generation = AssignmentGeneration.create(client, PATHS);
        claims = new RegionClaims(client, PATHS, "w1", TimeSource.system()).claimAll(REGIONS, generation);
        client.getZookeeperClient().setTracerDriver(new AdvancedTracerDriver() {
            @Override
            public void addTrace(OperationTrace trace) {
                if (trace.getName().startsWith("CuratorMultiTransactionImpl")) {
                    multis.incrementAndGet();
                }
            }

            @Override
            public void addEvent(EventTrace trace) {
            }
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        cluster.close();
    }

    private long epoch(String region) {
        return ((ClaimResult.Succeeded) claims.get(region)).epoch();
    }

    @Test
    void regionsThatAreFineShareOneMulti() throws Exception {
        FencingCounter fencing = new FencingCounter();
        ZooKeeperCheckpointStore store = new ZooKeeperCheckpointStore(client, PATHS, "w1", fencing, TimeSource.system());
        List<CheckpointBatcher.Request> batch = REGIONS.stream().map(r -> new CheckpointBatcher.Request(r, epoch(r), 100)).toList();
        multis.set(0);

        store.writeBatch(batch);

        assertEquals(1, multis.get(), "four regions, one multi");
        for (String region : REGIONS) {
            assertEquals(100, store.read(region).orElseThrow().offset(), region);
        }
        assertEquals(0, fencing.count());
    }

    @Test
    void aRegionClaimedAgainElsewhereIsRefusedAloneAndTheOthersAreWritten() throws Exception {
        FencingCounter fencing = new FencingCounter();
        ZooKeeperCheckpointStore store = new ZooKeeperCheckpointStore(client, PATHS, "w1", fencing, TimeSource.system());
        store.commit("r1", epoch("r1"), 500);
        new RegionClaims(client, PATHS, "w1", TimeSource.system()).release("r2", epoch("r2"));
        ClaimResult w2 = new RegionClaims(client, PATHS, "w2", TimeSource.system()).claimAll(List.of("r2"), generation).get("r2");
        assertTrue(w2 instanceof ClaimResult.Succeeded, "w2 claims r2 again: " + w2);
        Optional<io.shardwork.layout.Checkpoint> r2Before = store.read("r2");
        List<CheckpointBatcher.Request> batch = List.of(
                new CheckpointBatcher.Request("r0", epoch("r0"), 100),
                new CheckpointBatcher.Request("r1", epoch("r1"), 400), // backwards within its epoch
                new CheckpointBatcher.Request("r2", epoch("r2"), 100), // its claim is w2's now
                new CheckpointBatcher.Request("r3", epoch("r3"), 100));
        multis.set(0);

        store.writeBatch(batch);

        assertEquals(List.of(true, false, false, true), batch.stream().map(r -> outcome(r) == null).toList());
        assertInstanceOf(FencedException.class, outcome(batch.get(1)), "backwards: refused before any write");
        assertInstanceOf(FencedException.class, outcome(batch.get(2)), "claimed again: refused by ZooKeeper");
        assertEquals(3, multis.get(), "refused with r2 in it, r2 alone (refused again, worded), then r0 and r3");
        assertEquals(100, store.read("r0").orElseThrow().offset());
        assertEquals(500, store.read("r1").orElseThrow().offset());
        assertEquals(r2Before, store.read("r2"), "r2's checkpoint is untouched");
        assertEquals(100, store.read("r3").orElseThrow().offset());
        assertEquals(2, fencing.count());
    }

    /** The outcome the batch gave {@code request}: null when written, else its refusal. */
    private static Exception outcome(CheckpointBatcher.Request request) {
        assertTrue(request.isDone(), request.region + " left without an outcome");
        return request.failure();
    }
}
