package io.shardwork.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardwork.layout.AssignmentDocument;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.DefinitionDocument;
import io.shardwork.layout.LayoutJson;
import io.shardwork.layout.MemberInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leader's view reads only what changed, and never misses a change: against a real ZooKeeper, the
 * operations of each read are counted by Curator's tracer on the view's own client, and every change made by
 * another client is seen by the read that follows its event.
 */
class LeaderViewTest {
    private final ClusterPaths paths = new ClusterPaths("view-test");
    private TracedOperations operations;
    private final Semaphore changes = new Semaphore(0);
    private TestingServer server;
    private CuratorFramework leader;
    private CuratorFramework other;
    private LeaderView view;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true);
        leader = client();
        other = client();
        other.create().creatingParentsIfNeeded().forPath(paths.definition(), LayoutJson.encode(definition("a")));
        other.create().forPath(paths.members());
        other.create().forPath(paths.drained());
        other.create().forPath(paths.assignment(), LayoutJson.encode(AssignmentDocument.initial(Instant.EPOCH)));
        join("m1", 1);
        join("m2", 1);
        operations = TracedOperations.recordOn(leader);
        view = new LeaderView(leader, paths, changes::release, Set::of);
        view.open();
    }

    @AfterEach
    void stop() throws Exception {
        view.close();
        leader.close();
        other.close();
        server.close();
    }

    @Test
    void testTheFirstReadSeesEverythingAndAnUnchangedClusterCostsNoOperation() throws Exception {
        LeaderView.Snapshot first = view.read();
        assertEquals(List.of("a"), first.definition().regions().stream().map(DefinitionDocument.RegionRecord::name).toList());
        assertEquals(Set.of("m1", "m2"), first.members().keySet());
        assertEquals(Set.of(), first.drained());
        assertEquals(0, first.assignment().generation());

        operations.clear();
        LeaderView.Snapshot again = view.read();
        assertEquals(List.of(), operations.soFar(), "nothing changed, nothing read");
        assertEquals(first, again);
    }

    /**
     * A term's first read asks for the likely members' data with the member list: one multi-read when the guess is
     * right; a wrong guess (a member gone, a member not guessed) costs one more and still reads the members exactly.
     */
    @Test
    void testTheLikelyMembersAreReadWithTheMemberList() throws Exception {
        try (LeaderView guessedRight = new LeaderView(leader, paths, () -> { }, () -> Set.of("m1", "m2"))) {
            guessedRight.open();
            operations.clear();
            assertEquals(Set.of("m1", "m2"), guessedRight.read().members().keySet());
            assertEquals(List.of("MultiRead-Foreground"), foreground(operations.soFar()));
        }
        try (LeaderView guessedWrong = new LeaderView(leader, paths, () -> { }, () -> Set.of("m1", "gone"))) {
            guessedWrong.open();
            operations.clear();
            LeaderView.Snapshot read = guessedWrong.read();
            assertEquals(Set.of("m1", "m2"), read.members().keySet());
            assertEquals(1, read.members().get("m2").capacity());
            assertEquals(List.of("MultiRead-Foreground", "MultiRead-Foreground"), foreground(operations.soFar()));
        }
    }

    private static List<String> foreground(List<String> operations) {
        return operations.stream().filter(name -> name.endsWith("-Foreground")).toList();
    }

    /** A view's watches are armed by its first read (they are asked for without waiting): a join right after it is seen. */
    @Test
    void testAFreshViewSeesAJoinRightAfterItsFirstRead() throws Exception {
        Semaphore seen = new Semaphore(0);
        for (int i = 0; i < 20; i++) {
            try (LeaderView fresh = new LeaderView(leader, paths, seen::release, Set::of)) {
                fresh.open();
                assertEquals(Set.of("m1", "m2"), fresh.read().members().keySet());
                join("n" + i, 1);
                assertTrue(seen.tryAcquire(10, TimeUnit.SECONDS), "the fresh view's watch saw n" + i + " join");
                assertTrue(fresh.read().members().containsKey("n" + i));
            }
            other.delete().forPath(paths.member("n" + i));
            seen.drainPermits();
        }
    }

    /**
     * An event the client queued before a view's watches were removed reaches the view after its close, and removing
     * the watches itself sends each watcher a watch-removed event: a closed view must call nothing (without the check,
     * this test counts 5 calls, not 1; such a call left a permit that the next view of the test above took for its own
     * event).
     */
    @Test
    void testAClosedViewCallsNothing() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        LeaderView closing = new LeaderView(leader, paths, calls::incrementAndGet, Set::of);
        closing.open();
        closing.read();
        org.apache.zookeeper.WatchedEvent joined = new org.apache.zookeeper.WatchedEvent(
                org.apache.zookeeper.Watcher.Event.EventType.NodeCreated, org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected,
                paths.member("late"));
        closing.onEvent(joined);
        assertEquals(1, calls.get(), "an open view is told");
        closing.close();
        closing.onEvent(joined);
        assertEquals(1, calls.get(), "a closed view is not");
    }

    @Test
    void testAChangedMemberIsTheOnlyThingReadAgain() throws Exception {
        view.read();
        operations.clear();
        other.setData().forPath(paths.member("m2"), LayoutJson.encode(member(7)));
        awaitChange();
        LeaderView.Snapshot snapshot = view.read();
        assertEquals(7, snapshot.members().get("m2").capacity());
        assertEquals(1, snapshot.members().get("m1").capacity());
        assertEquals(List.of("MultiRead-Foreground"), operations.soFar(), "one multi-read of the changed member");
    }

    @Test
    void testMembersJoiningAndLeavingAreSeen() throws Exception {
        view.read();
        join("m3", 2);
        awaitChange();
        assertEquals(Set.of("m1", "m2", "m3"), view.read().members().keySet());
        other.delete().forPath(paths.member("m1"));
        awaitChange();
        assertEquals(Set.of("m2", "m3"), view.read().members().keySet());
        assertEquals(2, view.read().members().get("m3").capacity());
    }

    @Test
    void testDefinitionAndDrainMarkersAreReadAgainWhenTheyChange() throws Exception {
        LeaderView.Snapshot before = view.read();
        other.setData().forPath(paths.definition(), LayoutJson.encode(definition("a", "b")));
        awaitChange();
        LeaderView.Snapshot after = view.read();
        assertEquals(before.definitionVersion() + 1, after.definitionVersion());
        assertEquals(2, after.definition().regions().size());

        other.create().forPath(paths.drainedMarker("m2"));
        awaitChange();
        assertEquals(Set.of("m2"), view.read().drained());

        other.delete().forPath(paths.definition());
        awaitChange();
        assertNull(view.read().definition());
    }

    @Test
    void testTheAssignmentIsTheLeadersOwnCopyUntilMarkedStale() throws Exception {
        view.read();
        AssignmentDocument written = AssignmentDocument.initial(Instant.EPOCH).next(1, Instant.EPOCH,
                new TreeMap<>(Map.of("a", "m1")), List.of(), List.of());
        other.setData().forPath(paths.assignment(), LayoutJson.encode(written)); // as the leader's own write would
        view.assignmentWritten(written, 1);
        operations.clear();
        LeaderView.Snapshot snapshot = view.read();
        assertEquals(List.of(), operations.soFar());
        assertEquals(Map.of("a", "m1"), snapshot.assignment().owners());
        assertEquals(1, snapshot.assignmentVersion());

        // another writer (a conflict the leader learns from its version check)
        other.setData().forPath(paths.assignment(), LayoutJson.encode(AssignmentDocument.initial(Instant.EPOCH)));
        view.assignmentStale();
        LeaderView.Snapshot reread = view.read();
        assertEquals(2, reread.assignmentVersion());
        assertTrue(reread.assignment().owners().isEmpty());
    }

    @Test
    void testAfterAllStaleEverythingIsReadAgain() throws Exception {
        view.read();
        view.allStale();
        operations.clear();
        LeaderView.Snapshot snapshot = view.read();
        assertEquals(Set.of("m1", "m2"), snapshot.members().keySet());
        assertEquals(List.of("MultiRead-Foreground", "MultiRead-Foreground"), operations.soFar(),
                "one multi-read of definition, member list, drained and assignment, one of the members' data");
    }

    private void awaitChange() throws InterruptedException {
        assertTrue(changes.tryAcquire(10, TimeUnit.SECONDS), "a watch event within 10 s");
        changes.drainPermits();
    }

    private void join(String id, int capacity) throws Exception {
        other.create().withMode(CreateMode.EPHEMERAL).forPath(paths.member(id), LayoutJson.encode(member(capacity)));
    }

    private static MemberInfo member(int capacity) {
        return new MemberInfo("host", 1, "", capacity, Instant.EPOCH, "test", 0);
    }

    private static DefinitionDocument definition(String... regions) {
        List<DefinitionDocument.RegionRecord> records = new ArrayList<>();
        for (int i = 0; i < regions.length; i++) {
            records.add(new DefinitionDocument.RegionRecord(regions[i], i, 1, List.of()));
        }
        return new DefinitionDocument(new TreeMap<>(), records);
    }

    private CuratorFramework client() throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.newClient(server.getConnectString(), 3_000, 3_000, new RetryOneTime(100));
        client.start();
        assertTrue(client.blockUntilConnected(5, TimeUnit.SECONDS));
        return client;
    }
}
