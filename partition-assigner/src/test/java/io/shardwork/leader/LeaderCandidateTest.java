package io.shardwork.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.assigner.AssignmentStrategy;
import io.shardwork.assigner.Region;
import io.shardwork.layout.AssignmentDocument;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.DefinitionDocument;
import io.shardwork.layout.LayoutJson;
import io.shardwork.layout.MemberInfo;
import io.shardwork.layout.MoveRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The leader side alone, against a real ZooKeeper (tick 200 ms); members are plain ephemeral nodes. */
class LeaderCandidateTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration SETTLE = Duration.ofMillis(1_000);
    private static final List<Region> REGIONS = List.of(new Region("a", 1), new Region("b", 1), new Region("c", 1),
            new Region("d", 1));

    private TestingServer server;
    private CuratorFramework client;
    private final ClusterPaths paths = new ClusterPaths("leader-test");

    @BeforeEach
    void startZooKeeper() throws Exception {
        server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true);
        client = CuratorFrameworkFactory.newClient(server.getConnectString(), 3_000, 3_000, new RetryOneTime(100));
        client.start();
        assertTrue(client.blockUntilConnected(5, TimeUnit.SECONDS));
        client.create().creatingParentsIfNeeded().forPath(paths.definition(), LayoutJson.encode(definition(REGIONS)));
    }

    private static DefinitionDocument definition(List<Region> regions) {
        List<DefinitionDocument.RegionRecord> records = new java.util.ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            records.add(new DefinitionDocument.RegionRecord(regions.get(i).name(), i, (int) regions.get(i).weight(), List.of()));
        }
        return new DefinitionDocument(new java.util.TreeMap<>(), records);
    }

    @AfterEach
    void stopZooKeeper() throws Exception {
        client.close();
        server.close();
    }

    @Test
    void testOrphansAreAssignedAtOnceAndBalancingWaitsForTheSettleDelay() throws Exception {
        join("m1");
        try (LeaderCandidate candidate = candidate("m1", new SpreadTestStrategy())) {
            candidate.start();
            await("all regions on m1", () -> assignment().owners().size() == 4);
            long joinedAt = System.nanoTime();
            join("m2");
            await("balancing moves to m2", () -> assignment().owners().values().stream().filter("m2"::equals).count() == 2);
            long balancedAfterMs = (System.nanoTime() - joinedAt) / 1_000_000;
            assertTrue(balancedAfterMs >= SETTLE.toMillis() - 50, "balancing waited for the settle delay, took " + balancedAfterMs + " ms");
            AssignmentDocument doc = assignment();
            assertEquals(List.of("balance", "balance"), doc.moves().stream().map(MoveRecord::reason).toList());
            assertEquals(6, doc.recentMoves().size());

            client.delete().forPath(paths.member("m2"));
            long leftAt = System.nanoTime();
            await("m2's regions back on m1 at once", () -> !assignment().owners().containsValue("m2"));
            long orphanedAfterMs = (System.nanoTime() - leftAt) / 1_000_000;
            assertTrue(orphanedAfterMs < SETTLE.toMillis(), "orphans moved before the settle delay, took " + orphanedAfterMs + " ms");
            assertEquals(List.of("orphaned", "orphaned"), assignment().moves().stream().map(MoveRecord::reason).toList());
        }
    }

    @Test
    void testARegionAddedToTheDefinitionIsPlacedOnceTheMembersRunItsVersion() throws Exception {
        join("m1");
        try (LeaderCandidate candidate = candidate("m1", new SpreadTestStrategy())) {
            candidate.start();
            await("all regions on m1", () -> assignment().owners().size() == 4);
            List<Region> five = new java.util.ArrayList<>(REGIONS);
            five.add(new Region("e", 1));
            client.setData().withVersion(0).forPath(paths.definition(), LayoutJson.encode(definition(five)));
            Instant adoptedAt = Instant.now();
            client.setData().forPath(paths.member("m1"), LayoutJson.encode(memberInfo(1)));
            await("the new region placed on m1", () -> "m1".equals(assignment().owners().get("e")));
            assertTrue(!assignment().writtenAt().isBefore(adoptedAt.minusMillis(5)),
                    "the new region was placed only after m1 ran definition version 1: written " + assignment().writtenAt()
                            + ", adopted " + adoptedAt);
        }
    }

    @Test
    void testAMemberLaggingPastTheSettleDelayGetsNothingAndLosesItsRegions() throws Exception {
        join("m1");
        try (LeaderCandidate candidate = candidate("m1", new io.shardwork.assigner.StickyWeightedAssigner())) {
            candidate.start();
            await("all regions on m1", () -> assignment().owners().size() == 4);
            client.create().withMode(CreateMode.EPHEMERAL).forPath(paths.member("m2"), LayoutJson.encode(memberInfo(0)));
            client.setData().withVersion(0).forPath(paths.definition(), LayoutJson.encode(definition(REGIONS)));
            client.setData().forPath(paths.member("m2"), LayoutJson.encode(memberInfo(1)));
            await("m2, on version 1, gets regions from m1, still on version 0",
                    () -> assignment().owners().size() == 4 && !assignment().owners().containsValue("m1"));
            assertEquals(List.of("drain", "drain", "drain", "drain"),
                    assignment().moves().stream().map(MoveRecord::reason).toList());
        }
    }

    @Test
    void testDeposedLeaderStopsAndRejoinsWithANewEpoch() throws Exception {
        join("m1");
        try (LeaderCandidate candidate = candidate("m1", new SpreadTestStrategy())) {
            candidate.start();
            await("m1 acting", () -> candidate.actingEpoch() == 1 && assignment().owners().size() == 4);
            // another leader takes an epoch behind m1's back
            long foreignEpoch = new LeaderEpochs(client, paths).bump("intruder", Instant.now());
            join("m2");
            await("m1 deposed by its refused write and re-elected with an epoch above the intruder's",
                    () -> candidate.terms() == 2 && candidate.actingEpoch() > foreignEpoch);
            await("the new term writes", () -> assignment().leaderEpoch() == candidate.actingEpoch());
        }
    }

    @Test
    void testWithStandbyReplicasEachRegionHasAStandbyThatTakesItWhenItsOwnerLeaves() throws Exception {
        java.util.TreeMap<String, String> settings = new java.util.TreeMap<>();
        settings.put(DefinitionDocument.STANDBY_REPLICAS, "1");
        client.setData().withVersion(0).forPath(paths.definition(),
                LayoutJson.encode(new DefinitionDocument(settings, definition(REGIONS).regions())));
        client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(paths.member("m1"),
                LayoutJson.encode(memberInfo(1)));
        client.create().withMode(CreateMode.EPHEMERAL).forPath(paths.member("m2"), LayoutJson.encode(memberInfo(1)));
        client.create().withMode(CreateMode.EPHEMERAL).forPath(paths.member("m3"), LayoutJson.encode(memberInfo(1)));
        try (LeaderCandidate candidate = candidate("m1", new io.shardwork.assigner.StickyWeightedAssigner())) {
            candidate.start();
            await("every region owned by someone and stood by for by another", () -> {
                AssignmentDocument doc = assignment();
                return doc.owners().size() == 4 && doc.standbys().size() == 4 && doc.owners().containsValue("m3")
                        && REGIONS.stream().noneMatch(r -> doc.owners().get(r.name()).equals(doc.standbys().get(r.name())));
            });
            AssignmentDocument before = assignment();
            List<String> ofM3 = REGIONS.stream().map(Region::name).filter(r -> before.owners().get(r).equals("m3")).toList();

            client.delete().forPath(paths.member("m3"));
            await("m3's regions moved", () -> !assignment().owners().containsValue("m3"));
            AssignmentDocument after = assignment();
            for (String region : ofM3) {
                assertEquals(before.standbys().get(region), after.owners().get(region),
                        region + " went to its standby: before " + before + ", after " + after);
            }
        }
    }

    @Test
    void testWithoutStandbyReplicasNoStandbyIsNamed() throws Exception {
        join("m1");
        join("m2");
        try (LeaderCandidate candidate = candidate("m1", new io.shardwork.assigner.StickyWeightedAssigner())) {
            candidate.start();
            await("all regions placed", () -> assignment().owners().size() == 4);
            assertEquals(Map.of(), assignment().standbys());
        }
    }

    /**
     * A failover's first term, where the cluster's tree exists: the epoch's bump goes out without waiting, the view's
     * first read travels with it (with the data of the members the candidate knew of), and nothing checks the tree, so
     * the first write waits on two answers (the view, the write) where it waited on five (the bump, a tree check, the
     * view, the members' data, the write).
     */
    @Test
    void testANewLeadersFirstWriteWaitsOnTwoAnswers() throws Exception {
        join("m1");
        try (LeaderCandidate first = candidate("m1", new SpreadTestStrategy())) {
            first.start();
            await("the first leader's assignment", () -> assignment().owners().size() == 4);
        }
        join("m2");
        client.delete().forPath(paths.member("m1")); // m1's regions are orphans: the next term writes at once
        try (CuratorFramework next = CuratorFrameworkFactory.newClient(server.getConnectString(), 3_000, 3_000, new RetryOneTime(100))) {
            next.start();
            assertTrue(next.blockUntilConnected(5, TimeUnit.SECONDS));
            TracedOperations operations = TracedOperations.recordOn(next);
            try (LeaderCandidate candidate = new LeaderCandidate(next, paths, "m2", REGIONS, new SpreadTestStrategy(),
                    new ControllerSettings(SETTLE, 2), TimeSource.system(), () -> Set.of("m1", "m2"))) {
                candidate.start();
                await("m2's term wrote", () -> assignment().leaderEpoch() == candidate.actingEpoch()
                        && assignment().owners().values().stream().allMatch("m2"::equals));
            }
            List<String> done = operations.soFar();
            int write = done.indexOf("CuratorMultiTransactionImpl-Foreground");
            assertTrue(write > 0, "the term's write among " + done);
            List<String> beforeWrite = done.subList(0, write);
            assertTrue(done.contains("SetDataBuilderImpl-Background") && !done.contains("SetDataBuilderImpl-Foreground"),
                    "the bump is sent without waiting: " + done);
            assertEquals(1, beforeWrite.stream().filter("MultiRead-Foreground"::equals).count(),
                    "multi-reads waited on before the first write (the view's, with the likely members' data): " + done);
        }
    }

    @Test
    void testCandidateCannotBeStartedTwice() {
        LeaderCandidate candidate = candidate("m1", new SpreadTestStrategy());
        candidate.start();
        IllegalStateException twice = assertThrows(IllegalStateException.class, candidate::start);
        assertEquals("Cannot be started more than once", twice.getMessage());
        candidate.close();
        candidate.close();
    }

    @Test
    void testStaleEpochWriteIsRefused() throws Exception {
        AssignmentWriter writer = new AssignmentWriter(client, paths);
        writer.ensureInitialized(Instant.now());
        LeaderEpochs epochs = new LeaderEpochs(client, paths);
        long first = epochs.bump("m1", Instant.now());
        long second = epochs.bump("m2", Instant.now());
        AssignmentDocument next = AssignmentDocument.initial(Instant.now()).next(first, Instant.now(),
                new java.util.TreeMap<>(), List.of(), List.of());
        LeaderDeposedException deposed = assertThrows(LeaderDeposedException.class, () -> writer.write(next, first, 0));
        assertEquals(first, deposed.staleEpoch());
        assertTrue(writer.write(next, second, 0), "the current epoch writes");
        assertEquals(false, writer.write(next, second, 0), "a moved assignment version is a conflict, not a deposition");
    }

    /**
     * A change of a member's data alone (no membership, claim or drain change) brings a round: a member that
     * publishes a region in restart backoff is excluded from it, and the region moves to the other member.
     */
    @Test
    void testARegionAMemberPublishesInRestartBackoffMovesToAnotherMember() throws Exception {
        join("m1");
        try (LeaderCandidate candidate = candidate("m1", new io.shardwork.assigner.StickyWeightedAssigner())) {
            candidate.start();
            await("all regions on m1", () -> assignment().owners().size() == 4);
            join("m2");
            await("two regions each", () -> assignment().owners().values().stream().filter("m1"::equals).count() == 2
                    && assignment().owners().values().stream().filter("m2"::equals).count() == 2);
            String region = assignment().owners().entrySet().stream().filter(e -> e.getValue().equals("m1")).findFirst().orElseThrow().getKey();
            long generation = assignment().generation();

            client.setData().forPath(paths.member("m1"), LayoutJson.encode(memberInfo(0).withRestartBackoff(List.of(
                    new io.shardwork.layout.RestartBackoffRecord(region, 1, 1_000, Instant.now().plusSeconds(1), true)))));

            await(region + " moved to m2", () -> "m2".equals(assignment().owners().get(region)));
            AssignmentDocument moved = assignment();
            assertEquals(List.of(new MoveRecord(generation + 1, moved.recentMoves().stream()
                            .filter(m -> m.generation() == generation + 1).findFirst().orElseThrow().at(), region, "m1", "m2",
                            "restart_backoff")),
                    moved.recentMoves().stream().filter(m -> m.generation() == generation + 1).toList(),
                    "the generation after it moved exactly that region, for its restart backoff");
            // the next round balances the rest around the exclusion: two each, the region staying on m2
            await("balanced again around the exclusion", () -> assignment().owners().values().stream().filter("m1"::equals).count() == 2
                    && "m2".equals(assignment().owners().get(region)));
        }
    }

    @Test
    void testBalancingLimitedToOneMovePerRoundGoesOnUntilBalanced() throws Exception {
        join("m1");
        try (LeaderCandidate candidate = new LeaderCandidate(client, paths, "m1", REGIONS, new SpreadTestStrategy(),
                new ControllerSettings(Duration.ZERO, 1), TimeSource.system())) {
            candidate.start();
            await("all regions on m1", () -> assignment().owners().size() == 4);
            join("m2");
            // one move per generation: the second move needs a round that no watch brings (the leader's own write
            // is not watched), so the controller must ask for one itself after each write
            await("two regions each", () -> assignment().owners().values().stream().filter("m2"::equals).count() == 2);
        }
    }

    private LeaderCandidate candidate(String id, AssignmentStrategy strategy) {
        return new LeaderCandidate(client, paths, id, REGIONS, strategy, new ControllerSettings(SETTLE, 2), TimeSource.system());
    }

    private static MemberInfo memberInfo(int definitionVersion) {
        return new MemberInfo("h", 1, "z", 1, Instant.now(), "test", definitionVersion);
    }

    private void join(String id) throws Exception {
        client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(paths.member(id),
                LayoutJson.encode(memberInfo(0)));
    }

    private AssignmentDocument assignment() {
        try {
            return LayoutJson.decode(client.getData().forPath(paths.assignment()), AssignmentDocument.class);
        } catch (Exception e) {
            return AssignmentDocument.initial(Instant.EPOCH);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + WAIT.toMillis() + " ms waiting for " + what + ".");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

}
