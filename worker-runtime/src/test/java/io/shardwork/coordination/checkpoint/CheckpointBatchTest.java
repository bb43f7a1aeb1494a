package io.shardwork.coordination.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.coordination.claim.ClaimResult;
import io.shardwork.coordination.claim.RegionClaims;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.coordination.testing.Timing;
import io.shardwork.layout.Checkpoint;
import io.shardwork.layout.Claim;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.leader.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints of several regions in one ZooKeeper multi, and final checkpoints in the multi that deletes the claims,
 * against a real ZooKeeper: a fenced region is refused alone, the others are written.
 */
class CheckpointBatchTest {
    private static final ClusterPaths PATHS = new ClusterPaths(TestCluster.CLUSTER);

    private TestCluster cluster;
    private CuratorFramework mine;
    private CuratorFramework other;
    private int generation;
    /** The paths of the first op of every multi {@link #mine} sent, refused or not. */
    private final List<String> multis = new CopyOnWriteArrayList<>();
    private final FencingCounter fencing = new FencingCounter();
    private ZooKeeperCheckpointStore store;
    private RegionClaims claims;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new TestCluster(0);
        mine = cluster.newClient();
        other = cluster.newClient();
        mine.create().creatingParentsIfNeeded().forPath(PATHS.assignment(), new byte[0]);
        mine.create().creatingParentsIfNeeded().forPath(PATHS.owners());
        generation = mine.setData().forPath(PATHS.assignment(), new byte[0]).getVersion();
        store = new ZooKeeperCheckpointStore(mine, PATHS, "w1", fencing, TimeSource.system());
        claims = new RegionClaims(mine, PATHS, "w1", TimeSource.system());
        for (Map.Entry<String, ClaimResult> claimed : claims.claimAll(List.of("a", "b", "c"), generation).entrySet()) {
            ClaimResult.Succeeded succeeded = (ClaimResult.Succeeded) claimed.getValue();
            assertEquals(1, succeeded.epoch());
            store.claimed(claimed.getKey(), succeeded.checkpointVersion(), succeeded.checkpoint());
        }
        mine.getZookeeperClient().setTracerDriver(new AdvancedTracerDriver() {
            @Override
            public void addTrace(OperationTrace trace) {
                if (trace.getName().startsWith("CuratorMultiTransactionImpl")) {
                    multis.add(trace.getPath());
                }
            }

            @Override
            public void addEvent(EventTrace trace) {
            }
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        mine.close();
        other.close();
        cluster.close();
    }

    @Test
    void testRegionsDueTogetherAreOneMultiAndAFencedRegionIsFencedAlone() throws Exception {
        takeOver("b"); // w2 claims b under epoch 2: w1's run of b is a zombie
        multis.clear();
        CheckpointGroupCommit group = new CheckpointGroupCommit(store, () -> Set.of("a", "b", "c"), Duration.ofMinutes(1));
        ExecutorService runners = Executors.newFixedThreadPool(3);
        try {
            Map<String, Future<Exception>> outcomes = new ConcurrentHashMap<>();
            for (String region : List.of("a", "b", "c")) {
                long offset = region.charAt(0) - 'a' + 10;
                outcomes.put(region, runners.submit(() -> {
                    try {
                        group.commit(region, 1, offset);
                        return null;
                    } catch (Exception e) {
                        return e;
                    }
                }));
            }
            assertNull(outcomes.get("a").get(1, TimeUnit.MINUTES), "a committed");
            assertNull(outcomes.get("c").get(1, TimeUnit.MINUTES), "c committed");
            Exception b = outcomes.get("b").get(1, TimeUnit.MINUTES);
            assertInstanceOf(FencedException.class, b, "b, claimed by w2 since, is fenced");
        } finally {
            runners.shutdownNow();
        }
        assertEquals(1, group.batches(), "the three regions went in one batch");
        assertEquals(2, multis.size(), "one multi for the three, refused for b, and once more without it: " + multis);
        assertEquals(1, fencing.count());
        assertEquals(10, checkpoint("a").offset());
        assertEquals(1, checkpoint("a").epoch());
        assertEquals(12, checkpoint("c").offset());
        assertEquals(0, version("b"), "nothing of the zombie's reached b's checkpoint");
    }

    @Test
    void testCheckpointsOfSeveralRegionsAreWrittenInOneMulti() throws Exception {
        Map<String, Exception> failures = store.commitAll(List.of(new DueCheckpoint("a", 1, 5), new DueCheckpoint("b", 1, 6),
                new DueCheckpoint("c", 1, 7)));
        assertEquals(Map.of(), failures);
        assertEquals(List.of(PATHS.owner("a")), multis, "one multi, its first op the check of a's claim");
        assertEquals(List.of(5L, 6L, 7L), List.of(checkpoint("a").offset(), checkpoint("b").offset(), checkpoint("c").offset()));
    }

    @Test
    void testAReleaseWritesTheFinalCheckpointsWithTheClaimDeletionsInOneMulti() throws Exception {
        store.commit("a", 1, 5);
        int aVersion = version("a");
        multis.clear();

        Map<String, Exception> failures = store.releaseAll(List.of(new ReleasedClaim("a", 1, OptionalLong.of(5)),
                new ReleasedClaim("b", 1, OptionalLong.of(8)), new ReleasedClaim("c", 1, OptionalLong.empty())));

        assertEquals(Map.of(), failures);
        assertEquals(List.of(PATHS.regionEpoch("a")), multis, "one multi for the three releases");
        for (String region : List.of("a", "b", "c")) {
            assertNull(mine.checkExists().forPath(PATHS.owner(region)), region + "'s claim is deleted");
        }
        assertEquals(aVersion, version("a"), "a's position had not moved: no checkpoint write");
        assertEquals(8, checkpoint("b").offset(), "b's final checkpoint is written with the release");
        assertEquals(1, checkpoint("b").epoch());
        assertEquals(0, version("c"), "c had no final checkpoint");
    }

    @Test
    void testAReleaseWhoseClaimIsGoneOrSupersededWritesNothingForItAndReleasesTheOthers() throws Exception {
        takeOver("b"); // superseded: w2 holds b under epoch 2
        mine.delete().forPath(PATHS.owner("c")); // gone (as after a session expiry)
        claims.claimAll(List.of("d"), generation);
        multis.clear();

        Map<String, Exception> failures = store.releaseAll(List.of(new ReleasedClaim("a", 1, OptionalLong.of(3)),
                new ReleasedClaim("b", 1, OptionalLong.of(4)), new ReleasedClaim("c", 1, OptionalLong.of(5)),
                new ReleasedClaim("d", 1, OptionalLong.empty())));

        assertEquals(Set.of("b", "c"), failures.keySet(), "the final checkpoints of b and c are refused: " + failures);
        failures.values().forEach(failure -> assertInstanceOf(FencedException.class, failure));
        assertEquals(2, fencing.count());
        assertEquals(3, multis.size(), "refused at b, refused at c, then a and d: " + multis);
        assertNull(mine.checkExists().forPath(PATHS.owner("a")));
        assertNull(mine.checkExists().forPath(PATHS.owner("d")));
        assertEquals(3, checkpoint("a").offset());
        assertEquals("w2", LayoutJson.decode(other.getData().forPath(PATHS.owner("b")), Claim.class).workerId(),
                "w2's claim of b is left alone");
        assertEquals(0, version("b"), "nothing of the zombie's reached b's checkpoint");
        assertEquals(0, version("c"), "no checkpoint once the claim is gone");
    }

    @Test
    void testALateRegionIsNotWaitedForBeyondTheBound() throws Exception {
        List<List<DueCheckpoint>> batches = new CopyOnWriteArrayList<>();
        CheckpointStore recording = new CheckpointStore() {
            @Override
            public java.util.Optional<Checkpoint> read(String region) {
                return java.util.Optional.empty();
            }

            @Override
            public void commit(String region, long epoch, long nextOffset) {
                batches.add(List.of(new DueCheckpoint(region, epoch, nextOffset)));
            }

            @Override
            public Map<String, Exception> commitAll(List<DueCheckpoint> due) {
                batches.add(due);
                return Map.of();
            }
        };
        // b owes a checkpoint and never comes (a handler call that takes long): a is written without it
        CheckpointGroupCommit group = new CheckpointGroupCommit(recording, () -> Set.of("a", "b"), Duration.ofMillis(10));
        group.commit("a", 1, 5);
        assertEquals(List.of(List.of(new DueCheckpoint("a", 1, 5))), batches);
        // nobody else owes one: written at once
        CheckpointGroupCommit alone = new CheckpointGroupCommit(recording, () -> Set.of("a"), Duration.ofDays(1));
        alone.commit("a", 1, 6);
        assertEquals(2, batches.size());
    }

    /** The other worker claims {@code region} (after ours is deleted), under the next epoch. */
    private void takeOver(String region) throws Exception {
        claims.release(region, 1);
        ClaimResult taken = new RegionClaims(other, PATHS, "w2", TimeSource.system()).claimAll(List.of(region), generation).get(region);
        assertEquals(2, ((ClaimResult.Succeeded) taken).epoch());
        Timing.await("w2 holding " + region, Timing.CONVERGE, () -> exists(PATHS.owner(region)));
    }

    private boolean exists(String path) {
        try {
            return other.checkExists().forPath(path) != null;
        } catch (Exception e) {
            return false;
        }
    }

    private Checkpoint checkpoint(String region) throws Exception {
        return LayoutJson.decode(other.getData().forPath(PATHS.regionCheckpoint(region)), Checkpoint.class);
    }

    private int version(String region) throws Exception {
        Stat stat = other.checkExists().forPath(PATHS.regionCheckpoint(region));
        assertTrue(stat != null, region + " has a checkpoint node");
        return stat.getVersion();
    }
}
