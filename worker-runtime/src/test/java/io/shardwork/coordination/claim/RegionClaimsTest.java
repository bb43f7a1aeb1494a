package io.shardwork.coordination.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shardwork.coordination.checkpoint.FencedException;
import io.shardwork.coordination.checkpoint.FencingCounter;
import io.shardwork.coordination.checkpoint.ZooKeeperCheckpointStore;
import io.shardwork.coordination.testing.TestCluster;
import io.shardwork.layout.Claim;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.LayoutJson;
import io.shardwork.leader.TimeSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batched claims against a real ZooKeeper: one read and one write for many regions, each with its own outcome. */
class RegionClaimsTest {
    private static final ClusterPaths PATHS = new ClusterPaths(TestCluster.CLUSTER);

    private TestCluster cluster;
    private CuratorFramework mine;
    private CuratorFramework other;
    private int generation;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new TestCluster(0);
        mine = cluster.newClient();
        other = cluster.newClient();
        mine.create().creatingParentsIfNeeded().forPath(PATHS.assignment(), new byte[0]);
        mine.create().creatingParentsIfNeeded().forPath(PATHS.owners());
        generation = mine.setData().forPath(PATHS.assignment(), new byte[0]).getVersion();
    }

    @AfterEach
    void tearDown() throws Exception {
        mine.close();
        other.close();
        cluster.close();
    }

    @Test
    void testFreeRegionsAreAllClaimedWithTheirNextEpochs() throws Exception {
        RegionClaims claims = new RegionClaims(mine, PATHS, "w1", TimeSource.system());
        Map<String, ClaimResult> first = claims.claimAll(List.of("a", "b", "c"), generation);
        assertEquals(expect("a", unwritten(1), "b", unwritten(1), "c", unwritten(1)), first);
        for (String region : List.of("a", "b", "c")) {
            assertEquals(mine.getZookeeperClient().getZooKeeper().getSessionId(), ownerSession(region), region + " held by our session");
            assertEquals(1, LayoutJson.decode(mine.getData().forPath(PATHS.owner(region)), Claim.class).epoch());
        }
        // already ours (a claim whose answer was lost, or whose work ended): claimed again under a NEW epoch, so
        // a runner of this process still going under epoch 1 is fenced
        assertEquals(expect("b", unwritten(2)), claims.claimAll(List.of("b"), generation));
        assertEquals(2, LayoutJson.decode(mine.getData().forPath(PATHS.owner("b")), Claim.class).epoch());
        assertEquals(mine.getZookeeperClient().getZooKeeper().getSessionId(), ownerSession("b"), "b still held by our session");
        assertThrows(FencedException.class, () -> new ZooKeeperCheckpointStore(mine, PATHS, "w1", new FencingCounter(),
                TimeSource.system()).commit("b", 1, 7), "the run of epoch 1 can no longer checkpoint");

        new ZooKeeperCheckpointStore(mine, PATHS, "w1", new FencingCounter(), TimeSource.system()).commit("a", 1, 42);
        claims.release("a", 1);
        ClaimResult again = claims.claimAll(List.of("a"), generation).get("a");
        assertEquals(2, ((ClaimResult.Succeeded) again).epoch(), "a claim after a release has the next epoch");
        assertEquals(42, ((ClaimResult.Succeeded) again).checkpoint().orElseThrow().offset(),
                "the checkpoint read with the claim is the last one written");
        assertEquals(1, ((ClaimResult.Succeeded) again).checkpointVersion(), "with the version it was read at");
    }

    /** A blocked claim's watch, asked without waiting: the deletion of a held claim fires it; an absent one says so at once. */
    @Test
    void testAClaimWatchedAsynchronouslyIsReportedFreedOnceTheHolderReleases() throws Exception {
        RegionClaims theirs = new RegionClaims(other, PATHS, "w2", TimeSource.system());
        theirs.claimAll(List.of("a", "b"), generation);
        RegionClaims claims = new RegionClaims(mine, PATHS, "w1", TimeSource.system());
        assertEquals(expect("a", new ClaimResult.Blocked(1), "b", new ClaimResult.Blocked(1)), claims.claimAll(List.of("a", "b"), generation));

        java.util.concurrent.BlockingQueue<String> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        for (String region : List.of("a", "b", "c")) {
            claims.watchClaimAsync(region, event -> {
                if (event.getType() == org.apache.zookeeper.Watcher.Event.EventType.NodeDeleted) {
                    seen.add(region + " deleted");
                }
            }, () -> seen.add(region + " absent"), code -> seen.add(region + " failed " + code));
        }
        assertEquals("c absent", seen.poll(10, java.util.concurrent.TimeUnit.SECONDS), "c was never claimed");
        theirs.release("b", 1);
        assertEquals("b deleted", seen.poll(10, java.util.concurrent.TimeUnit.SECONDS));
        theirs.release("a", 1);
        assertEquals("a deleted", seen.poll(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(expect("a", unwritten(2), "b", unwritten(2)), claims.claimAll(List.of("a", "b"), generation));
        assertNull(seen.poll(), "nothing else reported: " + seen);
    }

    /**
     * A handoff: the old owner checkpoints, releases; the region we found blocked is claimed with the epoch version
     * read then, the write and the checkpoint's read sent together, and the checkpoint is the final one.
     */
    @Test
    void testFreedRegionsAreClaimedWithoutReadingFirstAndStartAtTheOldOwnersFinalCheckpoint() throws Exception {
        RegionClaims theirs = new RegionClaims(other, PATHS, "w2", TimeSource.system());
        theirs.claimAll(List.of("a", "b"), generation);
        ZooKeeperCheckpointStore theirStore = new ZooKeeperCheckpointStore(other, PATHS, "w2", new FencingCounter(), TimeSource.system());
        theirStore.commit("a", 1, 10);
        RegionClaims claims = new RegionClaims(mine, PATHS, "w1", TimeSource.system());
        assertEquals(expect("a", new ClaimResult.Blocked(1), "b", new ClaimResult.Blocked(1)), claims.claimAll(List.of("a", "b"), generation));

        theirStore.commit("a", 1, 15); // the final checkpoints, after our blocked read
        theirStore.commit("b", 1, 25);
        theirs.releaseAll(Map.of("a", 1L, "b", 1L));
        List<String> traces = tracing(mine);
        Map<String, ClaimResult> claimed = claims.claimFreed(Map.of("a", 1, "b", 1), generation);

        assertEquals(List.of("CuratorMultiTransactionImpl-Background", "MultiRead-Background"), traces,
                "one write and one read, sent together, and no read before the write");
        ClaimResult.Succeeded a = (ClaimResult.Succeeded) claimed.get("a");
        ClaimResult.Succeeded b = (ClaimResult.Succeeded) claimed.get("b");
        assertEquals(2, a.epoch());
        assertEquals(15, a.checkpoint().orElseThrow().offset(), "a starts at the old owner's final checkpoint");
        assertEquals(2, a.checkpointVersion(), "read after its two writes");
        assertEquals(25, b.checkpoint().orElseThrow().offset());
        assertEquals(1, b.checkpointVersion());
        for (String region : List.of("a", "b")) {
            assertEquals(mine.getZookeeperClient().getZooKeeper().getSessionId(), ownerSession(region), region + " is ours");
            assertEquals(2, mine.checkExists().forPath(PATHS.regionEpoch(region)).getVersion(), region + "'s epoch bumped once");
        }
        assertThrows(FencedException.class, () -> theirStore.commit("a", 1, 16), "the old owner's epoch is fenced");
    }

    /**
     * The version read when blocked is stale once the region was claimed since: the one multi of every freed region
     * is refused and writes nothing, and a fresh read decides them all: blocked by the rival's claim, claimed where free.
     */
    @Test
    void testFreedRegionsClaimedSinceAreDecidedByAFreshReadAndTheOthersAreClaimed() throws Exception {
        RegionClaims theirs = new RegionClaims(other, PATHS, "w2", TimeSource.system());
        theirs.claimAll(List.of("a", "b", "c"), generation);
        RegionClaims claims = new RegionClaims(mine, PATHS, "w1", TimeSource.system());
        claims.claimAll(List.of("a", "b", "c"), generation); // all blocked at version 1
        theirs.releaseAll(Map.of("a", 1L, "b", 1L, "c", 1L));
        try (CuratorFramework third = cluster.newClient()) {
            RegionClaims rival = new RegionClaims(third, PATHS, "w3", TimeSource.system());
            rival.claimAll(List.of("b", "c"), generation); // b stays claimed (epoch 2); c is claimed and released
            rival.release("c", 2);

            Map<String, ClaimResult> claimed = claims.claimFreed(Map.of("a", 1, "b", 1, "c", 1), generation);

            assertEquals(new ClaimResult.Blocked(2), claimed.get("b"), "b is the rival's");
            assertEquals(third.getZookeeperClient().getZooKeeper().getSessionId(), ownerSession("b"));
            assertEquals(2, ((ClaimResult.Succeeded) claimed.get("a")).epoch(), "a claimed after the fresh read");
            assertEquals(3, ((ClaimResult.Succeeded) claimed.get("c")).epoch(), "c with the epoch after the rival's");
            assertEquals(3, mine.checkExists().forPath(PATHS.regionEpoch("c")).getVersion(), "one claim of ours on c");
        }
    }

    @Test
    void testFreedRegionsOfAGenerationThatMovedOnAreRejectedAndNothingIsCreated() throws Exception {
        RegionClaims theirs = new RegionClaims(other, PATHS, "w2", TimeSource.system());
        theirs.claimAll(List.of("a"), generation);
        theirs.release("a", 1);
        mine.setData().forPath(PATHS.assignment(), new byte[0]);
        Map<String, ClaimResult> claimed = new RegionClaims(mine, PATHS, "w1", TimeSource.system()).claimFreed(Map.of("a", 1), generation);
        assertEquals(expect("a", new ClaimResult.Rejected()), claimed);
        assertNull(mine.checkExists().forPath(PATHS.owner("a")));
    }

    /** The names of the traces {@code client} commits from now on (each ZooKeeper operation). */
    private static List<String> tracing(CuratorFramework client) {
        List<String> names = new java.util.concurrent.CopyOnWriteArrayList<>();
        client.getZookeeperClient().setTracerDriver(new org.apache.curator.drivers.AdvancedTracerDriver() {
            @Override
            public void addTrace(org.apache.curator.drivers.OperationTrace trace) {
                names.add(trace.getName());
            }

            @Override
            public void addEvent(org.apache.curator.drivers.EventTrace trace) {
            }
        });
        return names;
    }

    /**
     * The warm-up runs the claim's read, and the write as {@link RegionClaims#claimFreed} sends it (a multi sent with a
     * multi-read), without claiming: its one transaction only checks that the members node exists, so every node of
     * the tree keeps its data and version.
     */
    @Test
    void testTheWarmUpGoesThroughTheClaimsWritePathAndChangesNothing() throws Exception {
        RegionClaims claims = new RegionClaims(mine, PATHS, "w1", TimeSource.system());
        mine.create().creatingParentsIfNeeded().forPath(PATHS.members());
        claims.claimAll(List.of("a"), generation); // a has its nodes, b none yet
        Map<String, String> tree = tree(PATHS.root());
        // every transaction (a multi too) takes the next zxid; reads take none
        mine.create().forPath("/probe-1"); // outside the cluster's tree
        long before = mine.checkExists().forPath("/probe-1").getCzxid();
        List<String> traces = tracing(mine);

        claims.warmUp(List.of("a", "b"));

        assertEquals(List.of("MultiRead-Foreground", "CuratorMultiTransactionImpl-Background", "MultiRead-Background"), traces,
                "the claim's read, then a multi and a multi-read sent together, as a freed region's claim");
        mine.create().forPath("/probe-2");
        assertEquals(before + 2, mine.checkExists().forPath("/probe-2").getCzxid(),
                "one transaction between the two probes: the warm-up's check");
        assertEquals(tree, tree(PATHS.root()), "every node as before: data and versions");
        assertNull(mine.checkExists().forPath(PATHS.owner("b")), "b not claimed");
    }

    /** Every node under {@code root}: its path to its data and its data and child versions. */
    private Map<String, String> tree(String root) throws Exception {
        Map<String, String> nodes = new java.util.TreeMap<>();
        Stat stat = new Stat();
        byte[] data = mine.getData().storingStatIn(stat).forPath(root);
        nodes.put(root, java.util.Arrays.toString(data) + " v" + stat.getVersion() + " c" + stat.getCversion()
                + " m" + stat.getMzxid());
        for (String child : mine.getChildren().forPath(root)) {
            nodes.putAll(tree(root + "/" + child));
        }
        return nodes;
    }

    @Test
    void testAStoreToldTheVersionReadWithTheClaimWritesWithoutReadingAndRecoversFromAStaleOne() throws Exception {
        RegionClaims claims = new RegionClaims(mine, PATHS, "w1", TimeSource.system());
        ClaimResult.Succeeded claim = (ClaimResult.Succeeded) claims.claimAll(List.of("a"), generation).get("a");
        java.util.List<String> reads = new java.util.concurrent.CopyOnWriteArrayList<>();
        mine.getZookeeperClient().setTracerDriver(new org.apache.curator.drivers.AdvancedTracerDriver() {
            @Override
            public void addTrace(org.apache.curator.drivers.OperationTrace trace) {
                if (trace.getName().startsWith("GetData")) {
                    reads.add(trace.getPath());
                }
            }

            @Override
            public void addEvent(org.apache.curator.drivers.EventTrace trace) {
            }
        });
        ZooKeeperCheckpointStore store = new ZooKeeperCheckpointStore(mine, PATHS, "w1", new FencingCounter(), TimeSource.system());
        store.claimed("a", claim.checkpointVersion(), claim.checkpoint());
        store.commit("a", claim.epoch(), 10);
        assertEquals(List.of(), reads, "the first write used the version read with the claim");

        other.setData().forPath(PATHS.regionCheckpoint("a"), LayoutJson.encode(new io.shardwork.layout.Checkpoint(5,
                claim.epoch(), java.time.Instant.now(), "w1")));
        store.claimed("a", 1, claim.checkpoint()); // stale on purpose: the node is at version 2 now
        store.commit("a", claim.epoch(), 20);
        assertEquals(List.of(PATHS.regionCheckpoint("a")), reads, "a stale version costs one read, not a failure");
        assertEquals(20, LayoutJson.decode(mine.getData().forPath(PATHS.regionCheckpoint("a")),
                io.shardwork.layout.Checkpoint.class).offset());
    }

    @Test
    void testAReleaseDeletesOnlyTheClaimOfItsEpoch() throws Exception {
        RegionClaims claims = new RegionClaims(mine, PATHS, "w1", TimeSource.system());
        claims.claimAll(List.of("a"), generation);
        claims.claimAll(List.of("a"), generation); // this session claims a again: epoch 2
        claims.release("a", 1); // the late release of the run of epoch 1
        assertEquals(2, LayoutJson.decode(mine.getData().forPath(PATHS.owner("a")), Claim.class).epoch(),
                "the claim of epoch 2 survives the release of epoch 1");
        claims.release("a", 2);
        assertNull(mine.checkExists().forPath(PATHS.owner("a")));
        claims.release("a", 2); // already gone: nothing to do, no error

        new RegionClaims(other, PATHS, "w2", TimeSource.system()).claimAll(List.of("a"), generation); // epoch 3
        claims.release("a", 2);
        assertEquals(other.getZookeeperClient().getZooKeeper().getSessionId(), ownerSession("a"), "w2's claim is left alone");
    }

    @Test
    void testReleasingSeveralDeletesOursInOneMultiAndLeavesAClaimMadeSince() throws Exception {
        RegionClaims claims = new RegionClaims(mine, PATHS, "w1", TimeSource.system());
        claims.claimAll(List.of("a", "b", "c"), generation); // epoch 1 each
        java.util.concurrent.atomic.AtomicInteger multis = new java.util.concurrent.atomic.AtomicInteger();
        mine.getZookeeperClient().setTracerDriver(new org.apache.curator.drivers.AdvancedTracerDriver() {
            @Override
            public void addTrace(org.apache.curator.drivers.OperationTrace trace) {
                if (trace.getName().startsWith("CuratorMultiTransactionImpl")) {
                    multis.incrementAndGet();
                }
            }

            @Override
            public void addEvent(org.apache.curator.drivers.EventTrace trace) {
            }
        });

        claims.releaseAll(new java.util.LinkedHashMap<>(Map.of("a", 1L, "b", 1L)));
        assertEquals(1, multis.get(), "two releases, one multi");
        assertNull(mine.checkExists().forPath(PATHS.owner("a")));
        assertNull(mine.checkExists().forPath(PATHS.owner("b")));

        new RegionClaims(other, PATHS, "w2", TimeSource.system()).claimAll(List.of("a"), generation); // a: epoch 2, w2's
        multis.set(0);
        claims.releaseAll(new java.util.LinkedHashMap<>(Map.of("a", 1L, "c", 1L))); // a's release comes late
        assertEquals(other.getZookeeperClient().getZooKeeper().getSessionId(), ownerSession("a"), "w2's claim is left alone");
        assertNull(mine.checkExists().forPath(PATHS.owner("c")), "ours is deleted all the same");
        assertEquals(3, multis.get(), "refused together, then each alone");
    }

    /**
     * A release with final checkpoints: the checkpoints written and the claims deleted in ONE transaction, so the
     * next owner never finds a free region without its final checkpoint; the store then writes on from the version
     * that multi left. A multi refused (a checkpoint node written since the final was prepared) changes nothing.
     */
    @Test
    void testFinalCheckpointsAreWrittenInTheTransactionThatDeletesTheClaims() throws Exception {
        RegionClaims claims = new RegionClaims(mine, PATHS, "w1", TimeSource.system());
        claims.claimAll(List.of("a", "b", "c"), generation);
        ZooKeeperCheckpointStore store = new ZooKeeperCheckpointStore(mine, PATHS, "w1", new FencingCounter(), TimeSource.system());
        store.commit("a", 1, 10);
        Map<String, org.apache.zookeeper.Op> writes = new LinkedHashMap<>();
        io.shardwork.coordination.checkpoint.FinalCheckpoint a = store.prepareFinal("a", 1, 15);
        io.shardwork.coordination.checkpoint.FinalCheckpoint b = store.prepareFinal("b", 1, 25);
        writes.put("a", a.write());
        writes.put("b", b.write());
        mine.create().forPath("/probe-1");
        long before = mine.checkExists().forPath("/probe-1").getCzxid();

        Map<String, org.apache.zookeeper.OpResult> written = claims.releaseWithCheckpoints(
                new LinkedHashMap<>(Map.of("a", 1L, "b", 1L, "c", 1L)), writes);

        mine.create().forPath("/probe-2");
        assertEquals(before + 2, mine.checkExists().forPath("/probe-2").getCzxid(), "one transaction for three releases");
        for (String region : List.of("a", "b", "c")) {
            assertNull(mine.checkExists().forPath(PATHS.owner(region)), region + "'s claim deleted");
        }
        assertEquals(15, store.read("a").orElseThrow().offset());
        assertEquals(25, store.read("b").orElseThrow().offset());
        assertEquals(Optional.empty(), store.read("c"), "c released without a checkpoint");
        assertEquals(java.util.Set.of("a", "b"), written.keySet(), "the results of the two checkpoint writes");
        store.finalWritten(a, written.get("a"));

        ClaimResult.Succeeded next = (ClaimResult.Succeeded) new RegionClaims(other, PATHS, "w2", TimeSource.system())
                .claimAll(List.of("a"), generation).get("a");
        assertEquals(15, next.checkpoint().orElseThrow().offset(), "the next owner starts at the final checkpoint");
        assertThrows(FencedException.class, () -> store.commit("a", 1, 16), "the released epoch is fenced");

        claims.claimAll(List.of("b"), generation); // b: epoch 2, ours again
        io.shardwork.coordination.checkpoint.FinalCheckpoint stale = store.prepareFinal("b", 2, 30);
        new ZooKeeperCheckpointStore(mine, PATHS, "w1", new FencingCounter(), TimeSource.system()).commit("b", 2, 27);
        Map<String, String> tree = tree(PATHS.root());
        assertThrows(org.apache.zookeeper.KeeperException.BadVersionException.class,
                () -> claims.releaseWithCheckpoints(Map.of("b", 2L), Map.of("b", stale.write())));
        assertEquals(tree, tree(PATHS.root()), "a refused release changes nothing: the claim held, the checkpoint as written");
    }

    /** A claim of a region whose checkpoint node was never written (created empty, version 0). */
    private static ClaimResult.Succeeded unwritten(long epoch) {
        return new ClaimResult.Succeeded(epoch, Optional.empty(), 0);
    }

    @Test
    void testARegionHeldByAnotherSessionIsBlockedAndTheOthersAreClaimed() throws Exception {
        new RegionClaims(other, PATHS, "w2", TimeSource.system()).claimAll(List.of("b"), generation);
        Map<String, ClaimResult> results = new RegionClaims(mine, PATHS, "w1", TimeSource.system())
                .claimAll(List.of("a", "b", "c"), generation);
        assertEquals(expect("a", unwritten(1), "b", new ClaimResult.Blocked(1), "c", unwritten(1)), results);
        assertEquals(other.getZookeeperClient().getZooKeeper().getSessionId(), ownerSession("b"), "b still w2's");
    }

    @Test
    void testAStaleGenerationIsRejectedForEveryRegionAndNothingIsCreated() throws Exception {
        int newer = mine.setData().forPath(PATHS.assignment(), new byte[0]).getVersion();
        Map<String, ClaimResult> results = new RegionClaims(mine, PATHS, "w1", TimeSource.system())
                .claimAll(List.of("a", "b"), newer - 1);
        assertEquals(expect("a", new ClaimResult.Rejected(), "b", new ClaimResult.Rejected()), results);
        assertNull(mine.checkExists().forPath(PATHS.owner("a")));
        assertNull(mine.checkExists().forPath(PATHS.owner("b")));
    }

    @Test
    void testAClaimMadeByAnotherWorkerBetweenOurReadAndOurWriteBlocksOnlyThatRegion() throws Exception {
        RegionClaims rival = new RegionClaims(other, PATHS, "w2", TimeSource.system());
        rival.claimAll(List.of("b"), generation); // creates b's nodes, then frees it again
        rival.release("b", 1);
        AtomicBoolean raced = new AtomicBoolean();
        // our clock is read while the write is being built, after the read: the rival claims b right then
        TimeSource racing = () -> {
            if (raced.compareAndSet(false, true)) {
                try {
                    rival.claimAll(List.of("b"), generation);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return System.currentTimeMillis();
        };
        Map<String, ClaimResult> results = new RegionClaims(mine, PATHS, "w1", racing).claimAll(List.of("a", "b", "c"), generation);
        assertEquals(expect("a", unwritten(1), "b", new ClaimResult.Blocked(), "c", unwritten(1)), results);
        Claim rivals = LayoutJson.decode(mine.getData().forPath(PATHS.owner("b")), Claim.class);
        assertEquals("w2", rivals.workerId());
        assertEquals(2, rivals.epoch(), "the rival's claim stands with its epoch");
        Stat epoch = mine.checkExists().forPath(PATHS.regionEpoch("b"));
        assertEquals(2, epoch.getVersion(), "b's epoch node moved only by the rival's two claims");
    }

    @Test
    void testARegionLeftWithAnEpochNodeButNoCheckpointNodeGetsOneAndCheckpoints() throws Exception {
        // what a failure between the two separate creates of an older version left behind
        mine.create().creatingParentsIfNeeded().forPath(PATHS.regionEpoch("a"), new byte[0]);
        ClaimResult claimed = new RegionClaims(mine, PATHS, "w1", TimeSource.system()).claimAll(List.of("a"), generation).get("a");
        long epoch = ((ClaimResult.Succeeded) claimed).epoch();

        ZooKeeperCheckpointStore store = new ZooKeeperCheckpointStore(mine, PATHS, "w1", new FencingCounter(), TimeSource.system());
        store.commit("a", epoch, 42);
        assertEquals(42, store.read("a").orElseThrow().offset());
    }

    private long ownerSession(String region) throws Exception {
        return mine.checkExists().forPath(PATHS.owner(region)).getEphemeralOwner();
    }

    private static Map<String, ClaimResult> expect(Object... pairs) {
        Map<String, ClaimResult> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (ClaimResult) pairs[i + 1]);
        }
        return map;
    }
}
